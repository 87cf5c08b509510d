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
-- silenced_until <= ?); no index led with state, so each pass read every
-- alert. Partial: only silenced alerts are in it, so a repeat of a signal
-- (which changes neither column) never writes to it.
CREATE INDEX alerts_silenced ON alerts (silenced_until) WHERE state = 'silenced';
-- One unit's alerts (GET /api/v1/alerts?unit=, store.AlertQueue and
-- AlertCounts with a unit): worst first, then newest, as the queue. Without
-- it the query read the whole queue of the unit's organisation.
CREATE INDEX alerts_unit ON alerts (unit_id, priority, id);
