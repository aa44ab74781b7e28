-- Contracts with a vendor (`vetter contract add`): the term, whether it
-- renews tacitly and for how long, the notice needed to stop it, and whether
-- we may end it for convenience. A contract is never changed or deleted;
-- `vetter contract end` records its end in contract_end, once.
CREATE TABLE contract (
    id                           INTEGER PRIMARY KEY,
    vendor_id                    INTEGER NOT NULL REFERENCES vendor (id),
    start                        TEXT NOT NULL,
    end_date                     TEXT NOT NULL,
    auto_renew                   INTEGER NOT NULL CHECK (auto_renew IN (0, 1)),
    renewal_months               INTEGER CHECK (renewal_months > 0),
    notice_days                  INTEGER CHECK (notice_days >= 0),
    notice_business_days         INTEGER NOT NULL CHECK (notice_business_days IN (0, 1)),
    termination_for_convenience  INTEGER CHECK (termination_for_convenience IN (0, 1)),
    reference                    TEXT,
    section                      TEXT,
    quote                        TEXT,
    evidence_id                  INTEGER REFERENCES evidence (id),
    created_at                   TEXT NOT NULL,
    created_by                   TEXT NOT NULL,
    CHECK (end_date >= start)
);
CREATE INDEX contract_vendor ON contract (vendor_id, id);
CREATE TRIGGER contract_no_update BEFORE UPDATE ON contract
BEGIN SELECT RAISE(ABORT, 'contracts are never changed; end it and add the new one'); END;
CREATE TRIGGER contract_no_delete BEFORE DELETE ON contract
BEGIN SELECT RAISE(ABORT, 'contracts are never deleted; end it with vetter contract end'); END;

CREATE TABLE contract_end (
    contract_id  INTEGER PRIMARY KEY REFERENCES contract (id),
    ended_on     TEXT NOT NULL,
    reason       TEXT NOT NULL,
    ended_at     TEXT NOT NULL,
    ended_by     TEXT NOT NULL
);
CREATE TRIGGER contract_end_no_update BEFORE UPDATE ON contract_end
BEGIN SELECT RAISE(ABORT, 'a contract''s end is never changed'); END;
CREATE TRIGGER contract_end_no_delete BEFORE DELETE ON contract_end
BEGIN SELECT RAISE(ABORT, 'a contract''s end is never deleted'); END;
