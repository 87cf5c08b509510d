-- Times are UTC milliseconds since the epoch; they are rendered in the plan's zone.
CREATE TABLE orgs (
  id         INTEGER PRIMARY KEY,
  parent_id  INTEGER REFERENCES orgs(id),
  name       TEXT NOT NULL UNIQUE,
  code       TEXT NOT NULL UNIQUE,
  plan_key   TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL
);

CREATE TABLE departments (
  id     INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL REFERENCES orgs(id),
  key    TEXT NOT NULL,
  name   TEXT NOT NULL,
  UNIQUE (org_id, key)
);

CREATE TABLE users (
  id            INTEGER PRIMARY KEY,
  org_id        INTEGER NOT NULL REFERENCES orgs(id),
  department    TEXT NOT NULL DEFAULT '',
  username      TEXT NOT NULL UNIQUE,
  display_name  TEXT NOT NULL,
  title         TEXT NOT NULL DEFAULT '',
  phone         TEXT NOT NULL DEFAULT '',
  roles         TEXT NOT NULL DEFAULT '',
  password_hash TEXT NOT NULL DEFAULT '',
  disabled      INTEGER NOT NULL DEFAULT 0,
  failed_logins INTEGER NOT NULL DEFAULT 0,
  locked_until  INTEGER NOT NULL DEFAULT 0,
  created_at    INTEGER NOT NULL
);

CREATE TABLE api_tokens (
  id           INTEGER PRIMARY KEY,
  user_id      INTEGER NOT NULL REFERENCES users(id),
  token_hash   TEXT NOT NULL UNIQUE,
  name         TEXT NOT NULL DEFAULT '',
  created_at   INTEGER NOT NULL,
  revoked_at   INTEGER
);

CREATE TABLE plans (
  id         INTEGER PRIMARY KEY,
  key        TEXT NOT NULL,
  version    TEXT NOT NULL,
  sha256     TEXT NOT NULL,
  title      TEXT NOT NULL,
  source     TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  UNIQUE (key, version)
);

CREATE TABLE incident_counters (
  org_id INTEGER NOT NULL REFERENCES orgs(id),
  year   INTEGER NOT NULL,
  last   INTEGER NOT NULL,
  PRIMARY KEY (org_id, year)
);

CREATE TABLE incidents (
  id               INTEGER PRIMARY KEY,
  org_id           INTEGER NOT NULL REFERENCES orgs(id),
  plan_id          INTEGER NOT NULL REFERENCES plans(id),
  year             INTEGER NOT NULL,
  seq              INTEGER NOT NULL,
  number           TEXT NOT NULL,
  title            TEXT NOT NULL,
  category         TEXT NOT NULL,
  gb_class         TEXT NOT NULL,
  level            INTEGER NOT NULL CHECK (level BETWEEN 1 AND 4),
  status           TEXT NOT NULL,
  discovered_at    INTEGER NOT NULL,
  discovery_method TEXT NOT NULL DEFAULT '',
  description      TEXT NOT NULL DEFAULT '',
  reporter_id      INTEGER NOT NULL REFERENCES users(id),
  activated_at     INTEGER,
  terminated_at    INTEGER,
  closed_at        INTEGER,
  created_at       INTEGER NOT NULL,
  updated_at       INTEGER NOT NULL,
  UNIQUE (org_id, year, seq)
);
-- The list pages walk these newest first; keyset pagination on id keeps them flat.
CREATE INDEX incidents_org_id ON incidents (org_id, id DESC);
CREATE INDEX incidents_status_id ON incidents (status, id DESC);
CREATE INDEX incidents_org_status_id ON incidents (org_id, status, id DESC);

