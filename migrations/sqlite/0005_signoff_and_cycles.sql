-- The four-eyes sign-off of a review, as an append-only history: the
-- preparer submits, a different person decides (or the review is reopened).
-- A review's stage is its newest row: none or 'reopen' = open, 'submit' =
-- submitted, 'decide' = decided.
CREATE TABLE review_signoff (
    id               INTEGER PRIMARY KEY,
    review_id        INTEGER NOT NULL REFERENCES review (id),
    action           TEXT NOT NULL CHECK (action IN ('submit', 'reopen', 'decide')),
    at               TEXT NOT NULL,
    actor            TEXT NOT NULL,
    note             TEXT,
    decision         TEXT CHECK (decision IN ('approve', 'conditional', 'reject')),
    conditions       TEXT,
    override_reason  TEXT,
    -- When the vendor is due for review again (decide only).
    next_review      TEXT,
    -- What the decision was based on: score, flags, clauses, subprocessors
    -- as JSON (decide only), so cycles can be compared later.
    snapshot         TEXT,
    event_id         INTEGER NOT NULL REFERENCES audit_event (id),
    CHECK ((action = 'decide') = (decision IS NOT NULL))
);
CREATE INDEX review_signoff_review ON review_signoff (review_id, id);
CREATE TRIGGER review_signoff_no_update BEFORE UPDATE ON review_signoff
BEGIN SELECT RAISE(ABORT, 'sign-offs are never changed'); END;
CREATE TRIGGER review_signoff_no_delete BEFORE DELETE ON review_signoff
BEGIN SELECT RAISE(ABORT, 'sign-offs are never deleted'); END;

-- A finding carried forward into a new cycle from the decided review before
-- it: it keeps its status for reference but counts as "to re-confirm" until
-- a newer finding is recorded for the item.
ALTER TABLE finding ADD COLUMN carried_from INTEGER REFERENCES finding (id);
