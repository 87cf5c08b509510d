-- Evidence (issue 13). An incident's register (证据清单): items, their files
-- and each item's chain of custody. Evidence is never deleted: an item is
-- withdrawn with a reason and stays. Items, files and custody rows are
-- state the audit chain covers. File content is stored once by SHA-256
-- (the row names it; SM3 is kept beside): in SQLite mode as files under
-- the data directory (files/<aa>/<sha256>), so evidence_chunks stays empty;
-- in PostgreSQL mode in evidence_chunks, which every node reaches.
-- evidence_blobs lists the content stored, whichever the place.
CREATE TABLE evidence_items (
  id               INTEGER PRIMARY KEY,
  incident_id      INTEGER NOT NULL REFERENCES incidents(id),
  org_id           INTEGER NOT NULL REFERENCES orgs(id),
  seq              INTEGER NOT NULL,
  number           TEXT NOT NULL,
  kind             TEXT NOT NULL,
  description      TEXT NOT NULL,
  place            TEXT NOT NULL DEFAULT '',
  collected_at     INTEGER NOT NULL,
  collected_by     TEXT NOT NULL,
  witnesses        TEXT NOT NULL DEFAULT '',
  seal_number      TEXT NOT NULL DEFAULT '',
  task_id          INTEGER REFERENCES tasks(id),
  source_url       TEXT NOT NULL DEFAULT '',
  custodian_id     INTEGER REFERENCES users(id),
  status           TEXT NOT NULL,
  reason           TEXT NOT NULL DEFAULT '',
  created_by       INTEGER REFERENCES users(id),
  created_at       INTEGER NOT NULL,
  updated_at       INTEGER NOT NULL,
  UNIQUE (incident_id, seq)
);

CREATE TABLE evidence_blobs (
  sha256      TEXT PRIMARY KEY,
  sm3         TEXT NOT NULL,
  size        INTEGER NOT NULL,
  created_at  INTEGER NOT NULL
);

-- PostgreSQL mode: content in chunks of at most 1 MiB. An upload writes
-- under a temporary key in its own transaction and renames to the hash at
-- the end, so an interrupted upload leaves nothing.
CREATE TABLE evidence_chunks (
  blob  TEXT NOT NULL,
  n     INTEGER NOT NULL,
  data  {{BLOB|BYTEA}} NOT NULL,
  PRIMARY KEY (blob, n)
);

CREATE TABLE evidence_files (
  id           INTEGER PRIMARY KEY,
  item_id      INTEGER NOT NULL REFERENCES evidence_items(id),
  name         TEXT NOT NULL,
  media_type   TEXT NOT NULL,
  size         INTEGER NOT NULL,
  sha256       TEXT NOT NULL REFERENCES evidence_blobs(sha256),
  sm3          TEXT NOT NULL,
  captured_at  INTEGER,
  added_by     INTEGER REFERENCES users(id),
  added_at     INTEGER NOT NULL
);
CREATE INDEX evidence_files_item ON evidence_files (item_id);

CREATE TABLE evidence_custody (
  id          INTEGER PRIMARY KEY,
  item_id     INTEGER NOT NULL REFERENCES evidence_items(id),
  file_id     INTEGER REFERENCES evidence_files(id),
  action      TEXT NOT NULL,
  actor_id    INTEGER REFERENCES users(id),
  actor       TEXT NOT NULL,
  at          INTEGER NOT NULL,
  reason      TEXT NOT NULL DEFAULT '',
  to_user_id  INTEGER REFERENCES users(id),
  detail      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX evidence_custody_item ON evidence_custody (item_id, id);
