-- Notices that reach people (issue 10). A user's e-mail next to his phone;
-- group robots live in the channel configuration file with their secrets,
-- never in the database (see docs/notices.md).
ALTER TABLE users ADD COLUMN email TEXT NOT NULL DEFAULT '';

-- The delivery worker routes each outbox notice once: routed_at says when,
-- note why nothing left beyond the console (no contact, no channel).
ALTER TABLE outbox ADD COLUMN routed_at INTEGER;
ALTER TABLE outbox ADD COLUMN note TEXT NOT NULL DEFAULT '';
CREATE INDEX outbox_unrouted ON outbox (id) WHERE routed_at IS NULL;

-- One row per notice and channel address. idem_key is unique so that a
-- group robot gets one post for a notice sent to many of its members, and
-- receivers can drop a resend. Failed after the last retry is a state with
-- its reason in last_error.
CREATE TABLE deliveries (
  id          INTEGER PRIMARY KEY,
  outbox_id   INTEGER NOT NULL REFERENCES outbox(id),
  channel     TEXT NOT NULL,
  address     TEXT NOT NULL DEFAULT '',
  idem_key    TEXT NOT NULL UNIQUE,
  subject     TEXT NOT NULL,
  text        TEXT NOT NULL,
  link        TEXT NOT NULL DEFAULT '',
  status      TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'sent', 'failed')),
  attempts    INTEGER NOT NULL DEFAULT 0,
  resends     INTEGER NOT NULL DEFAULT 0,
  next_at     INTEGER NOT NULL,
  lease_until INTEGER,
  worker      TEXT NOT NULL DEFAULT '',
  last_error  TEXT NOT NULL DEFAULT '',
  created_at  INTEGER NOT NULL,
  sent_at     INTEGER
);
CREATE INDEX deliveries_due ON deliveries (status, next_at);
CREATE INDEX deliveries_outbox ON deliveries (outbox_id);

-- Every attempt, including the one resend after a worker died mid-send.
CREATE TABLE delivery_attempts (
  id          INTEGER PRIMARY KEY,
  delivery_id INTEGER NOT NULL REFERENCES deliveries(id),
  n           INTEGER NOT NULL,
  worker      TEXT NOT NULL,
  started_at  INTEGER NOT NULL,
  finished_at INTEGER,
  ok          INTEGER NOT NULL DEFAULT 0,
  resend      INTEGER NOT NULL DEFAULT 0,
  error       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX delivery_attempts_delivery ON delivery_attempts (delivery_id, id);

-- Roll-call (通知领导小组成员到位): one row per person paged at activation,
-- opened in the activating transaction with his notice; confirmed (已到位)
-- from the console or from the signed link in the message. Incident state:
-- covered by the audit chain.
CREATE TABLE roll_calls (
  id            INTEGER PRIMARY KEY,
  incident_id   INTEGER NOT NULL REFERENCES incidents(id),
  user_id       INTEGER NOT NULL REFERENCES users(id),
  outbox_id     INTEGER NOT NULL UNIQUE REFERENCES outbox(id),
  role          TEXT NOT NULL,
  opened_at     INTEGER NOT NULL,
  expires_at    INTEGER NOT NULL,
  confirmed_at  INTEGER,
  confirmed_via TEXT NOT NULL DEFAULT ''
);
CREATE INDEX roll_calls_incident ON roll_calls (incident_id, user_id);
