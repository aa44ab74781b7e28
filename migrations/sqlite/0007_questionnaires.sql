-- Questionnaires a vendor filled (CAIQ, HECVAT, CSV) and every answer in
-- them, kept with the review they were imported into. Question text is
-- never stored: ids and the vendor's own words only.
CREATE TABLE questionnaire (
    id           INTEGER PRIMARY KEY,
    vendor_id    INTEGER NOT NULL REFERENCES vendor (id),
    review_id    INTEGER NOT NULL REFERENCES review (id),
    format       TEXT NOT NULL CHECK (format IN ('caiq', 'hecvat', 'csv')),
    version      TEXT NOT NULL,
    -- The workbook itself, stored as evidence.
    evidence_id  INTEGER REFERENCES evidence (id),
    -- The mapping used: its name and SHA-256.
    mapping      TEXT NOT NULL,
    imported_at  TEXT NOT NULL,
    imported_by  TEXT NOT NULL,
    event_id     INTEGER NOT NULL REFERENCES audit_event (id)
);
CREATE INDEX questionnaire_vendor ON questionnaire (vendor_id, id);

CREATE TABLE questionnaire_answer (
    questionnaire_id  INTEGER NOT NULL REFERENCES questionnaire (id),
    position          INTEGER NOT NULL,
    question_id       TEXT NOT NULL,
    answer            TEXT NOT NULL CHECK (answer IN ('yes', 'no', 'na', 'blank')),
    owner             TEXT CHECK (owner IN ('vendor', 'customer', 'shared')),
    description       TEXT,
    -- Where it sat: "CAIQv4.0.3!C57", "line 12".
    cell              TEXT NOT NULL,
    -- The checklist items it was mapped to (space-separated), for show.
    items             TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (questionnaire_id, position)
);

CREATE TRIGGER questionnaire_no_update BEFORE UPDATE ON questionnaire
BEGIN SELECT RAISE(ABORT, 'questionnaires are never changed'); END;
CREATE TRIGGER questionnaire_no_delete BEFORE DELETE ON questionnaire
BEGIN SELECT RAISE(ABORT, 'questionnaires are never deleted'); END;
CREATE TRIGGER questionnaire_answer_no_update BEFORE UPDATE ON questionnaire_answer
BEGIN SELECT RAISE(ABORT, 'questionnaire answers are never changed'); END;
CREATE TRIGGER questionnaire_answer_no_delete BEFORE DELETE ON questionnaire_answer
BEGIN SELECT RAISE(ABORT, 'questionnaire answers are never deleted'); END;
