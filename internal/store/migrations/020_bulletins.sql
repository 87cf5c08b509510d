-- 通报 to units (issue 14). A 通报 is drafted, signed by a leader (签发)
-- and sent to units of the registry; each unit has one recipient row, its
-- link's state and its answer. Incident and registry state: bulletins,
-- bulletin_recipients and bulletin_lists are covered by the audit chain.
CREATE TABLE bulletins (
  id          INTEGER PRIMARY KEY,
  org_id      INTEGER NOT NULL REFERENCES orgs(id),
  incident_id INTEGER REFERENCES incidents(id),
  doc_number  TEXT NOT NULL DEFAULT '',
  title       TEXT NOT NULL,
  body        TEXT NOT NULL,
  actions     TEXT NOT NULL,
  deadline    INTEGER NOT NULL,
  contact     TEXT NOT NULL,
  phone       TEXT NOT NULL,
  status      TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'signed', 'sent')),
  author_id   INTEGER NOT NULL REFERENCES users(id),
  signer_id   INTEGER REFERENCES users(id),
  signer_name TEXT NOT NULL DEFAULT '',
  signed_at   INTEGER,
  sent_at     INTEGER,
  recipients  INTEGER NOT NULL DEFAULT 0,
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL
);
CREATE INDEX bulletins_org ON bulletins (org_id, id);
CREATE INDEX bulletins_incident ON bulletins (incident_id);

-- One row per unit of a sent 通报. The link is an HMAC over the row (see
-- package bulletin); answered_at uses it up, revoked_at kills it.
CREATE TABLE bulletin_recipients (
  id          INTEGER PRIMARY KEY,
  bulletin_id INTEGER NOT NULL REFERENCES bulletins(id),
  unit_id     INTEGER NOT NULL,
  unit_name   TEXT NOT NULL,
  kind        TEXT NOT NULL DEFAULT '',
  region      TEXT NOT NULL DEFAULT '',
  contacts    INTEGER NOT NULL DEFAULT 0,
  expires_at  INTEGER NOT NULL,
  received_at INTEGER,
  answered_at INTEGER,
  answer      TEXT NOT NULL DEFAULT '',
  notes       TEXT NOT NULL DEFAULT '',
  attachments TEXT NOT NULL DEFAULT '',
  revoked_at  INTEGER,
  reminded_at INTEGER
);
CREATE UNIQUE INDEX bulletin_recipients_unit ON bulletin_recipients (bulletin_id, unit_id);

-- Saved recipient lists (常用通报对象): a name and its units' ids.
CREATE TABLE bulletin_lists (
  id         INTEGER PRIMARY KEY,
  org_id     INTEGER NOT NULL REFERENCES orgs(id),
  name       TEXT NOT NULL,
  unit_ids   TEXT NOT NULL,
  created_by INTEGER NOT NULL REFERENCES users(id),
  created_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX bulletin_lists_name ON bulletin_lists (org_id, name);

-- A unit's contacts are not users: a notice to them names its address
-- itself (to_phone, to_email) and the unit's row it was sent for, so that
-- the tracking table reads "delivered" from the delivery log.
ALTER TABLE outbox ADD COLUMN to_phone TEXT;
ALTER TABLE outbox ADD COLUMN to_email TEXT;
ALTER TABLE outbox ADD COLUMN bulletin_recipient_id INTEGER REFERENCES bulletin_recipients(id);
CREATE INDEX outbox_bulletin ON outbox (bulletin_recipient_id) WHERE bulletin_recipient_id IS NOT NULL;

-- A unit's copy delivered (a channel took it for at least one of its
-- addresses): written by the delivery worker when it records a sent
-- delivery of a unit's notice, so that the tracking table reads one row
-- per unit instead of searching the delivery log. Delivery bookkeeping,
-- like deliveries: not covered by the audit chain.
CREATE TABLE bulletin_delivered (
  id           INTEGER PRIMARY KEY,
  recipient_id INTEGER NOT NULL UNIQUE REFERENCES bulletin_recipients(id),
  at           INTEGER NOT NULL
);
