-- The four-eyes sign-off of a review, as an append-only history: the
-- preparer submits, a different person decides (or the review is reopened).
-- A review's stage is its newest row: none or 'reopen' = open, 'submit' =
-- submitted, 'decide' = decided.
-- (How SQLite's schema is translated: see 0001_init.sql.)
CREATE TABLE review_signoff (
    id               BIGINT PRIMARY KEY,
    review_id        BIGINT NOT NULL REFERENCES review (id),
    action           TEXT COLLATE "C" NOT NULL CHECK (action IN ('submit', 'reopen', 'decide')),
    at               TEXT COLLATE "C" NOT NULL,
    actor            TEXT COLLATE "C" NOT NULL,
    note             TEXT COLLATE "C",
    decision         TEXT COLLATE "C" CHECK (decision IN ('approve', 'conditional', 'reject')),
    conditions       TEXT COLLATE "C",
    override_reason  TEXT COLLATE "C",
    -- When the vendor is due for review again (decide only).
    next_review      TEXT COLLATE "C",
    -- What the decision was based on: score, flags, clauses, subprocessors
    -- as JSON (decide only), so cycles can be compared later.
    snapshot         TEXT COLLATE "C",
    event_id         BIGINT NOT NULL REFERENCES audit_event (id),
    CHECK ((action = 'decide') = (decision IS NOT NULL))
);
CREATE INDEX review_signoff_review ON review_signoff (review_id, id);
CREATE TRIGGER review_signoff_next_id BEFORE INSERT ON review_signoff
FOR EACH ROW EXECUTE FUNCTION vetter_next_id();
CREATE TRIGGER review_signoff_no_update BEFORE UPDATE ON review_signoff
FOR EACH ROW EXECUTE FUNCTION vetter_refuse('sign-offs are never changed');
CREATE TRIGGER review_signoff_no_delete BEFORE DELETE ON review_signoff
FOR EACH ROW EXECUTE FUNCTION vetter_refuse('sign-offs are never deleted');
CREATE TRIGGER review_signoff_no_truncate BEFORE TRUNCATE ON review_signoff
FOR EACH STATEMENT EXECUTE FUNCTION vetter_refuse('sign-offs are never deleted');

-- A finding carried forward into a new cycle from the decided review before
-- it: it keeps its status for reference but counts as "to re-confirm" until
-- a newer finding is recorded for the item.
ALTER TABLE finding ADD COLUMN carried_from BIGINT REFERENCES finding (id);
