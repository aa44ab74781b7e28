-- Reviews are numbered 1, 2, 3... per vendor: "review #2 of neon" is Neon's
-- second review. The global id stays the internal key.
-- (How SQLite's schema is translated: see 0001_init.sql.)
ALTER TABLE review ADD COLUMN number BIGINT;
UPDATE review SET number = (
    SELECT count(*) FROM review earlier
    WHERE earlier.vendor_id = review.vendor_id AND earlier.id <= review.id
);
CREATE UNIQUE INDEX review_vendor_number ON review (vendor_id, number);

-- A review inserted without a number (a script, a restore) still gets the
-- vendor's next one; once set, a number never changes.
-- SQLite sets it AFTER INSERT with an UPDATE of the new row; here a BEFORE
-- INSERT trigger sets NEW.number, which stores the same number without an
-- UPDATE (so a login that may insert reviews needs no right to update them).
-- Writers are serialised (see vetter_next_id in 0001), so max + 1 is safe.
CREATE FUNCTION vetter_review_number() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('SELECT coalesce(max(number), 0) + 1 FROM %I.%I WHERE vendor_id = $1',
                   TG_TABLE_SCHEMA, TG_TABLE_NAME)
        INTO NEW.number USING NEW.vendor_id;
    RETURN NEW;
END;
$$;
CREATE TRIGGER review_number_assigned BEFORE INSERT ON review
FOR EACH ROW WHEN (NEW.number IS NULL) EXECUTE FUNCTION vetter_review_number();
CREATE TRIGGER review_number_fixed BEFORE UPDATE OF number ON review
FOR EACH ROW WHEN (OLD.number IS NOT NULL) EXECUTE FUNCTION vetter_refuse('a review keeps its number');

-- A waiver given for a rule that was not raised for the vendor when it was
-- waived ("--pre-emptive"), so the register says it was not a response to a flag.
ALTER TABLE waiver ADD COLUMN pre_emptive BIGINT NOT NULL DEFAULT 0 CHECK (pre_emptive IN (0, 1));
