-- The hash chain over the audit log (docs/security.md).
--
-- real_at: the machine's clock when the event's `at` was injected
-- (VETTER_NOW, the demo's back-dating); NULL when `at` is the real clock.
ALTER TABLE audit_event ADD COLUMN real_at TEXT;

-- Events written before the chain existed get their prev_hash/hash here:
-- the update trigger is lifted, vetter fills in the chain (it is SHA-256,
-- which SQL cannot compute), and the trigger is put back, all in the one
-- migration transaction.
DROP TRIGGER audit_event_no_update;

-- @chain-existing-events

CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event
BEGIN SELECT RAISE(ABORT, 'audit_event is append-only'); END;

-- Every event from now on is chained when it is written.
CREATE TRIGGER audit_event_chained BEFORE INSERT ON audit_event
WHEN NEW.hash IS NULL OR NEW.prev_hash IS NULL
BEGIN SELECT RAISE(ABORT, 'audit events must be hash-chained; write them with vetter'); END;
