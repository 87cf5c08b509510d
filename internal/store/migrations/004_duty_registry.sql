-- The base database (基础数据库) and the duty roster (值班备勤).
-- Search is by prefix over indexed key columns (name_key, credit_code,
-- contact_name, contact_phone, responsible_phone; websites.domain_key is the
-- domain without "www."); search holds the lower-case text for substring search.
--@postgres -- COLLATE "C": prefix ranges compare bytes, whatever the database locale.
CREATE TABLE units (
  id                INTEGER PRIMARY KEY,
  org_id            INTEGER NOT NULL REFERENCES orgs(id),
  name              TEXT NOT NULL,
  name_key          TEXT{{| COLLATE "C"}} NOT NULL,
  kind              TEXT NOT NULL,
  credit_code       TEXT{{| COLLATE "C"}} NOT NULL,
  region            TEXT NOT NULL DEFAULT '',
  address           TEXT NOT NULL DEFAULT '',
  responsible       TEXT NOT NULL DEFAULT '',
  responsible_phone TEXT{{| COLLATE "C"}} NOT NULL DEFAULT '',
  contact_name      TEXT{{| COLLATE "C"}} NOT NULL DEFAULT '',
  contact_phone     TEXT{{| COLLATE "C"}} NOT NULL DEFAULT '',
  contact_email     TEXT NOT NULL DEFAULT '',
  note              TEXT NOT NULL DEFAULT '',
  search            TEXT NOT NULL DEFAULT '',
  created_at        INTEGER NOT NULL,
  updated_at        INTEGER NOT NULL,
  UNIQUE (org_id, credit_code)
);
CREATE INDEX units_org_id ON units (org_id, id);
CREATE INDEX units_org_kind ON units (org_id, kind, id);
CREATE INDEX units_name_key ON units (org_id, name_key);
CREATE INDEX units_contact_name ON units (org_id, contact_name);
CREATE INDEX units_contact_phone ON units (org_id, contact_phone);
CREATE INDEX units_responsible_phone ON units (org_id, responsible_phone);

CREATE TABLE websites (
  id         INTEGER PRIMARY KEY,
  org_id     INTEGER NOT NULL REFERENCES orgs(id),
  unit_id    INTEGER NOT NULL REFERENCES units(id),
  name       TEXT NOT NULL,
  domain     TEXT{{| COLLATE "C"}} NOT NULL,
  domain_key TEXT{{| COLLATE "C"}} NOT NULL,
  url        TEXT NOT NULL DEFAULT '',
  icp        TEXT NOT NULL DEFAULT '',
  ips        TEXT NOT NULL DEFAULT '',
  hosting    TEXT NOT NULL DEFAULT '',
  key_site   INTEGER NOT NULL DEFAULT 0,
  note       TEXT NOT NULL DEFAULT '',
  search     TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE (org_id, domain)
);
CREATE INDEX websites_unit ON websites (unit_id, id);
CREATE INDEX websites_org_id ON websites (org_id, id);
CREATE INDEX websites_domain_key ON websites (org_id, domain_key);

