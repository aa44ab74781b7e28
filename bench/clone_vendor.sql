-- Bench setup: clone vendor 1 (its review, items, findings, clauses and
-- subprocessors) into vendors 2..1000, so `flags --all` has 1,000 realistic
-- vendors without 250,000 CLI calls. Findings keep their audit event id.
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 2 UNION ALL SELECT i + 1 FROM n WHERE i < 1000)
INSERT INTO vendor (slug, name, hosting, tenancy, data_categories, tier, created_at, updated_at)
SELECT printf('bench-%04d', i), printf('Bench Vendor %04d', i), v.hosting, v.tenancy, v.data_categories, v.tier, v.created_at, v.updated_at
FROM n, vendor v WHERE v.id = 1;

INSERT INTO clause (vendor_id, kind, section, quote, absent, terms, valid_until, created_at, created_by, updated_at)
SELECT v.id, c.kind, c.section, c.quote, c.absent, c.terms, c.valid_until, c.created_at, c.created_by, c.updated_at
FROM vendor v, clause c WHERE v.id > 1 AND c.vendor_id = 1 ORDER BY v.id, c.id;

INSERT INTO review (vendor_id, checklist_id, checklist_version, checklist_title, checklist_sha256, started_at, started_by, due, state)
SELECT v.id, r.checklist_id, r.checklist_version, r.checklist_title, r.checklist_sha256, r.started_at, r.started_by, r.due, r.state
FROM vendor v, review r WHERE v.id > 1 AND r.vendor_id = 1;

INSERT INTO review_section (review_id, position, section_id, title)
SELECT r.id, s.position, s.section_id, s.title FROM review r, review_section s WHERE r.vendor_id > 1 AND s.review_id = 1;

INSERT INTO review_item (review_id, position, section_id, item_id, title, question, guidance, severity, owner, evidence, tags)
SELECT r.id, i.position, i.section_id, i.item_id, i.title, i.question, i.guidance, i.severity, i.owner, i.evidence, i.tags
FROM review r, review_item i WHERE r.vendor_id > 1 AND i.review_id = 1 ORDER BY r.id, i.id;

INSERT INTO finding (review_item_id, status, source, note, url, owner, recorded_at, recorded_by, event_id)
SELECT i2.id, f.status, f.source, f.note, f.url, f.owner, f.recorded_at, f.recorded_by, f.event_id
FROM finding f
JOIN review_item i1 ON i1.id = f.review_item_id AND i1.review_id = 1
JOIN review_item i2 ON i2.item_id = i1.item_id AND i2.review_id > 1
ORDER BY i2.review_id, f.id;

INSERT INTO subprocessor (vendor_id, name, purpose, location, seen, origin, recorded_at, recorded_by)
SELECT v.id, s.name, s.purpose, s.location, s.seen, s.origin, s.recorded_at, s.recorded_by
FROM vendor v, subprocessor s WHERE v.id > 1 AND s.vendor_id = 1;
COMMIT;
