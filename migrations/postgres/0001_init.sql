-- vetter schema, version 1, PostgreSQL: vendors, checklists, reviews,
-- findings, audit log. The same tables, columns and names as
-- migrations/sqlite/0001_init.sql, because vetter runs the same SQL text on
-- both engines. Applied in one transaction by vetter, which then records
-- the version in vetter_schema (this file writes nothing there).
--
-- How SQLite's schema is translated, in every migration of this directory:
-- - INTEGER is BIGINT: the client reads every integer as i64 (booleans too,
--   stored as 0/1 as on SQLite).
-- - TEXT is TEXT COLLATE "C": SQLite compares and sorts text by its bytes;
--   "C" does the same whatever the database's default collation, so ORDER BY
--   gives the same rows in the same order on both engines.
-- - `id INTEGER PRIMARY KEY` is BIGINT PRIMARY KEY with a <table>_next_id
--   trigger: SQLite numbers rows max(id) + 1 without gaps, and users see
--   these ids ("finding #12"). A sequence would leave a gap after every
--   rolled-back insert, so the ids would differ between the engines.
-- - Each RAISE(ABORT, 'message') trigger keeps its name and its message,
--   raised with SQLSTATE VT001 (vetter shows the message). TRUNCATE skips
--   row triggers, so each table that refuses DELETE also refuses TRUNCATE
--   (<table>_no_truncate).

-- Gives a row inserted without an id the next one, max(id) + 1, as SQLite's
-- rowid does. Safe because vetter serialises its writers: every write
-- transaction first takes a transaction-scoped advisory lock
-- (store::postgres::WRITE_LOCK). A writer that does not would at worst
-- fail on the primary key, never reuse an id.
CREATE FUNCTION vetter_next_id() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.id IS NULL THEN
        EXECUTE format('SELECT coalesce(max(id), 0) + 1 FROM %I.%I', TG_TABLE_SCHEMA, TG_TABLE_NAME)
            INTO NEW.id;
    END IF;
    RETURN NEW;
END;
$$;

-- Refuses the change with the message given as the trigger's argument:
-- SQLite's RAISE(ABORT, 'message'). Serves row triggers (UPDATE, DELETE) and
-- statement triggers (TRUNCATE) alike.
CREATE FUNCTION vetter_refuse() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION USING MESSAGE = TG_ARGV[0], ERRCODE = 'VT001';
END;
$$;

-- What SQLite keeps in PRAGMA application_id and user_version: one row,
-- written by vetter's migration runner (application_id 0x56455454, "VETT",
-- and the version each migration brings the schema to), never by the
-- migrations themselves. The unique index on a constant keeps it to one row.
CREATE TABLE vetter_schema (
    application_id  BIGINT NOT NULL,
    version         BIGINT NOT NULL
);
CREATE UNIQUE INDEX vetter_schema_one_row ON vetter_schema ((true));

-- User-installed checklists (built-ins are embedded in the binary).
-- The TOML text is kept verbatim so a review can always be traced to it.
CREATE TABLE checklist (
    id            BIGINT PRIMARY KEY,
    checklist_id  TEXT COLLATE "C" NOT NULL,
    version       TEXT COLLATE "C" NOT NULL,
    title         TEXT COLLATE "C" NOT NULL,
    content       TEXT COLLATE "C" NOT NULL,
    sha256        TEXT COLLATE "C" NOT NULL,
    installed_at  TEXT COLLATE "C" NOT NULL,
    installed_by  TEXT COLLATE "C" NOT NULL,
    UNIQUE (checklist_id, version)
);
CREATE TRIGGER checklist_next_id BEFORE INSERT ON checklist
FOR EACH ROW EXECUTE FUNCTION vetter_next_id();

CREATE TABLE vendor (
    id               BIGINT PRIMARY KEY,
    slug             TEXT COLLATE "C" NOT NULL UNIQUE,
    name             TEXT COLLATE "C" NOT NULL,
    website          TEXT COLLATE "C",
    trust_center     TEXT COLLATE "C",
    hosting          TEXT COLLATE "C",
    tenancy          TEXT COLLATE "C",
    data_categories  TEXT COLLATE "C" NOT NULL DEFAULT '',   -- comma list, canonical order
    tier             TEXT COLLATE "C",
    created_at       TEXT COLLATE "C" NOT NULL,
    updated_at       TEXT COLLATE "C" NOT NULL,
    archived_at      TEXT COLLATE "C"                          -- never deleted, only archived
);
CREATE TRIGGER vendor_next_id BEFORE INSERT ON vendor
FOR EACH ROW EXECUTE FUNCTION vetter_next_id();

-- One review per assessment cycle. The checklist items it uses are copied
-- into review_item, so later checklist edits never rewrite a review.
CREATE TABLE review (
    id                 BIGINT PRIMARY KEY,
    vendor_id          BIGINT NOT NULL REFERENCES vendor (id),
    checklist_id       TEXT COLLATE "C" NOT NULL,
    checklist_version  TEXT COLLATE "C" NOT NULL,
    checklist_title    TEXT COLLATE "C" NOT NULL,
    checklist_sha256   TEXT COLLATE "C" NOT NULL,
    started_at         TEXT COLLATE "C" NOT NULL,
    started_by         TEXT COLLATE "C" NOT NULL,
    due                TEXT COLLATE "C",
    state              TEXT COLLATE "C" NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'superseded'))
);
CREATE INDEX review_vendor ON review (vendor_id, id);
CREATE TRIGGER review_next_id BEFORE INSERT ON review
FOR EACH ROW EXECUTE FUNCTION vetter_next_id();

