-- The team's rules and grants on a PostgreSQL register (src/store/postgres/team.rs).
-- Run by `vetter team init` as vetter_owner, after the migrations, in one
-- transaction; idempotent, so it runs again on every init (an upgrade).
-- The identity triggers (one per table with an actor column) are created by
-- team.rs from its ACTOR_COLUMNS list, with vetter_actor_is_login below.

-- Who acted is the login the server authenticated, whatever the client
-- wrote: `to_jsonb(NEW) ->> column` reads the actor column by name.
CREATE OR REPLACE FUNCTION vetter_actor_is_login() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, vetter, pg_temp AS $$
DECLARE
    actor text := to_jsonb(NEW) ->> TG_ARGV[0];
BEGIN
    IF actor IS DISTINCT FROM session_user::text THEN
        RAISE EXCEPTION '% records % as %, but the login writing it is %: on a team register the actor is always the login',
            TG_TABLE_NAME, TG_ARGV[0], coalesce(actor, 'nobody'), session_user
            USING ERRCODE = 'VT001';
    END IF;
    RETURN NEW;
END $$;

-- Four eyes: only an approver decides, and never the person who submitted.
CREATE OR REPLACE FUNCTION vetter_four_eyes() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, vetter, pg_temp AS $$
DECLARE
    last_action text;
    submitter text;
BEGIN
    IF NEW.action <> 'decide' THEN
        RETURN NEW;
    END IF;
    IF NOT pg_has_role(session_user, 'vetter_approver', 'MEMBER') THEN
        RAISE EXCEPTION 'only a vetter_approver decides a review, and % is not one', session_user
            USING ERRCODE = 'VT001';
    END IF;
    SELECT s.action, s.actor INTO last_action, submitter
    FROM review_signoff s WHERE s.review_id = NEW.review_id ORDER BY s.id DESC LIMIT 1;
    IF last_action IS DISTINCT FROM 'submit' THEN
        RAISE EXCEPTION 'review % is not awaiting a decision (it must be submitted first)', NEW.review_id
            USING ERRCODE = 'VT001';
    END IF;
    IF submitter = NEW.actor OR submitter = session_user::text THEN
        RAISE EXCEPTION 'four eyes: % submitted this review and cannot also decide it; another vetter_approver must', submitter
            USING ERRCODE = 'VT001';
    END IF;
    RETURN NEW;
END $$;

DROP TRIGGER IF EXISTS review_signoff_four_eyes ON review_signoff;
CREATE TRIGGER review_signoff_four_eyes BEFORE INSERT ON review_signoff
FOR EACH ROW EXECUTE FUNCTION vetter_four_eyes();

-- Team membership, managed by a vetter_admin through vetter: the functions
-- run as vetter_owner (which holds the groups WITH ADMIN OPTION) and check
-- the caller first. Logins themselves are made by the DBA.
CREATE OR REPLACE FUNCTION vetter_team_check(login text, grp text) RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, vetter, pg_temp AS $$
BEGIN
    IF NOT pg_has_role(session_user, 'vetter_admin', 'MEMBER') THEN
        RAISE EXCEPTION 'only a vetter_admin manages the team, and % is not one', session_user
            USING ERRCODE = 'VT001';
    END IF;
    IF grp NOT IN ('vetter_reviewer', 'vetter_approver', 'vetter_auditor', 'vetter_admin') THEN
        RAISE EXCEPTION 'unknown role %', grp USING ERRCODE = 'VT001';
    END IF;
    IF login LIKE 'vetter\_%' THEN
        RAISE EXCEPTION '% is one of vetter''s own roles, not a person''s login', login USING ERRCODE = 'VT001';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = login) THEN
        RAISE EXCEPTION 'there is no login named %: a DBA creates it first (CREATE ROLE % LOGIN PASSWORD ...)', login, quote_ident(login)
            USING ERRCODE = 'VT001';
    END IF;
END $$;

CREATE OR REPLACE FUNCTION vetter_team_grant(login text, grp text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, vetter, pg_temp AS $$
BEGIN
    PERFORM vetter_team_check(login, grp);
    EXECUTE format('GRANT %I TO %I', grp, login);
END $$;

CREATE OR REPLACE FUNCTION vetter_team_revoke(login text, grp text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, vetter, pg_temp AS $$
BEGIN
    PERFORM vetter_team_check(login, grp);
    EXECUTE format('REVOKE %I FROM %I', grp, login);
END $$;

-- Every member may call them, so that a non-admin is told why (the
-- functions check the caller before anything else).
REVOKE ALL ON FUNCTION vetter_team_grant(text, text), vetter_team_revoke(text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION vetter_team_grant(text, text), vetter_team_revoke(text, text)
    TO vetter_reviewer, vetter_approver, vetter_auditor, vetter_admin;

-- What each group may do. Nobody is granted UPDATE or DELETE on a history
-- table (audit_event, finding, review_signoff, evidence, blob, answers,
-- subprocessor observations, waivers, contracts); their triggers refuse it too.
REVOKE ALL ON SCHEMA vetter FROM PUBLIC;
GRANT USAGE ON SCHEMA vetter TO vetter_reviewer, vetter_approver, vetter_auditor, vetter_admin;
REVOKE ALL ON ALL TABLES IN SCHEMA vetter FROM PUBLIC;
GRANT SELECT ON ALL TABLES IN SCHEMA vetter TO vetter_reviewer, vetter_auditor, vetter_admin;

GRANT INSERT ON vendor, review, review_section, review_item, finding, clause, clause_item,
    subprocessor, blob, blob_chunk, evidence, evidence_item, evidence_clause, question,
    question_answer, review_signoff, questionnaire, questionnaire_answer, contract,
    contract_end, audit_event
    TO vetter_reviewer;
GRANT UPDATE (name, website, trust_center, hosting, tenancy, data_categories, tier, updated_at, archived_at)
    ON vendor TO vetter_reviewer;
GRANT UPDATE (section, quote, absent, terms, valid_until, updated_at) ON clause TO vetter_reviewer;
GRANT UPDATE (status, resolution, updated_at) ON question TO vetter_reviewer;
GRANT UPDATE (state) ON review TO vetter_reviewer;
GRANT UPDATE (page) ON evidence_clause TO vetter_reviewer;

GRANT INSERT ON waiver TO vetter_approver;

-- Setting a key back to its default removes its row (the audit log keeps it).
GRANT INSERT, UPDATE, DELETE ON profile TO vetter_admin;
GRANT INSERT ON checklist, audit_event TO vetter_admin;
