-- Escalation until acknowledged (issue 10): one row per escalation taken,
-- claimed in the transaction that sends it. key is unique (rc-resend-<row>,
-- rc-missing-<incident>, ap-remind-<kind>-<id>-<requested>, ...) so that a
-- restart or a second node never sends one twice. Incident state: covered
-- by the audit chain.
CREATE TABLE escalations (
  id          INTEGER PRIMARY KEY,
  key         TEXT NOT NULL UNIQUE,
  incident_id INTEGER NOT NULL REFERENCES incidents(id),
  rule        TEXT NOT NULL,
  subject_id  INTEGER NOT NULL,
  recipient_id INTEGER REFERENCES users(id),
  at          INTEGER NOT NULL
);
CREATE INDEX escalations_incident ON escalations (incident_id);
