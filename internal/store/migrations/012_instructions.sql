-- 批示 (issue 11): a leader of the incident's organisation or of one above it
-- instructs on an incident; the addressees (departments of the incident's
-- organisation, named people) acknowledge it (已阅) and report what was done
-- (落实情况). status: open, acknowledged, done.
CREATE TABLE instructions (
  id          INTEGER PRIMARY KEY,
  incident_id INTEGER NOT NULL REFERENCES incidents(id),
  author_id   INTEGER NOT NULL REFERENCES users(id),
  text        TEXT NOT NULL,
  status      TEXT NOT NULL,
  created_at  INTEGER NOT NULL,
  acked_by    INTEGER REFERENCES users(id),
  acked_at    INTEGER,
  done_by     INTEGER REFERENCES users(id),
  done_at     INTEGER,
  result      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX instructions_incident ON instructions (incident_id, id);
CREATE INDEX instructions_status ON instructions (status, id);

-- One row per addressee: a department (of the incident's organisation) or a
-- person. incident_id is repeated so that need-to-know lists find the
-- incidents a reader is addressed on by index.
CREATE TABLE instruction_to (
  id             INTEGER PRIMARY KEY,
  instruction_id INTEGER NOT NULL REFERENCES instructions(id),
  incident_id    INTEGER NOT NULL REFERENCES incidents(id),
  department     TEXT NOT NULL DEFAULT '',
  user_id        INTEGER REFERENCES users(id)
);
CREATE INDEX instruction_to_instruction ON instruction_to (instruction_id, id);
CREATE INDEX instruction_to_user ON instruction_to (user_id);
CREATE INDEX instruction_to_department ON instruction_to (department, incident_id);
