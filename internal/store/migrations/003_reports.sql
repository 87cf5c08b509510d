-- Reports: versions, sign-off, submission. A row is one version of one
-- report; a correction is a new row whose supersedes points at the old one,
-- so nothing submitted is ever overwritten.
ALTER TABLE reports ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE reports ADD COLUMN supersedes INTEGER REFERENCES reports(id);
ALTER TABLE reports ADD COLUMN fields TEXT NOT NULL DEFAULT '{}';
ALTER TABLE reports ADD COLUMN sources TEXT NOT NULL DEFAULT '';
ALTER TABLE reports ADD COLUMN last_entry_id INTEGER NOT NULL DEFAULT 0;
ALTER TABLE reports ADD COLUMN due_at INTEGER;
ALTER TABLE reports ADD COLUMN doc_number TEXT NOT NULL DEFAULT '';
ALTER TABLE reports ADD COLUMN recipients TEXT NOT NULL DEFAULT '';
ALTER TABLE reports ADD COLUMN signoff_requested_at INTEGER;
ALTER TABLE reports ADD COLUMN signer_id INTEGER REFERENCES users(id);
ALTER TABLE reports ADD COLUMN signed_at INTEGER;
ALTER TABLE reports ADD COLUMN submitted_by INTEGER REFERENCES users(id);
-- One correction per version: two people correcting the same version at once
-- would otherwise fork the chain.
CREATE UNIQUE INDEX reports_supersedes ON reports (supersedes) WHERE supersedes IS NOT NULL;
CREATE INDEX reports_due ON reports (incident_id, kind, due_at);

-- One row per recipient a report went to, written in the submitting transaction.
CREATE TABLE report_submissions (
  id             INTEGER PRIMARY KEY,
  report_id      INTEGER NOT NULL REFERENCES reports(id),
  recipient_key  TEXT NOT NULL,
  recipient_name TEXT NOT NULL,
  submitted_at   INTEGER NOT NULL,
  submitted_by   INTEGER NOT NULL REFERENCES users(id),
  UNIQUE (report_id, recipient_key)
);

-- 发文字号 numbers run per organisation and year.
CREATE TABLE report_counters (
  org_id INTEGER NOT NULL REFERENCES orgs(id),
  year   INTEGER NOT NULL,
  last   INTEGER NOT NULL,
  PRIMARY KEY (org_id, year)
);

-- Every reminder or escalation the scheduler sent or deliberately skipped.
-- The unique key is what makes a restart, or a second node, never send twice.
CREATE TABLE reminders_sent (
  id          INTEGER PRIMARY KEY,
  key         TEXT NOT NULL UNIQUE,
  incident_id INTEGER NOT NULL REFERENCES incidents(id),
  kind        TEXT NOT NULL,
  due_at      INTEGER NOT NULL,
  stage       TEXT NOT NULL,
  outcome     TEXT NOT NULL,
  recipients  INTEGER NOT NULL DEFAULT 0,
  at          INTEGER NOT NULL
);
CREATE INDEX reminders_incident ON reminders_sent (incident_id, id);

-- Leases for background work shared by several nodes: the holder runs the
-- work until expires_at; another node takes over only after it has passed.
CREATE TABLE scheduler_leases (
  name       TEXT PRIMARY KEY,
  holder     TEXT NOT NULL,
  expires_at INTEGER NOT NULL
);
