-- Questionnaires a vendor filled (CAIQ, HECVAT, CSV) and every answer in
-- them, kept with the review they were imported into. Question text is
-- never stored: ids and the vendor's own words only.
-- (How SQLite's schema is translated: see 0001_init.sql.)
CREATE TABLE questionnaire (
    id           BIGINT PRIMARY KEY,
    vendor_id    BIGINT NOT NULL REFERENCES vendor (id),
    review_id    BIGINT NOT NULL REFERENCES review (id),
    format       TEXT COLLATE "C" NOT NULL CHECK (format IN ('caiq', 'hecvat', 'csv')),
    version      TEXT COLLATE "C" NOT NULL,
    -- The workbook itself, stored as evidence.
    evidence_id  BIGINT REFERENCES evidence (id),
    -- The mapping used: its name and SHA-256.
    mapping      TEXT COLLATE "C" NOT NULL,
    imported_at  TEXT COLLATE "C" NOT NULL,
    imported_by  TEXT COLLATE "C" NOT NULL,
    event_id     BIGINT NOT NULL REFERENCES audit_event (id)
);
CREATE INDEX questionnaire_vendor ON questionnaire (vendor_id, id);
CREATE TRIGGER questionnaire_next_id BEFORE INSERT ON questionnaire
FOR EACH ROW EXECUTE FUNCTION vetter_next_id();

CREATE TABLE questionnaire_answer (
    questionnaire_id  BIGINT NOT NULL REFERENCES questionnaire (id),
    position          BIGINT NOT NULL,
    question_id       TEXT COLLATE "C" NOT NULL,
    answer            TEXT COLLATE "C" NOT NULL CHECK (answer IN ('yes', 'no', 'na', 'blank')),
    owner             TEXT COLLATE "C" CHECK (owner IN ('vendor', 'customer', 'shared')),
    description       TEXT COLLATE "C",
    -- Where it sat: "CAIQv4.0.3!C57", "line 12".
    cell              TEXT COLLATE "C" NOT NULL,
    -- The checklist items it was mapped to (space-separated), for show.
    items             TEXT COLLATE "C" NOT NULL DEFAULT '',
    PRIMARY KEY (questionnaire_id, position)
);

CREATE TRIGGER questionnaire_no_update BEFORE UPDATE ON questionnaire
FOR EACH ROW EXECUTE FUNCTION vetter_refuse('questionnaires are never changed');
CREATE TRIGGER questionnaire_no_delete BEFORE DELETE ON questionnaire
FOR EACH ROW EXECUTE FUNCTION vetter_refuse('questionnaires are never deleted');
CREATE TRIGGER questionnaire_no_truncate BEFORE TRUNCATE ON questionnaire
FOR EACH STATEMENT EXECUTE FUNCTION vetter_refuse('questionnaires are never deleted');
CREATE TRIGGER questionnaire_answer_no_update BEFORE UPDATE ON questionnaire_answer
FOR EACH ROW EXECUTE FUNCTION vetter_refuse('questionnaire answers are never changed');
CREATE TRIGGER questionnaire_answer_no_delete BEFORE DELETE ON questionnaire_answer
FOR EACH ROW EXECUTE FUNCTION vetter_refuse('questionnaire answers are never deleted');
CREATE TRIGGER questionnaire_answer_no_truncate BEFORE TRUNCATE ON questionnaire_answer
FOR EACH STATEMENT EXECUTE FUNCTION vetter_refuse('questionnaire answers are never deleted');
