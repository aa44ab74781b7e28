-- The hash chain over the audit log (docs/security.md).
-- (How SQLite's schema is translated: see 0001_init.sql.)
--
-- real_at: the machine's clock when the event's `at` was injected
-- (VETTER_NOW, the demo's back-dating); NULL when `at` is the real clock.
ALTER TABLE audit_event ADD COLUMN real_at TEXT COLLATE "C";

-- Events written before the chain existed get their prev_hash/hash here:
-- the update trigger is lifted, vetter fills in the chain (it is SHA-256,
-- which vetter computes), and the trigger is put back, all in the one
-- migration transaction. A PostgreSQL register is made at this version or
-- later, so its log is empty here and the step has nothing to do; it is
-- kept so that both engines run the same steps.
DROP TRIGGER audit_event_no_update ON audit_event;

-- @chain-existing-events

CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event
FOR EACH ROW EXECUTE FUNCTION vetter_refuse('audit_event is append-only');

-- Every event from now on is chained when it is written.
CREATE TRIGGER audit_event_chained BEFORE INSERT ON audit_event
FOR EACH ROW WHEN (NEW.hash IS NULL OR NEW.prev_hash IS NULL)
EXECUTE FUNCTION vetter_refuse('audit events must be hash-chained; write them with vetter');

-- The newest event's sequence number and hash: the head an appended event
-- must extend. One row. Seeded from the log as the step above left it,
-- which on a new register is (0, 64 zeros): the genesis prev_hash.
--
-- Every append locks it (vetter_chain_head below), so two events can never
-- extend the same head. vetter's writers also take an advisory lock first
-- (store::postgres::WRITE_LOCK; no table privilege needed), so they run one
-- at a time, as under SQLite's BEGIN IMMEDIATE; that is what makes
-- max(id) + 1 (vetter_next_id, review numbers) safe. The transactions are
-- READ COMMITTED (PostgreSQL's default): the writer that waited for the
-- lock then sees what the one before it committed.
CREATE TABLE chain_head (
    singleton  BOOLEAN PRIMARY KEY DEFAULT true CHECK (singleton),
    seq        BIGINT NOT NULL,
    hash       TEXT COLLATE "C" NOT NULL
);
INSERT INTO chain_head (seq, hash)
SELECT coalesce(max(id), 0),
       coalesce((SELECT hash FROM audit_event ORDER BY id DESC LIMIT 1), repeat('0', 64))
FROM audit_event;

-- Refuses an event that does not extend the head (its id is not seq + 1 or
-- its prev_hash is not the head's hash), then moves the head to it. Holds
-- the head's row lock to the end of the transaction, so no other event can
-- be appended in between. SECURITY DEFINER: a login that may insert events
-- need not be able to change chain_head itself. Its search_path, set below,
-- is pg_catalog, then this schema, then pg_temp last, so no one's temporary
-- table can stand in for chain_head.
CREATE FUNCTION vetter_chain_head() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER AS $$
DECLARE
    head_seq   bigint;
    head_hash  text;
BEGIN
    SELECT seq, hash INTO head_seq, head_hash FROM chain_head FOR UPDATE;
    -- IS DISTINCT FROM: a missing head row (NULLs) refuses every event.
    IF NEW.id IS DISTINCT FROM head_seq + 1 OR NEW.prev_hash IS DISTINCT FROM head_hash THEN
        RAISE EXCEPTION 'audit events must extend the chain head; write them with vetter'
            USING ERRCODE = 'VT001';
    END IF;
    UPDATE chain_head SET seq = NEW.id, hash = NEW.hash;
    RETURN NEW;
END;
$$;
DO $$
BEGIN
    EXECUTE format('ALTER FUNCTION vetter_chain_head() SET search_path = pg_catalog, %I, pg_temp',
                   current_schema());
END;
$$;

-- PostgreSQL fires the BEFORE INSERT triggers of a table in the order of
-- their names: audit_event_chained, audit_event_next_id, then this one, so
-- the head is checked and moved on the event as it will be stored.
CREATE TRIGGER audit_event_to_chain_head BEFORE INSERT ON audit_event
FOR EACH ROW EXECUTE FUNCTION vetter_chain_head();