CREATE TABLE review_section (
    review_id   BIGINT NOT NULL REFERENCES review (id),
    position    BIGINT NOT NULL,
    section_id  TEXT COLLATE "C" NOT NULL,
    title       TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (review_id, section_id)
);

CREATE TABLE review_item (
    id          BIGINT PRIMARY KEY,
    review_id   BIGINT NOT NULL REFERENCES review (id),
    position    BIGINT NOT NULL,
    section_id  TEXT COLLATE "C" NOT NULL,
    item_id     TEXT COLLATE "C" NOT NULL,
    title       TEXT COLLATE "C" NOT NULL,
    question    TEXT COLLATE "C" NOT NULL,
    guidance    TEXT COLLATE "C" NOT NULL,
    severity    TEXT COLLATE "C" NOT NULL,
    owner       TEXT COLLATE "C" NOT NULL,
    evidence    TEXT COLLATE "C" NOT NULL,   -- JSON array of expected evidence
    tags        TEXT COLLATE "C" NOT NULL,   -- JSON object of applicability tags
    UNIQUE (review_id, item_id)
);
CREATE TRIGGER review_item_next_id BEFORE INSERT ON review_item
FOR EACH ROW EXECUTE FUNCTION vetter_next_id();

-- Append-only audit log. prev_hash/hash are reserved for the hash chain.
-- Created before finding, unlike in SQLite: PostgreSQL checks that the table
-- a REFERENCES names exists (finding.event_id).
CREATE TABLE audit_event (
    id         BIGINT PRIMARY KEY,
    at         TEXT COLLATE "C" NOT NULL,
    actor      TEXT COLLATE "C" NOT NULL,
    command    TEXT COLLATE "C" NOT NULL,
    entity     TEXT COLLATE "C" NOT NULL,
    entity_id  TEXT COLLATE "C",
    vendor_id  BIGINT REFERENCES vendor (id),
    old_value  TEXT COLLATE "C",
    new_value  TEXT COLLATE "C",
    prev_hash  TEXT COLLATE "C",
    hash       TEXT COLLATE "C"
);
CREATE INDEX audit_vendor ON audit_event (vendor_id, id);
CREATE TRIGGER audit_event_next_id BEFORE INSERT ON audit_event
FOR EACH ROW EXECUTE FUNCTION vetter_next_id();

-- Findings are append-only: the newest (highest id) sets the item's status,
-- older ones stay as history.
CREATE TABLE finding (
    id              BIGINT PRIMARY KEY,
    review_item_id  BIGINT NOT NULL REFERENCES review_item (id),
    status          TEXT COLLATE "C" NOT NULL CHECK (status IN ('met', 'partial', 'not-met', 'n/a', 'unknown')),
    source          TEXT COLLATE "C" NOT NULL CHECK (source IN ('trust-center', 'dpa', 'questionnaire', 'docs', 'interview', 'test')),
    note            TEXT COLLATE "C",
    url             TEXT COLLATE "C",
    owner           TEXT COLLATE "C" CHECK (owner IN ('vendor', 'customer', 'shared')),
    recorded_at     TEXT COLLATE "C" NOT NULL,
    recorded_by     TEXT COLLATE "C" NOT NULL,
    event_id        BIGINT NOT NULL REFERENCES audit_event (id)
);
CREATE INDEX finding_item ON finding (review_item_id, id);
CREATE TRIGGER finding_next_id BEFORE INSERT ON finding
FOR EACH ROW EXECUTE FUNCTION vetter_next_id();

CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event
FOR EACH ROW EXECUTE FUNCTION vetter_refuse('audit_event is append-only');
CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event
FOR EACH ROW EXECUTE FUNCTION vetter_refuse('audit_event is append-only');
CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event
FOR EACH STATEMENT EXECUTE FUNCTION vetter_refuse('audit_event is append-only');
CREATE TRIGGER finding_no_update BEFORE UPDATE ON finding
FOR EACH ROW EXECUTE FUNCTION vetter_refuse('findings are append-only; add a newer finding instead');
CREATE TRIGGER finding_no_delete BEFORE DELETE ON finding
FOR EACH ROW EXECUTE FUNCTION vetter_refuse('findings are append-only; add a newer finding instead');
CREATE TRIGGER finding_no_truncate BEFORE TRUNCATE ON finding
FOR EACH STATEMENT EXECUTE FUNCTION vetter_refuse('findings are append-only; add a newer finding instead');
CREATE TRIGGER vendor_no_delete BEFORE DELETE ON vendor
FOR EACH ROW EXECUTE FUNCTION vetter_refuse('vendors are archived, never deleted');
CREATE TRIGGER vendor_no_truncate BEFORE TRUNCATE ON vendor
FOR EACH STATEMENT EXECUTE FUNCTION vetter_refuse('vendors are archived, never deleted');
