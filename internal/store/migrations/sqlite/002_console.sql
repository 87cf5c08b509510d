-- Console sessions live in the database so that every node behind a load
-- balancer recognises them; only the SHA-256 of the cookie is stored.
CREATE TABLE sessions (
  id         INTEGER PRIMARY KEY,
  token_hash TEXT NOT NULL UNIQUE,
  user_id    INTEGER NOT NULL REFERENCES users(id),
  csrf       TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
-- The command post lists open work per incident and "my tasks" per department.
CREATE INDEX tasks_incident_status ON tasks (incident_id, status);