CREATE TABLE contacts (
  id      INTEGER PRIMARY KEY,
  org_id  INTEGER NOT NULL REFERENCES orgs(id),
  unit_id INTEGER REFERENCES units(id),
  name    TEXT NOT NULL,
  role    TEXT NOT NULL DEFAULT '',
  phone   TEXT NOT NULL,
  email   TEXT NOT NULL DEFAULT '',
  note    TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX contacts_unit ON contacts (unit_id, id);
CREATE INDEX contacts_org ON contacts (org_id, id);

CREATE TABLE experts (
  id        INTEGER PRIMARY KEY,
  org_id    INTEGER NOT NULL REFERENCES orgs(id),
  name      TEXT NOT NULL,
  unit      TEXT NOT NULL DEFAULT '',
  expertise TEXT NOT NULL,
  phone     TEXT NOT NULL,
  email     TEXT NOT NULL DEFAULT '',
  available INTEGER NOT NULL DEFAULT 1,
  note      TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX experts_org ON experts (org_id, id);

CREATE TABLE equipment (
  id        INTEGER PRIMARY KEY,
  org_id    INTEGER NOT NULL REFERENCES orgs(id),
  name      TEXT NOT NULL,
  kind      TEXT NOT NULL,
  status    TEXT NOT NULL,
  location  TEXT NOT NULL DEFAULT '',
  custodian TEXT NOT NULL DEFAULT '',
  phone     TEXT NOT NULL DEFAULT '',
  note      TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX equipment_org ON equipment (org_id, id);

-- Shifts of one organisation never overlap (checked in the service, inside
-- the serialised write transaction). officer_ids is a comma-separated list.
CREATE TABLE duty_shifts (
  id          INTEGER PRIMARY KEY,
  org_id      INTEGER NOT NULL REFERENCES orgs(id),
  kind        TEXT NOT NULL,
  starts_at   INTEGER NOT NULL,
  ends_at     INTEGER NOT NULL CHECK (ends_at > starts_at),
  leader_id   INTEGER REFERENCES users(id),
  officer_ids TEXT NOT NULL DEFAULT '',
  note        TEXT NOT NULL DEFAULT '',
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL
);
CREATE INDEX duty_shifts_org_start ON duty_shifts (org_id, starts_at);
CREATE INDEX duty_shifts_org_end ON duty_shifts (org_id, ends_at);

-- Swaps and overrides: a change of one person on a shift, approved by the
-- duty leader (group_leader or group_deputy).
CREATE TABLE duty_changes (
  id           INTEGER PRIMARY KEY,
  shift_id     INTEGER NOT NULL REFERENCES duty_shifts(id),
  role         TEXT NOT NULL,
  from_user_id INTEGER REFERENCES users(id),
  to_user_id   INTEGER NOT NULL REFERENCES users(id),
  reason       TEXT NOT NULL,
  status       TEXT NOT NULL,
  requested_by INTEGER NOT NULL REFERENCES users(id),
  requested_at INTEGER NOT NULL,
  decided_by   INTEGER REFERENCES users(id),
  decided_at   INTEGER
);
CREATE INDEX duty_changes_shift ON duty_changes (shift_id, id);
CREATE INDEX duty_changes_status ON duty_changes (status, id);

CREATE TABLE duty_handovers (
  id           INTEGER PRIMARY KEY,
  org_id       INTEGER NOT NULL REFERENCES orgs(id),
  from_shift_id INTEGER NOT NULL REFERENCES duty_shifts(id),
  to_shift_id  INTEGER NOT NULL REFERENCES duty_shifts(id),
  given_by     INTEGER NOT NULL REFERENCES users(id),
  notes        TEXT NOT NULL,
  open_items   TEXT NOT NULL DEFAULT '[]',
  created_at   INTEGER NOT NULL,
  confirmed_by INTEGER REFERENCES users(id),
  confirmed_at INTEGER,
  UNIQUE (from_shift_id)
);
CREATE INDEX duty_handovers_to ON duty_handovers (to_shift_id);

CREATE TABLE duty_log (
  id             INTEGER PRIMARY KEY,
  org_id         INTEGER NOT NULL REFERENCES orgs(id),
  shift_id       INTEGER REFERENCES duty_shifts(id),
  at             INTEGER NOT NULL,
  place          TEXT NOT NULL DEFAULT '',
  what           TEXT NOT NULL,
  measures       TEXT NOT NULL DEFAULT '',
  informed       TEXT NOT NULL DEFAULT '',
  informed_at    INTEGER,
  reporter_unit  TEXT NOT NULL DEFAULT '',
  reporter_name  TEXT NOT NULL DEFAULT '',
  reporter_phone TEXT NOT NULL DEFAULT '',
  recorder_id    INTEGER NOT NULL REFERENCES users(id),
  incident_id    INTEGER REFERENCES incidents(id),
  created_at     INTEGER NOT NULL
);
CREATE INDEX duty_log_org_at ON duty_log (org_id, at DESC, id DESC);

CREATE TABLE duty_periods (
  id           INTEGER PRIMARY KEY,
  org_id       INTEGER NOT NULL REFERENCES orgs(id),
  name         TEXT NOT NULL,
  starts_at    INTEGER NOT NULL,
  ends_at      INTEGER NOT NULL CHECK (ends_at > starts_at),
  level        TEXT NOT NULL DEFAULT '',
  min_leaders  INTEGER NOT NULL DEFAULT 1,
  min_officers INTEGER NOT NULL DEFAULT 1,
  note         TEXT NOT NULL DEFAULT '',
  created_at   INTEGER NOT NULL
);
CREATE INDEX duty_periods_org_end ON duty_periods (org_id, ends_at);

-- One calendar feed token per user (only its hash), for iCalendar clients
-- that cannot send a bearer token.
CREATE TABLE duty_feed_tokens (
  user_id    {{INTEGER|BIGINT}} PRIMARY KEY REFERENCES users(id),
  token_hash TEXT NOT NULL UNIQUE,
  created_at INTEGER NOT NULL
);

-- A task may name the registry unit it concerns ("guide unit X to fix its site").
ALTER TABLE tasks ADD COLUMN unit_id INTEGER REFERENCES units(id);
CREATE INDEX tasks_unit ON tasks (unit_id);
