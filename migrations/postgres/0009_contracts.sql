-- Contracts with a vendor (`vetter contract add`): the term, whether it
-- renews tacitly and for how long, the notice needed to stop it, and whether
-- we may end it for convenience. A contract is never changed or deleted;
-- `vetter contract end` records its end in contract_end, once.
-- (How SQLite's schema is translated: see 0001_init.sql.)
CREATE TABLE contract (
    id                           BIGINT PRIMARY KEY,
    vendor_id                    BIGINT NOT NULL REFERENCES vendor (id),
    start                        TEXT COLLATE "C" NOT NULL,
    end_date                     TEXT COLLATE "C" NOT NULL,
    auto_renew                   BIGINT NOT NULL CHECK (auto_renew IN (0, 1)),
    renewal_months               BIGINT CHECK (renewal_months > 0),
    notice_days                  BIGINT CHECK (notice_days >= 0),
    notice_business_days         BIGINT NOT NULL CHECK (notice_business_days IN (0, 1)),
    termination_for_convenience  BIGINT CHECK (termination_for_convenience IN (0, 1)),
    reference                    TEXT COLLATE "C",
    section                      TEXT COLLATE "C",
    quote                        TEXT COLLATE "C",
    evidence_id                  BIGINT REFERENCES evidence (id),
    created_at                   TEXT COLLATE "C" NOT NULL,
    created_by                   TEXT COLLATE "C" NOT NULL,
    CHECK (end_date >= start)
);
CREATE INDEX contract_vendor ON contract (vendor_id, id);
CREATE TRIGGER contract_next_id BEFORE INSERT ON contract
FOR EACH ROW EXECUTE FUNCTION vetter_next_id();
CREATE TRIGGER contract_no_update BEFORE UPDATE ON contract
FOR EACH ROW EXECUTE FUNCTION vetter_refuse('contracts are never changed; end it and add the new one');
CREATE TRIGGER contract_no_delete BEFORE DELETE ON contract
FOR EACH ROW EXECUTE FUNCTION vetter_refuse('contracts are never deleted; end it with vetter contract end');
CREATE TRIGGER contract_no_truncate BEFORE TRUNCATE ON contract
FOR EACH STATEMENT EXECUTE FUNCTION vetter_refuse('contracts are never deleted; end it with vetter contract end');

CREATE TABLE contract_end (
    contract_id  BIGINT PRIMARY KEY REFERENCES contract (id),
    ended_on     TEXT COLLATE "C" NOT NULL,
    reason       TEXT COLLATE "C" NOT NULL,
    ended_at     TEXT COLLATE "C" NOT NULL,
    ended_by     TEXT COLLATE "C" NOT NULL
);
CREATE TRIGGER contract_end_no_update BEFORE UPDATE ON contract_end
FOR EACH ROW EXECUTE FUNCTION vetter_refuse('a contract''s end is never changed');
CREATE TRIGGER contract_end_no_delete BEFORE DELETE ON contract_end
FOR EACH ROW EXECUTE FUNCTION vetter_refuse('a contract''s end is never deleted');
CREATE TRIGGER contract_end_no_truncate BEFORE TRUNCATE ON contract_end
FOR EACH STATEMENT EXECUTE FUNCTION vetter_refuse('a contract''s end is never deleted');
