-- Indexes for reads that scanned a table growing with every signal or
-- report. Each names the query it serves; TestQueryPlansUseIndexes checks
-- on both databases that the query uses it.
--
-- An alert's page, and the handler for an alert a unit reported, ask which
-- unit report made the alert (store.UnitReportOfAlert: alert_id = ? ORDER
-- BY id LIMIT 1). 018 indexed unit_reports by organisation only.
CREATE INDEX unit_reports_alert ON unit_reports (alert_id, id);
-- The handler wakes the alerts whose silence is over every 2 s, inside its
-- write transaction (store.SilencesOver: state = 'silenced' AND
-- silenced_until <= ? ORDER BY org_id, fingerprint); no index led with
-- state, so each pass read every alert. Partial: only silenced alerts are
-- in it, so a repeat of a signal (which changes none of its columns) never
-- writes to it; in the query's order, so that the planner takes it over
-- the full (org_id, fingerprint) index, which it otherwise prefers for
-- the ORDER BY once the table has rows.
CREATE INDEX alerts_silenced ON alerts (org_id, fingerprint, silenced_until) WHERE state = 'silenced';
-- One unit's alerts (GET /api/v1/alerts?unit=, store.AlertQueue and
-- AlertCounts with a unit): without it the query read the whole queue of
-- the unit's organisation. It leads with what the queue's index (023) has,
-- so that the planner, counting the equalities each index matches, takes
-- this one when a unit is named and 023's when not. Partial: an alert no
-- unit is known for (every new one, until the handler matches it) is not
-- in it, so the ingest does not write to it.
CREATE INDEX alerts_unit ON alerts (org_id, unit_id, state, priority, id) WHERE unit_id IS NOT NULL;