CREATE TABLE approvals (
  id           INTEGER PRIMARY KEY,
  incident_id  INTEGER NOT NULL REFERENCES incidents(id),
  kind         TEXT NOT NULL,
  status       TEXT NOT NULL,
  from_status  TEXT NOT NULL,
  reason       TEXT NOT NULL,
  requested_by INTEGER NOT NULL REFERENCES users(id),
  requested_at INTEGER NOT NULL,
  decided_by   INTEGER REFERENCES users(id),
  decided_at   INTEGER,
  opinion      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX approvals_incident ON approvals (incident_id, id);
CREATE INDEX approvals_status ON approvals (status, id);
-- At most one open request per incident, whatever races the callers run.
CREATE UNIQUE INDEX approvals_one_pending ON approvals (incident_id) WHERE status = 'pending';

CREATE TABLE tasks (
  id           INTEGER PRIMARY KEY,
  incident_id  INTEGER NOT NULL REFERENCES incidents(id),
  phase        TEXT NOT NULL,
  template_key TEXT NOT NULL DEFAULT '',
  title        TEXT NOT NULL,
  description  TEXT NOT NULL DEFAULT '',
  department   TEXT NOT NULL,
  assignee_id  INTEGER REFERENCES users(id),
  due_at       INTEGER,
  status       TEXT NOT NULL,
  note         TEXT NOT NULL DEFAULT '',
  created_at   INTEGER NOT NULL,
  updated_at   INTEGER NOT NULL
);
CREATE INDEX tasks_incident ON tasks (incident_id, id);
CREATE INDEX tasks_assignee ON tasks (assignee_id, status);

CREATE TABLE timeline (
  id          INTEGER PRIMARY KEY,
  incident_id INTEGER NOT NULL REFERENCES incidents(id),
  at          INTEGER NOT NULL,
  actor_id    INTEGER,
  kind        TEXT NOT NULL,
  task_id     INTEGER,
  approval_id INTEGER,
  data        TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX timeline_incident ON timeline (incident_id, id);

CREATE TABLE reports (
  id           INTEGER PRIMARY KEY,
  incident_id  INTEGER NOT NULL REFERENCES incidents(id),
  kind         TEXT NOT NULL,
  seq          INTEGER NOT NULL DEFAULT 0,
  title        TEXT NOT NULL,
  body         TEXT NOT NULL,
  author_id    INTEGER NOT NULL REFERENCES users(id),
  status       TEXT NOT NULL,
  submitted_at INTEGER,
  sha256       TEXT NOT NULL DEFAULT '',
  created_at   INTEGER NOT NULL,
  updated_at   INTEGER NOT NULL
);
CREATE INDEX reports_incident ON reports (incident_id, kind, id);

-- The audit chain. Seq is contiguous; audit_head holds the last seq and hash
-- so that deleting the tail is detected, and its row lock serialises writers.
CREATE TABLE audit (
  seq         {{INTEGER|BIGINT}} PRIMARY KEY,
  at          INTEGER NOT NULL,
  actor_id    INTEGER NOT NULL,
  actor       TEXT NOT NULL,
  action      TEXT NOT NULL,
  object_type TEXT NOT NULL,
  object_id   INTEGER NOT NULL,
  org_id      INTEGER NOT NULL,
  detail      TEXT NOT NULL,
  prev_hash   TEXT NOT NULL,
  hash        TEXT NOT NULL
);
CREATE TABLE audit_head (
  id   {{INTEGER|BIGINT}} PRIMARY KEY CHECK (id = 1),
  seq  INTEGER NOT NULL,
  hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '');

-- Messages leave only after their transaction commits; the sender works from here.
CREATE TABLE outbox (
  id           INTEGER PRIMARY KEY,
  created_at   INTEGER NOT NULL,
  channel      TEXT NOT NULL,
  recipient_id INTEGER,
  incident_id  INTEGER,
  kind         TEXT NOT NULL,
  body         TEXT NOT NULL,
  status       TEXT NOT NULL DEFAULT 'pending',
  attempts     INTEGER NOT NULL DEFAULT 0,
  sent_at      INTEGER,
  read_at      INTEGER
);
CREATE INDEX outbox_pending ON outbox (status, id);
CREATE INDEX outbox_recipient ON outbox (recipient_id, id);
