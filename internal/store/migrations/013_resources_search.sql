--@sqlite -- Resources attached to an incident (五(五) 配备应急处置交通工具和技术勘查、
--@sqlite -- 检验、监测设备设施；视情组织技术专家组): affected units and websites, the
--@sqlite -- expert group, and equipment dispatched and returned. ref_id is the row of
--@sqlite -- the registry table that kind names; name and detail are what the registry
--@sqlite -- said when it was attached, so the record reads the same after the register
--@sqlite -- changes. An item of equipment is out with one incident at a time.
--@postgres -- Resources attached to an incident (五(五)): see the SQLite migration.
CREATE TABLE incident_resources (
  id          INTEGER PRIMARY KEY,
  incident_id INTEGER NOT NULL REFERENCES incidents(id),
  kind        TEXT NOT NULL CHECK (kind IN ('unit', 'website', 'expert', 'equipment')),
  ref_id      INTEGER NOT NULL,
  name        TEXT NOT NULL,
  detail      TEXT NOT NULL DEFAULT '',
  note        TEXT NOT NULL DEFAULT '',
  prev_status TEXT NOT NULL DEFAULT '',
  added_by    INTEGER NOT NULL REFERENCES users(id),
  added_at    INTEGER NOT NULL,
  returned_by INTEGER REFERENCES users(id),
  returned_at INTEGER
);
CREATE INDEX incident_resources_incident ON incident_resources (incident_id, id);
CREATE UNIQUE INDEX incident_resources_named ON incident_resources (incident_id, kind, ref_id) WHERE kind <> 'equipment';
CREATE UNIQUE INDEX incident_resources_out ON incident_resources (ref_id) WHERE kind = 'equipment' AND returned_at IS NULL;

--@sqlite -- Substring search: FTS5 trigram indexes over the lower-case search text of
--@sqlite -- units and websites and over an incident's number, title and description,
--@sqlite -- kept in step by triggers (external content: the text is not stored twice).
--@sqlite -- A trigram index answers queries of three characters or more; shorter ones
--@sqlite -- scan (instr), see store/search.go.
--@sqlite CREATE VIRTUAL TABLE units_fts USING fts5(search, content='units', content_rowid='id', tokenize='trigram');
--@sqlite CREATE TRIGGER units_fts_ai AFTER INSERT ON units BEGIN
--@sqlite   INSERT INTO units_fts (rowid, search) VALUES (new.id, new.search);
--@sqlite END;
--@sqlite CREATE TRIGGER units_fts_ad AFTER DELETE ON units BEGIN
--@sqlite   INSERT INTO units_fts (units_fts, rowid, search) VALUES ('delete', old.id, old.search);
--@sqlite END;
--@sqlite CREATE TRIGGER units_fts_au AFTER UPDATE OF search ON units BEGIN
--@sqlite   INSERT INTO units_fts (units_fts, rowid, search) VALUES ('delete', old.id, old.search);
--@sqlite   INSERT INTO units_fts (rowid, search) VALUES (new.id, new.search);
--@sqlite END;
--@sqlite INSERT INTO units_fts (units_fts) VALUES ('rebuild');
--@sqlite
--@sqlite CREATE VIRTUAL TABLE websites_fts USING fts5(search, content='websites', content_rowid='id', tokenize='trigram');
--@sqlite CREATE TRIGGER websites_fts_ai AFTER INSERT ON websites BEGIN
--@sqlite   INSERT INTO websites_fts (rowid, search) VALUES (new.id, new.search);
--@sqlite END;
--@sqlite CREATE TRIGGER websites_fts_ad AFTER DELETE ON websites BEGIN
--@sqlite   INSERT INTO websites_fts (websites_fts, rowid, search) VALUES ('delete', old.id, old.search);
--@sqlite END;
--@sqlite CREATE TRIGGER websites_fts_au AFTER UPDATE OF search ON websites BEGIN
--@sqlite   INSERT INTO websites_fts (websites_fts, rowid, search) VALUES ('delete', old.id, old.search);
--@sqlite   INSERT INTO websites_fts (rowid, search) VALUES (new.id, new.search);
--@sqlite END;
--@sqlite INSERT INTO websites_fts (websites_fts) VALUES ('rebuild');
--@sqlite
--@sqlite CREATE VIRTUAL TABLE incidents_fts USING fts5(number, title, description, content='incidents', content_rowid='id', tokenize='trigram');
--@sqlite CREATE TRIGGER incidents_fts_ai AFTER INSERT ON incidents BEGIN
--@sqlite   INSERT INTO incidents_fts (rowid, number, title, description) VALUES (new.id, new.number, new.title, new.description);
--@sqlite END;
--@sqlite CREATE TRIGGER incidents_fts_ad AFTER DELETE ON incidents BEGIN
--@sqlite   INSERT INTO incidents_fts (incidents_fts, rowid, number, title, description) VALUES ('delete', old.id, old.number, old.title, old.description);
--@sqlite END;
--@sqlite CREATE TRIGGER incidents_fts_au AFTER UPDATE OF number, title, description ON incidents BEGIN
--@sqlite   INSERT INTO incidents_fts (incidents_fts, rowid, number, title, description) VALUES ('delete', old.id, old.number, old.title, old.description);
--@sqlite   INSERT INTO incidents_fts (rowid, number, title, description) VALUES (new.id, new.number, new.title, new.description);
--@sqlite END;
--@sqlite INSERT INTO incidents_fts (incidents_fts) VALUES ('rebuild');
--@postgres -- Substring search. pg_trgm makes trigrams only of characters the locale
--@postgres -- calls alphanumeric: under the C locale the test server (and many
--@postgres -- installations) use, Chinese makes none, and the extension is not always
--@postgres -- installed. yj_grams is ours: the distinct character bigrams of a text,
--@postgres -- indexed with GIN over the expression (no column is added, so the audited
--@postgres -- row state does not change). A query of two characters or more selects
--@postgres -- rows holding all its bigrams, then strpos confirms the substring; a
--@postgres -- one-character query scans.
--@postgres -- COST: the planner must know that evaluating it row by row (a scan of the
--@postgres -- primary key filtering on it) is dear, or at a million incidents it walks
--@postgres -- the whole table for a query the index answers at once.
--@postgres CREATE FUNCTION yj_grams(t text) RETURNS text[] LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE COST 1000 AS $$
--@postgres   SELECT coalesce(array_agg(DISTINCT substr(t, i, 2)), '{}')
--@postgres     FROM generate_series(1, char_length(t) - 1) AS i
--@postgres $$;
--@postgres -- fastupdate off: writes here are few, and a pending list (read linearly by
--@postgres -- every search until VACUUM merges it) would make search time depend on
--@postgres -- autovacuum.
--@postgres CREATE INDEX units_grams ON units USING gin (yj_grams(search)) WITH (fastupdate = off);
--@postgres CREATE INDEX websites_grams ON websites USING gin (yj_grams(search)) WITH (fastupdate = off);
--@postgres CREATE INDEX incidents_grams ON incidents USING gin (yj_grams(lower(number || ' ' || title || ' ' || description))) WITH (fastupdate = off);
