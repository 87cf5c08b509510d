-- The auditor's 审计记录 page filters the chain by who, what, when and which
-- incident, newest first by seq (auditlog.Records, store.AuditPage). The
-- chain had only its seq: every filter read backwards through all of it
-- until a page was full, and a filter that matched nothing read the whole
-- chain. Each index ends with seq so that a filtered page is read in seq
-- order from the index. TestQueryPlansUseIndexes checks the plans on both
-- databases.
CREATE INDEX audit_actor ON audit (actor, seq);
CREATE INDEX audit_action ON audit (action, seq);
CREATE INDEX audit_object ON audit (object_type, object_id, seq);
CREATE INDEX audit_at ON audit (at);
-- The filter takes an incident's number (QS-2026-001).
CREATE INDEX incidents_number ON incidents (number);
-- A duty-log entry made into an incident is one of the incident's records.
CREATE INDEX duty_log_incident ON duty_log (incident_id) WHERE incident_id IS NOT NULL;
