-- vetter schema, version 3, PostgreSQL: the evidence store (content-addressed
-- blobs inside the database) and open questions to vendors.
-- (How SQLite's schema is translated: see 0001_init.sql.)

-- One row per distinct content. A backup of the database is a backup of the
-- evidence. Blobs are never changed or deleted.
-- SQLite keeps the bytes in blob.content and streams them with incremental
-- blob I/O; PostgreSQL has no such I/O on a column, so the bytes are in
-- blob_chunk, 1 MiB a row, written and read one chunk at a time (evidence
-- files run to hundreds of MB). blob has every column of SQLite's but
-- content.
CREATE TABLE blob (
    sha256   TEXT COLLATE "C" PRIMARY KEY,
    size     BIGINT NOT NULL
);
CREATE TRIGGER blob_no_update BEFORE UPDATE ON blob
FOR EACH ROW EXECUTE FUNCTION vetter_refuse('evidence content is never changed');
CREATE TRIGGER blob_no_delete BEFORE DELETE ON blob
FOR EACH ROW EXECUTE FUNCTION vetter_refuse('evidence content is never deleted');
CREATE TRIGGER blob_no_truncate BEFORE TRUNCATE ON blob
FOR EACH STATEMENT EXECUTE FUNCTION vetter_refuse('evidence content is never deleted');

-- The content of a blob: chunk n (0, 1, 2, ... in file order) of the file
-- whose SHA-256 is sha256. Append-only like the blob it belongs to.
CREATE TABLE blob_chunk (
    sha256  TEXT COLLATE "C" NOT NULL REFERENCES blob (sha256),
    n       BIGINT NOT NULL CHECK (n >= 0),
    data    BYTEA NOT NULL,
    PRIMARY KEY (sha256, n)
);
CREATE TRIGGER blob_chunk_no_update BEFORE UPDATE ON blob_chunk
FOR EACH ROW EXECUTE FUNCTION vetter_refuse('evidence content is never changed');
CREATE TRIGGER blob_chunk_no_delete BEFORE DELETE ON blob_chunk
FOR EACH ROW EXECUTE FUNCTION vetter_refuse('evidence content is never deleted');
CREATE TRIGGER blob_chunk_no_truncate BEFORE TRUNCATE ON blob_chunk
FOR EACH STATEMENT EXECUTE FUNCTION vetter_refuse('evidence content is never deleted');

-- A piece of evidence: a file (sha256 set) or a dated quote of a web page
-- (sha256 NULL, source_url and quote set). SOC 2 reports carry their review
-- fields.
CREATE TABLE evidence (
    id                   BIGINT PRIMARY KEY,
    vendor_id            BIGINT NOT NULL REFERENCES vendor (id),
    kind                 TEXT COLLATE "C" NOT NULL,
    title                TEXT COLLATE "C",
    file_name            TEXT COLLATE "C",
    sha256               TEXT COLLATE "C" REFERENCES blob (sha256),
    size                 BIGINT,
    source_url           TEXT COLLATE "C",
    quote                TEXT COLLATE "C",
    retrieved            TEXT COLLATE "C",
    valid_from           TEXT COLLATE "C",
    valid_until          TEXT COLLATE "C",
    period_start         TEXT COLLATE "C",
    period_end           TEXT COLLATE "C",
    opinion              TEXT COLLATE "C",
    exceptions           BIGINT,
    cuecs                TEXT COLLATE "C",
    subservice           TEXT COLLATE "C",
    bridge_letter_until  TEXT COLLATE "C",
    created_at           TEXT COLLATE "C" NOT NULL,
    created_by           TEXT COLLATE "C" NOT NULL
);
CREATE INDEX evidence_vendor ON evidence (vendor_id, id);
CREATE INDEX evidence_valid_until ON evidence (valid_until);
CREATE TRIGGER evidence_next_id BEFORE INSERT ON evidence
FOR EACH ROW EXECUTE FUNCTION vetter_next_id();
CREATE TRIGGER evidence_no_delete BEFORE DELETE ON evidence
FOR EACH ROW EXECUTE FUNCTION vetter_refuse('evidence is never deleted');
CREATE TRIGGER evidence_no_truncate BEFORE TRUNCATE ON evidence
FOR EACH STATEMENT EXECUTE FUNCTION vetter_refuse('evidence is never deleted');

CREATE TABLE evidence_item (
    evidence_id  BIGINT NOT NULL REFERENCES evidence (id),
    item_id      TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (evidence_id, item_id)
);

CREATE TABLE evidence_clause (
    evidence_id  BIGINT NOT NULL REFERENCES evidence (id),
    clause_id    BIGINT NOT NULL REFERENCES clause (id),
    page         BIGINT,
    PRIMARY KEY (evidence_id, clause_id)
);

-- A finding may cite the evidence (and page) it rests on.
ALTER TABLE finding ADD COLUMN evidence_id BIGINT REFERENCES evidence (id);
ALTER TABLE finding ADD COLUMN evidence_page BIGINT;

-- Questions asked of the vendor. Answers are kept in question_answer, never
-- overwritten; the question row carries the current state.
CREATE TABLE question (
    id          BIGINT PRIMARY KEY,
    vendor_id   BIGINT NOT NULL REFERENCES vendor (id),
    item_id     TEXT COLLATE "C" NOT NULL,
    clause_id   BIGINT REFERENCES clause (id),
    text        TEXT COLLATE "C" NOT NULL,
    to_contact  TEXT COLLATE "C",
    due         TEXT COLLATE "C",
    status      TEXT COLLATE "C" NOT NULL CHECK (status IN ('open', 'answered', 'closed')),
    resolution  TEXT COLLATE "C" CHECK (resolution IN ('accepted', 'rejected', 'superseded')),
    asked_at    TEXT COLLATE "C" NOT NULL,
    asked_by    TEXT COLLATE "C" NOT NULL,
    updated_at  TEXT COLLATE "C" NOT NULL
);
CREATE INDEX question_overdue ON question (status, due);
CREATE INDEX question_vendor ON question (vendor_id, id);
CREATE TRIGGER question_next_id BEFORE INSERT ON question
FOR EACH ROW EXECUTE FUNCTION vetter_next_id();
CREATE TRIGGER question_no_delete BEFORE DELETE ON question
FOR EACH ROW EXECUTE FUNCTION vetter_refuse('questions are never deleted; close them');
CREATE TRIGGER question_no_truncate BEFORE TRUNCATE ON question
FOR EACH STATEMENT EXECUTE FUNCTION vetter_refuse('questions are never deleted; close them');

CREATE TABLE question_answer (
    id           BIGINT PRIMARY KEY,
    question_id  BIGINT NOT NULL REFERENCES question (id),
    text         TEXT COLLATE "C" NOT NULL,
    evidence_id  BIGINT REFERENCES evidence (id),
    answered_at  TEXT COLLATE "C" NOT NULL,
    answered_by  TEXT COLLATE "C" NOT NULL
);
CREATE INDEX question_answer_question ON question_answer (question_id, id);
CREATE TRIGGER question_answer_next_id BEFORE INSERT ON question_answer
FOR EACH ROW EXECUTE FUNCTION vetter_next_id();
CREATE TRIGGER question_answer_no_change BEFORE UPDATE ON question_answer
FOR EACH ROW EXECUTE FUNCTION vetter_refuse('answers are never changed');
CREATE TRIGGER question_answer_no_delete BEFORE DELETE ON question_answer
FOR EACH ROW EXECUTE FUNCTION vetter_refuse('answers are never deleted');
CREATE TRIGGER question_answer_no_truncate BEFORE TRUNCATE ON question_answer
FOR EACH STATEMENT EXECUTE FUNCTION vetter_refuse('answers are never deleted');
