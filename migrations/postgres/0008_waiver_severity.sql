-- A waiver accepts a rule's risk at the severity it was raised at: the most
-- serious severity of the rule's flags when it was waived (for a pre-emptive
-- waiver, the rule's own). A flag that later becomes more serious (audit.none
-- is high, critical once GDPR binds us) is not covered. NULL: a waiver given
-- before this was recorded, which covers any severity as it did then.
-- (How SQLite's schema is translated: see 0001_init.sql.)
ALTER TABLE waiver ADD COLUMN severity TEXT COLLATE "C"
    CHECK (severity IN ('critical', 'high', 'medium', 'info'));
