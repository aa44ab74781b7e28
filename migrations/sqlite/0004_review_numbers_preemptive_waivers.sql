-- Reviews are numbered 1, 2, 3... per vendor: "review #2 of neon" is Neon's
-- second review. The global id stays the internal key.
ALTER TABLE review ADD COLUMN number INTEGER;
UPDATE review SET number = (
    SELECT count(*) FROM review earlier
    WHERE earlier.vendor_id = review.vendor_id AND earlier.id <= review.id
);
CREATE UNIQUE INDEX review_vendor_number ON review (vendor_id, number);
-- A review inserted without a number (a script, a restore) still gets the
-- vendor's next one; once set, a number never changes.
CREATE TRIGGER review_number_assigned AFTER INSERT ON review WHEN NEW.number IS NULL
BEGIN
    UPDATE review SET number = (
        SELECT coalesce(max(number), 0) + 1 FROM review WHERE vendor_id = NEW.vendor_id
    ) WHERE id = NEW.id;
END;
CREATE TRIGGER review_number_fixed BEFORE UPDATE OF number ON review WHEN OLD.number IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'a review keeps its number'); END;

-- A waiver given for a rule that was not raised for the vendor when it was
-- waived ("--pre-emptive"), so the register says it was not a response to a flag.
ALTER TABLE waiver ADD COLUMN pre_emptive INTEGER NOT NULL DEFAULT 0 CHECK (pre_emptive IN (0, 1));
