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
-- The command post counts open work per incident, and walks a department's
-- tasks by due time for "my tasks".
CREATE INDEX tasks_incident_status ON tasks (incident_id, status);
CREATE INDEX tasks_department_due ON tasks (department, due_at);
