-- Alert handling (issue 12, part 2): what the plan's alert rules suggested
-- (rule_name, suggested_category, suggested_level), when the duty officer
-- was paged, and each alert's own history (alert_events: handled, acked,
-- silenced, promoted, attached), which its page shows. Like alerts (017),
-- alert_events is not incident state and the audit chain does not hash it:
-- every event is also an audit record, and an alert reaching an incident
-- puts an entry on the incident's (covered) timeline.
ALTER TABLE alerts ADD COLUMN rule_name TEXT NOT NULL DEFAULT '';
ALTER TABLE alerts ADD COLUMN suggested_category TEXT NOT NULL DEFAULT '';
ALTER TABLE alerts ADD COLUMN suggested_level INTEGER NOT NULL DEFAULT 0;
ALTER TABLE alerts ADD COLUMN paged_at INTEGER;

CREATE TABLE alert_events (
  id        INTEGER PRIMARY KEY,
  alert_id  INTEGER NOT NULL REFERENCES alerts(id),
  at        INTEGER NOT NULL,
  actor_id  INTEGER REFERENCES users(id),
  kind      TEXT NOT NULL,
  data      TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX alert_events_alert ON alert_events (alert_id, id);
