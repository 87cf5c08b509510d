-- Monitors of registered key websites and the units' reporting channel
-- (issue 12). A monitor is one registered website checked by yingji: what
-- people set (interval, checks, the accepted content baseline) is registry
-- state, covered by the audit chain; what the checks find changes every few
-- minutes and is kept beside it, uncovered, like the alerts it raises
-- (monitor_state, the bounded history monitor_events and monitor_results).
-- A unit link is the per-unit credential of the reporting form (SHA-256 of
-- 32 random bytes, as the intake keys); a unit report is what a unit sent
-- through one, with its receipt number. Both are covered.
CREATE TABLE monitors (
  id            INTEGER PRIMARY KEY,
  org_id        INTEGER NOT NULL REFERENCES orgs(id),
  website_id    INTEGER NOT NULL UNIQUE REFERENCES websites(id) ON DELETE CASCADE,
  url           TEXT NOT NULL,
  interval_s    INTEGER NOT NULL,
  check_content INTEGER NOT NULL,
  check_tls     INTEGER NOT NULL,
  check_dns     INTEGER NOT NULL,
  tls_warn_days INTEGER NOT NULL,
  enabled       INTEGER NOT NULL,
  baseline_hash TEXT NOT NULL DEFAULT '',
  baseline_text TEXT NOT NULL DEFAULT '',
  baseline_at   INTEGER,
  baseline_by   INTEGER REFERENCES users(id),
  created_by    INTEGER REFERENCES users(id),
  created_at    INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL
);

CREATE TABLE monitor_state (
  monitor_id      INTEGER NOT NULL UNIQUE REFERENCES monitors(id) ON DELETE CASCADE,
  availability    TEXT NOT NULL DEFAULT 'unknown',
  failures        INTEGER NOT NULL DEFAULT 0,
  content         TEXT NOT NULL DEFAULT 'none',
  content_hash    TEXT NOT NULL DEFAULT '',
  content_text    TEXT NOT NULL DEFAULT '',
  tls             TEXT NOT NULL DEFAULT 'none',
  cert_fp         TEXT NOT NULL DEFAULT '',
  cert_not_after  INTEGER,
  dns             TEXT NOT NULL DEFAULT '',
  last_status     INTEGER NOT NULL DEFAULT 0,
  last_latency_ms INTEGER NOT NULL DEFAULT 0,
  last_error      TEXT NOT NULL DEFAULT '',
  last_check_at   INTEGER,
  next_check_at   INTEGER NOT NULL
);
CREATE INDEX monitor_state_due ON monitor_state (next_check_at);

CREATE TABLE monitor_events (
  id         INTEGER PRIMARY KEY,
  monitor_id INTEGER NOT NULL REFERENCES monitors(id) ON DELETE CASCADE,
  at         INTEGER NOT NULL,
  kind       TEXT NOT NULL,
  firing     INTEGER NOT NULL,
  detail     TEXT NOT NULL DEFAULT '{}',
  alert_id   INTEGER REFERENCES alerts(id)
);
CREATE INDEX monitor_events_monitor ON monitor_events (monitor_id, id);

CREATE TABLE monitor_results (
  id         INTEGER PRIMARY KEY,
  monitor_id INTEGER NOT NULL REFERENCES monitors(id) ON DELETE CASCADE,
  at         INTEGER NOT NULL,
  ok         INTEGER NOT NULL,
  status     INTEGER NOT NULL,
  latency_ms INTEGER NOT NULL,
  error      TEXT NOT NULL DEFAULT '',
  content_hash TEXT NOT NULL DEFAULT ''
);
CREATE INDEX monitor_results_monitor ON monitor_results (monitor_id, id);

CREATE TABLE unit_links (
  id         INTEGER PRIMARY KEY,
  org_id     INTEGER NOT NULL REFERENCES orgs(id),
  unit_id    INTEGER NOT NULL REFERENCES units(id),
  token_hash TEXT NOT NULL UNIQUE,
  created_by INTEGER REFERENCES users(id),
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  used_at    INTEGER,
  revoked_at INTEGER,
  revoked_by INTEGER REFERENCES users(id)
);
CREATE INDEX unit_links_unit ON unit_links (unit_id);

CREATE TABLE unit_reports (
  id            INTEGER PRIMARY KEY,
  org_id        INTEGER NOT NULL REFERENCES orgs(id),
  unit_id       INTEGER NOT NULL REFERENCES units(id),
  link_id       INTEGER NOT NULL UNIQUE REFERENCES unit_links(id),
  receipt       TEXT NOT NULL UNIQUE,
  what          TEXT NOT NULL,
  happened_at   INTEGER NOT NULL,
  system_name   TEXT NOT NULL,
  contact_name  TEXT NOT NULL,
  contact_phone TEXT NOT NULL,
  attachments   TEXT NOT NULL DEFAULT '[]',
  alert_id      INTEGER REFERENCES alerts(id),
  created_at    INTEGER NOT NULL
);
CREATE INDEX unit_reports_org ON unit_reports (org_id, id);
