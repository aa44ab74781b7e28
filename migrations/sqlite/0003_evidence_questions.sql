-- vetter schema, version 3: the evidence store (content-addressed blobs inside
-- the database) and open questions to vendors.

-- One row per distinct content. A backup of the database is a backup of the
-- evidence. Blobs are never changed or deleted.
CREATE TABLE blob (
    sha256   TEXT PRIMARY KEY,
    size     INTEGER NOT NULL,
    content  BLOB NOT NULL
);
CREATE TRIGGER blob_no_update BEFORE UPDATE ON blob
BEGIN SELECT RAISE(ABORT, 'evidence content is never changed'); END;
CREATE TRIGGER blob_no_delete BEFORE DELETE ON blob
BEGIN SELECT RAISE(ABORT, 'evidence content is never deleted'); END;

-- A piece of evidence: a file (sha256 set) or a dated quote of a web page
-- (sha256 NULL, source_url and quote set). SOC 2 reports carry their review
-- fields.
CREATE TABLE evidence (
    id                   INTEGER PRIMARY KEY,
    vendor_id            INTEGER NOT NULL REFERENCES vendor (id),
    kind                 TEXT NOT NULL,
    title                TEXT,
    file_name            TEXT,
    sha256               TEXT REFERENCES blob (sha256),
    size                 INTEGER,
    source_url           TEXT,
    quote                TEXT,
    retrieved            TEXT,
    valid_from           TEXT,
    valid_until          TEXT,
    period_start         TEXT,
    period_end           TEXT,
    opinion              TEXT,
    exceptions           INTEGER,
    cuecs                TEXT,
    subservice           TEXT,
    bridge_letter_until  TEXT,
    created_at           TEXT NOT NULL,
    created_by           TEXT NOT NULL
);
CREATE INDEX evidence_vendor ON evidence (vendor_id, id);
CREATE INDEX evidence_valid_until ON evidence (valid_until);
CREATE TRIGGER evidence_no_delete BEFORE DELETE ON evidence
BEGIN SELECT RAISE(ABORT, 'evidence is never deleted'); END;

CREATE TABLE evidence_item (
    evidence_id  INTEGER NOT NULL REFERENCES evidence (id),
    item_id      TEXT NOT NULL,
    PRIMARY KEY (evidence_id, item_id)
);

CREATE TABLE evidence_clause (
    evidence_id  INTEGER NOT NULL REFERENCES evidence (id),
    clause_id    INTEGER NOT NULL REFERENCES clause (id),
    page         INTEGER,
    PRIMARY KEY (evidence_id, clause_id)
);

-- A finding may cite the evidence (and page) it rests on.
ALTER TABLE finding ADD COLUMN evidence_id INTEGER REFERENCES evidence (id);
ALTER TABLE finding ADD COLUMN evidence_page INTEGER;

-- Questions asked of the vendor. Answers are kept in question_answer, never
-- overwritten; the question row carries the current state.
CREATE TABLE question (
    id          INTEGER PRIMARY KEY,
    vendor_id   INTEGER NOT NULL REFERENCES vendor (id),
    item_id     TEXT NOT NULL,
    clause_id   INTEGER REFERENCES clause (id),
    text        TEXT NOT NULL,
    to_contact  TEXT,
    due         TEXT,
    status      TEXT NOT NULL CHECK (status IN ('open', 'answered', 'closed')),
    resolution  TEXT CHECK (resolution IN ('accepted', 'rejected', 'superseded')),
    asked_at    TEXT NOT NULL,
    asked_by    TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX question_overdue ON question (status, due);
CREATE INDEX question_vendor ON question (vendor_id, id);
CREATE TRIGGER question_no_delete BEFORE DELETE ON question
BEGIN SELECT RAISE(ABORT, 'questions are never deleted; close them'); END;

CREATE TABLE question_answer (
    id           INTEGER PRIMARY KEY,
    question_id  INTEGER NOT NULL REFERENCES question (id),
    text         TEXT NOT NULL,
    evidence_id  INTEGER REFERENCES evidence (id),
    answered_at  TEXT NOT NULL,
    answered_by  TEXT NOT NULL
);
CREATE INDEX question_answer_question ON question_answer (question_id, id);
CREATE TRIGGER question_answer_no_change BEFORE UPDATE ON question_answer
BEGIN SELECT RAISE(ABORT, 'answers are never changed'); END;
CREATE TRIGGER question_answer_no_delete BEFORE DELETE ON question_answer
BEGIN SELECT RAISE(ABORT, 'answers are never deleted'); END;
