-- Public warnings (预警信息, issue 14). One row per message: the first
-- (msg_type alert) and each update or cancellation, a new message that
-- replaces the released one (replaces_id) in the same warning (thread_uuid,
-- the original's uuid: the Atom entry id). status: draft, approved,
-- released, superseded, cancelled. Warnings are state an investigator
-- reads, so the audit chain covers the table (store.CoveredTables).
CREATE TABLE warnings (
  id            INTEGER PRIMARY KEY,
  uuid          TEXT NOT NULL UNIQUE,
  thread_uuid   TEXT NOT NULL,
  original_id   INTEGER REFERENCES warnings(id),
  replaces_id   INTEGER REFERENCES warnings(id),
  org_id        INTEGER NOT NULL REFERENCES orgs(id),
  incident_id   INTEGER REFERENCES incidents(id),
  msg_type      TEXT NOT NULL,
  status        TEXT NOT NULL,
  level         TEXT NOT NULL,
  event         TEXT NOT NULL,
  headline      TEXT NOT NULL,
  description   TEXT NOT NULL,
  instruction   TEXT NOT NULL DEFAULT '',
  area          TEXT NOT NULL,
  effective_at  INTEGER NOT NULL,
  expires_at    INTEGER NOT NULL,
  drafted_by    INTEGER REFERENCES users(id),
  drafted_at    INTEGER NOT NULL,
  approved_by   INTEGER REFERENCES users(id),
  approved_at   INTEGER,
  approval_note TEXT NOT NULL DEFAULT '',
  released_by   INTEGER REFERENCES users(id),
  released_at   INTEGER,
  ended_at      INTEGER
);
-- The public page and feed: released messages not yet expired.
CREATE INDEX warnings_public ON warnings (status, expires_at);
CREATE INDEX warnings_thread ON warnings (thread_uuid, id);
CREATE INDEX warnings_incident ON warnings (incident_id);
CREATE INDEX warnings_org ON warnings (org_id, id);
