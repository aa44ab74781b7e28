-- vetter schema, version 2, PostgreSQL: our obligations profile, the DPA
-- clause register, subprocessor observations, and red-flag waivers.
-- (How SQLite's schema is translated: see 0001_init.sql.)

-- Our obligations. Only keys set away from their default are stored; the
-- defaults live in the binary (src/profile.rs) and are documented.
CREATE TABLE profile (
    key         TEXT COLLATE "C" PRIMARY KEY,
    value       TEXT COLLATE "C" NOT NULL,
    updated_at  TEXT COLLATE "C" NOT NULL,
    updated_by  TEXT COLLATE "C" NOT NULL
);

-- What a vendor's DPA (or BAA, MSA) says, clause by clause. `terms` holds the
-- structured terms of the clause's kind as a JSON object; `absent` records
-- that the agreement has no such clause.
CREATE TABLE clause (
    id           BIGINT PRIMARY KEY,
    vendor_id    BIGINT NOT NULL REFERENCES vendor (id),
    kind         TEXT COLLATE "C" NOT NULL,
    section      TEXT COLLATE "C",
    quote        TEXT COLLATE "C",
    absent       BIGINT NOT NULL DEFAULT 0 CHECK (absent IN (0, 1)),
    terms        TEXT COLLATE "C" NOT NULL DEFAULT '{}',
    valid_until  TEXT COLLATE "C",
    created_at   TEXT COLLATE "C" NOT NULL,
    created_by   TEXT COLLATE "C" NOT NULL,
    updated_at   TEXT COLLATE "C" NOT NULL
);
CREATE INDEX clause_vendor ON clause (vendor_id, id);
CREATE TRIGGER clause_next_id BEFORE INSERT ON clause
FOR EACH ROW EXECUTE FUNCTION vetter_next_id();
CREATE TRIGGER clause_no_delete BEFORE DELETE ON clause
FOR EACH ROW EXECUTE FUNCTION vetter_refuse('clauses are never deleted; edit them instead');
CREATE TRIGGER clause_no_truncate BEFORE TRUNCATE ON clause
FOR EACH STATEMENT EXECUTE FUNCTION vetter_refuse('clauses are never deleted; edit them instead');

-- Checklist items a clause supports (item ids, stable across review cycles).
CREATE TABLE clause_item (
    clause_id  BIGINT NOT NULL REFERENCES clause (id),
    item_id    TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (clause_id, item_id)
);

-- Each row is one sighting of a subprocessor on the vendor's published list.
-- Rows from `subprocessor import` form a complete dated snapshot; rows from
-- `subprocessor add` add to the list from their date on.
CREATE TABLE subprocessor (
    id          BIGINT PRIMARY KEY,
    vendor_id   BIGINT NOT NULL REFERENCES vendor (id),
    name        TEXT COLLATE "C" NOT NULL,
    purpose     TEXT COLLATE "C" NOT NULL,
    location    TEXT COLLATE "C" NOT NULL,
    seen        TEXT COLLATE "C" NOT NULL,                 -- YYYY-MM-DD
    origin      TEXT COLLATE "C" NOT NULL CHECK (origin IN ('add', 'snapshot')),
    recorded_at TEXT COLLATE "C" NOT NULL,
    recorded_by TEXT COLLATE "C" NOT NULL
);
CREATE INDEX subprocessor_vendor ON subprocessor (vendor_id, seen);
CREATE TRIGGER subprocessor_next_id BEFORE INSERT ON subprocessor
FOR EACH ROW EXECUTE FUNCTION vetter_next_id();
CREATE TRIGGER subprocessor_no_delete BEFORE DELETE ON subprocessor
FOR EACH ROW EXECUTE FUNCTION vetter_refuse('subprocessor observations are never deleted');
CREATE TRIGGER subprocessor_no_truncate BEFORE TRUNCATE ON subprocessor
FOR EACH STATEMENT EXECUTE FUNCTION vetter_refuse('subprocessor observations are never deleted');
CREATE TRIGGER subprocessor_no_update BEFORE UPDATE ON subprocessor
FOR EACH ROW EXECUTE FUNCTION vetter_refuse('subprocessor observations are never changed');

-- Accepted risks: a red-flag rule waived for one vendor, with a reason, until
-- a date (NULL: no end). The newest waiver of a vendor and rule is in force.
CREATE TABLE waiver (
    id          BIGINT PRIMARY KEY,
    vendor_id   BIGINT NOT NULL REFERENCES vendor (id),
    rule        TEXT COLLATE "C" NOT NULL,
    reason      TEXT COLLATE "C" NOT NULL,
    until       TEXT COLLATE "C",
    created_at  TEXT COLLATE "C" NOT NULL,
    created_by  TEXT COLLATE "C" NOT NULL
);
CREATE INDEX waiver_vendor ON waiver (vendor_id, rule, id);
CREATE TRIGGER waiver_next_id BEFORE INSERT ON waiver
FOR EACH ROW EXECUTE FUNCTION vetter_next_id();
CREATE TRIGGER waiver_no_delete BEFORE DELETE ON waiver
FOR EACH ROW EXECUTE FUNCTION vetter_refuse('waivers are never deleted; add a new one');
CREATE TRIGGER waiver_no_truncate BEFORE TRUNCATE ON waiver
FOR EACH STATEMENT EXECUTE FUNCTION vetter_refuse('waivers are never deleted; add a new one');
