-- Issue 12: the alert handler takes the worst unhandled alerts first and,
-- among equals, the oldest: in a flood of new alerts a critical one is
-- matched and paged in the next batch, not after the backlog. Replaces
-- 017's work-list index (by id alone).
DROP INDEX alerts_unhandled;
CREATE INDEX alerts_unhandled ON alerts (severity DESC, id) WHERE handled_at IS NULL;
-- The queue: worst first, then newest by arrival (first seen). 017
-- ordered by last_seen, which every repeat of a
-- signal moves: each deduplicated signal then rewrote an index entry, about
-- a tenth of the ingest's time; by id it is written once, at arrival.
DROP INDEX alerts_queue;
CREATE INDEX alerts_queue ON alerts (org_id, state, priority, id);
