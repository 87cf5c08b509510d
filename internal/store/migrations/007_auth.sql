-- Accounts as GB/T 22239-2019 三级 expects of an application: a second
-- factor, password history, idle sessions, expiring API tokens.

-- The TOTP secret has a table of its own so that loading a user (which
-- nearly every request does) never carries it. confirmed_at is NULL while
-- an enrolment waits for its first code; last_step is the last time step
-- accepted, so that a code is never accepted twice.
CREATE TABLE totp (
  user_id      {{INTEGER|BIGINT}} PRIMARY KEY REFERENCES users(id),
  secret       TEXT NOT NULL,
  confirmed_at INTEGER,
  last_step    INTEGER NOT NULL DEFAULT 0,
  created_at   INTEGER NOT NULL
);

-- Single-use recovery codes, stored as SHA-256 like API tokens.
CREATE TABLE recovery_codes (
  id        INTEGER PRIMARY KEY,
  user_id   INTEGER NOT NULL REFERENCES users(id),
  code_hash TEXT NOT NULL,
  used_at   INTEGER
);
CREATE INDEX recovery_codes_user ON recovery_codes (user_id, code_hash);

-- The bcrypt hashes of a user's recent passwords (the current one included).
CREATE TABLE password_history (
  id         INTEGER PRIMARY KEY,
  user_id    INTEGER NOT NULL REFERENCES users(id),
  hash       TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX password_history_user ON password_history (user_id, id);

-- stage: '' a full session; 'totp' the password was right and the second
-- factor is awaited; 'enrol' the user must enrol a second factor first.
ALTER TABLE sessions ADD COLUMN stage TEXT NOT NULL DEFAULT '';
ALTER TABLE sessions ADD COLUMN last_seen_at INTEGER NOT NULL DEFAULT 0;
UPDATE sessions SET last_seen_at = created_at;

-- Tokens issued before expiry existed run out 90 days after their issue.
ALTER TABLE api_tokens ADD COLUMN expires_at INTEGER;
ALTER TABLE api_tokens ADD COLUMN last_used_at INTEGER;
UPDATE api_tokens SET expires_at = created_at + 7776000000 WHERE expires_at IS NULL;
CREATE INDEX api_tokens_user ON api_tokens (user_id, id);
