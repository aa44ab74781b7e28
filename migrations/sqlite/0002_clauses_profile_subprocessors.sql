-- vetter schema, version 2: our obligations profile, the DPA clause register,
-- subprocessor observations, and red-flag waivers.

-- Our obligations. Only keys set away from their default are stored; the
-- defaults live in the binary (src/profile.rs) and are documented.
CREATE TABLE profile (
    key         TEXT PRIMARY KEY,
    value       TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    updated_by  TEXT NOT NULL
);

-- What a vendor's DPA (or BAA, MSA) says, clause by clause. `terms` holds the
-- structured terms of the clause's kind as a JSON object; `absent` records
-- that the agreement has no such clause.
CREATE TABLE clause (
    id           INTEGER PRIMARY KEY,
    vendor_id    INTEGER NOT NULL REFERENCES vendor (id),
    kind         TEXT NOT NULL,
    section      TEXT,
    quote        TEXT,
    absent       INTEGER NOT NULL DEFAULT 0 CHECK (absent IN (0, 1)),
    terms        TEXT NOT NULL DEFAULT '{}',
    valid_until  TEXT,
    created_at   TEXT NOT NULL,
    created_by   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);
CREATE INDEX clause_vendor ON clause (vendor_id, id);
CREATE TRIGGER clause_no_delete BEFORE DELETE ON clause
BEGIN SELECT RAISE(ABORT, 'clauses are never deleted; edit them instead'); END;

-- Checklist items a clause supports (item ids, stable across review cycles).
CREATE TABLE clause_item (
    clause_id  INTEGER NOT NULL REFERENCES clause (id),
    item_id    TEXT NOT NULL,
    PRIMARY KEY (clause_id, item_id)
);

-- Each row is one sighting of a subprocessor on the vendor's published list.
-- Rows from `subprocessor import` form a complete dated snapshot; rows from
-- `subprocessor add` add to the list from their date on.
CREATE TABLE subprocessor (
    id          INTEGER PRIMARY KEY,
    vendor_id   INTEGER NOT NULL REFERENCES vendor (id),
    name        TEXT NOT NULL,
    purpose     TEXT NOT NULL,
    location    TEXT NOT NULL,
    seen        TEXT NOT NULL,                 -- YYYY-MM-DD
    origin      TEXT NOT NULL CHECK (origin IN ('add', 'snapshot')),
    recorded_at TEXT NOT NULL,
    recorded_by TEXT NOT NULL
);
CREATE INDEX subprocessor_vendor ON subprocessor (vendor_id, seen);
CREATE TRIGGER subprocessor_no_delete BEFORE DELETE ON subprocessor
BEGIN SELECT RAISE(ABORT, 'subprocessor observations are never deleted'); END;
CREATE TRIGGER subprocessor_no_update BEFORE UPDATE ON subprocessor
BEGIN SELECT RAISE(ABORT, 'subprocessor observations are never changed'); END;

-- Accepted risks: a red-flag rule waived for one vendor, with a reason, until
-- a date (NULL: no end). The newest waiver of a vendor and rule is in force.
CREATE TABLE waiver (
    id          INTEGER PRIMARY KEY,
    vendor_id   INTEGER NOT NULL REFERENCES vendor (id),
    rule        TEXT NOT NULL,
    reason      TEXT NOT NULL,
    until       TEXT,
    created_at  TEXT NOT NULL,
    created_by  TEXT NOT NULL
);
CREATE INDEX waiver_vendor ON waiver (vendor_id, rule, id);
CREATE TRIGGER waiver_no_delete BEFORE DELETE ON waiver
BEGIN SELECT RAISE(ABORT, 'waivers are never deleted; add a new one'); END;
