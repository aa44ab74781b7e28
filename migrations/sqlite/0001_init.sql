-- vetter schema, version 1: vendors, checklists, reviews, findings, audit log.
-- Applied inside one transaction together with `PRAGMA user_version = 1`.

-- User-installed checklists (built-ins are embedded in the binary).
-- The TOML text is kept verbatim so a review can always be traced to it.
CREATE TABLE checklist (
    id            INTEGER PRIMARY KEY,
    checklist_id  TEXT NOT NULL,
    version       TEXT NOT NULL,
    title         TEXT NOT NULL,
    content       TEXT NOT NULL,
    sha256        TEXT NOT NULL,
    installed_at  TEXT NOT NULL,
    installed_by  TEXT NOT NULL,
    UNIQUE (checklist_id, version)
);

CREATE TABLE vendor (
    id               INTEGER PRIMARY KEY,
    slug             TEXT NOT NULL UNIQUE,
    name             TEXT NOT NULL,
    website          TEXT,
    trust_center     TEXT,
    hosting          TEXT,
    tenancy          TEXT,
    data_categories  TEXT NOT NULL DEFAULT '',   -- comma list, canonical order
    tier             TEXT,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    archived_at      TEXT                          -- never deleted, only archived
);

-- One review per assessment cycle. The checklist items it uses are copied
-- into review_item, so later checklist edits never rewrite a review.
CREATE TABLE review (
    id                 INTEGER PRIMARY KEY,
    vendor_id          INTEGER NOT NULL REFERENCES vendor (id),
    checklist_id       TEXT NOT NULL,
    checklist_version  TEXT NOT NULL,
    checklist_title    TEXT NOT NULL,
    checklist_sha256   TEXT NOT NULL,
    started_at         TEXT NOT NULL,
    started_by         TEXT NOT NULL,
    due                TEXT,
    state              TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'superseded'))
);
CREATE INDEX review_vendor ON review (vendor_id, id);

CREATE TABLE review_section (
    review_id   INTEGER NOT NULL REFERENCES review (id),
    position    INTEGER NOT NULL,
    section_id  TEXT NOT NULL,
    title       TEXT NOT NULL,
    PRIMARY KEY (review_id, section_id)
);

CREATE TABLE review_item (
    id          INTEGER PRIMARY KEY,
    review_id   INTEGER NOT NULL REFERENCES review (id),
    position    INTEGER NOT NULL,
    section_id  TEXT NOT NULL,
    item_id     TEXT NOT NULL,
    title       TEXT NOT NULL,
    question    TEXT NOT NULL,
    guidance    TEXT NOT NULL,
    severity    TEXT NOT NULL,
    owner       TEXT NOT NULL,
    evidence    TEXT NOT NULL,   -- JSON array of expected evidence
    tags        TEXT NOT NULL,   -- JSON object of applicability tags
    UNIQUE (review_id, item_id)
);

-- Findings are append-only: the newest (highest id) sets the item's status,
-- older ones stay as history.
CREATE TABLE finding (
    id              INTEGER PRIMARY KEY,
    review_item_id  INTEGER NOT NULL REFERENCES review_item (id),
    status          TEXT NOT NULL CHECK (status IN ('met', 'partial', 'not-met', 'n/a', 'unknown')),
    source          TEXT NOT NULL CHECK (source IN ('trust-center', 'dpa', 'questionnaire', 'docs', 'interview', 'test')),
    note            TEXT,
    url             TEXT,
    owner           TEXT CHECK (owner IN ('vendor', 'customer', 'shared')),
    recorded_at     TEXT NOT NULL,
    recorded_by     TEXT NOT NULL,
    event_id        INTEGER NOT NULL REFERENCES audit_event (id)
);
CREATE INDEX finding_item ON finding (review_item_id, id);

-- Append-only audit log. prev_hash/hash are reserved for the hash chain.
CREATE TABLE audit_event (
    id         INTEGER PRIMARY KEY,
    at         TEXT NOT NULL,
    actor      TEXT NOT NULL,
    command    TEXT NOT NULL,
    entity     TEXT NOT NULL,
    entity_id  TEXT,
    vendor_id  INTEGER REFERENCES vendor (id),
    old_value  TEXT,
    new_value  TEXT,
    prev_hash  TEXT,
    hash       TEXT
);
CREATE INDEX audit_vendor ON audit_event (vendor_id, id);

CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event
BEGIN SELECT RAISE(ABORT, 'audit_event is append-only'); END;
CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event
BEGIN SELECT RAISE(ABORT, 'audit_event is append-only'); END;
CREATE TRIGGER finding_no_update BEFORE UPDATE ON finding
BEGIN SELECT RAISE(ABORT, 'findings are append-only; add a newer finding instead'); END;
CREATE TRIGGER finding_no_delete BEFORE DELETE ON finding
BEGIN SELECT RAISE(ABORT, 'findings are append-only; add a newer finding instead'); END;
CREATE TRIGGER vendor_no_delete BEFORE DELETE ON vendor
BEGIN SELECT RAISE(ABORT, 'vendors are archived, never deleted'); END;
