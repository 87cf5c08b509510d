-- Signals in (issue 12). A source is a device or feed that sends signals
-- with its own key (stored as SHA-256 of the key: the key is 32 random
-- bytes, so a slow hash would add nothing); revoking keeps the row. An alert
-- is the signals of one fingerprint in one organisation: repeats count on it
-- (count, first_seen, last_seen) instead of adding rows. Alerts are written
-- at the rate devices send and are not incident state, so the audit chain
-- does not hash them; what people do to them (ack, silence, promote) is
-- audited, and an alert promoted to an incident reaches its timeline.
CREATE TABLE intake_sources (
  id          INTEGER PRIMARY KEY,
  org_id      INTEGER NOT NULL REFERENCES orgs(id),
  name        TEXT NOT NULL,
  format      TEXT NOT NULL,
  key_hash    TEXT NOT NULL UNIQUE,
  created_by  INTEGER REFERENCES users(id),
  created_at  INTEGER NOT NULL,
  revoked_at  INTEGER,
  revoked_by  INTEGER REFERENCES users(id),
  UNIQUE (org_id, name)
);

CREATE TABLE alerts (
  id             INTEGER PRIMARY KEY,
  org_id         INTEGER NOT NULL REFERENCES orgs(id),
  source_id      INTEGER REFERENCES intake_sources(id),
  fingerprint    TEXT NOT NULL,
  format         TEXT NOT NULL,
  rule           TEXT NOT NULL,
  title          TEXT NOT NULL,
  detail         TEXT NOT NULL DEFAULT '',
  severity       INTEGER NOT NULL,
  priority       INTEGER NOT NULL,
  status         TEXT NOT NULL,
  state          TEXT NOT NULL DEFAULT 'open',
  count          INTEGER NOT NULL DEFAULT 1,
  first_seen     INTEGER NOT NULL,
  last_seen      INTEGER NOT NULL,
  dst_ip         TEXT NOT NULL DEFAULT '',
  domain         TEXT NOT NULL DEFAULT '',
  labels         TEXT NOT NULL DEFAULT '{}',
  unit_id        INTEGER REFERENCES units(id),
  website_id     INTEGER REFERENCES websites(id),
  handled_at     INTEGER,
  acked_by       INTEGER REFERENCES users(id),
  acked_at       INTEGER,
  silenced_until INTEGER,
  silence_reason TEXT NOT NULL DEFAULT '',
  incident_id    INTEGER REFERENCES incidents(id),
  updated_at     INTEGER NOT NULL,
  UNIQUE (org_id, fingerprint)
);
-- The queue: an organisation's alerts by state, worst and newest first.
CREATE INDEX alerts_queue ON alerts (org_id, state, priority, last_seen);
-- The handler's work list: alerts whose plan rules are not applied yet.
CREATE INDEX alerts_unhandled ON alerts (id) WHERE handled_at IS NULL;
CREATE INDEX alerts_incident ON alerts (incident_id);
