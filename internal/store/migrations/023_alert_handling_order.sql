-- Issue 12: the alert handler takes the worst unhandled alerts first and,
-- among equals, the oldest: in a flood of new alerts a critical one is
-- matched and paged in the next batch, not after the backlog. Replaces
-- 017's work-list index (by id alone).
DROP INDEX alerts_unhandled;
CREATE INDEX alerts_unhandled ON alerts (severity DESC, id) WHERE handled_at IS NULL;
