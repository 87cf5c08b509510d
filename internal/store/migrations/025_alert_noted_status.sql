-- A source keeps updating an alert after it was promoted to, or attached
-- to, an incident: Alertmanager's "resolved", a monitored site up again, a
-- repeat firing again. The ingest overwrites alerts.status without reading
-- it (no read on the hot path), so the change is found later: noted_status
-- is the status the incident's timeline last said (set when the alert is
-- linked), and the alert handler's tick puts on the timeline each linked
-- alert whose status differs from it (store.AlertStatusChanges), then
-- notes it. '' for an alert never linked.
ALTER TABLE alerts ADD COLUMN noted_status TEXT NOT NULL DEFAULT '';
-- Alerts linked before this: their timeline has said what it said; no
-- flood of entries for old alerts after the upgrade.
UPDATE alerts SET noted_status = status WHERE incident_id IS NOT NULL;
-- The sweep's work list: only linked alerts are in it, in the order the
-- ingest writes alerts (organisation, fingerprint), which the sweep's
-- transaction takes their row locks in (store.SilencesOver says why).
-- None of its columns, nor incident_id, is set by the ingest's upsert, so
-- a signal never writes to it.
CREATE INDEX alerts_linked ON alerts (org_id, fingerprint) WHERE incident_id IS NOT NULL;
