-- Resources attached to an incident (五(五) 配备应急处置交通工具和技术勘查、
-- 检验、监测设备设施；视情组织技术专家组): affected units and websites, the
-- expert group, and equipment dispatched and returned. ref_id is the row of
-- the registry table that kind names; name and detail are what the registry
-- said when it was attached, so the record reads the same after the register
-- changes. An item of equipment is out with one incident at a time.
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

-- Substring search: FTS5 trigram indexes over the lower-case search text of
-- units and websites and over an incident's number, title and description,
-- kept in step by triggers (external content: the text is not stored twice).
-- A trigram index answers queries of three characters or more; shorter ones
-- scan (instr), see store/search.go.
CREATE VIRTUAL TABLE units_fts USING fts5(search, content='units', content_rowid='id', tokenize='trigram');
CREATE TRIGGER units_fts_ai AFTER INSERT ON units BEGIN
  INSERT INTO units_fts (rowid, search) VALUES (new.id, new.search);
END;
CREATE TRIGGER units_fts_ad AFTER DELETE ON units BEGIN
  INSERT INTO units_fts (units_fts, rowid, search) VALUES ('delete', old.id, old.search);
END;
CREATE TRIGGER units_fts_au AFTER UPDATE OF search ON units BEGIN
  INSERT INTO units_fts (units_fts, rowid, search) VALUES ('delete', old.id, old.search);
  INSERT INTO units_fts (rowid, search) VALUES (new.id, new.search);
END;
INSERT INTO units_fts (units_fts) VALUES ('rebuild');

CREATE VIRTUAL TABLE websites_fts USING fts5(search, content='websites', content_rowid='id', tokenize='trigram');
CREATE TRIGGER websites_fts_ai AFTER INSERT ON websites BEGIN
  INSERT INTO websites_fts (rowid, search) VALUES (new.id, new.search);
END;
CREATE TRIGGER websites_fts_ad AFTER DELETE ON websites BEGIN
  INSERT INTO websites_fts (websites_fts, rowid, search) VALUES ('delete', old.id, old.search);
END;
CREATE TRIGGER websites_fts_au AFTER UPDATE OF search ON websites BEGIN
  INSERT INTO websites_fts (websites_fts, rowid, search) VALUES ('delete', old.id, old.search);
  INSERT INTO websites_fts (rowid, search) VALUES (new.id, new.search);
END;
INSERT INTO websites_fts (websites_fts) VALUES ('rebuild');

CREATE VIRTUAL TABLE incidents_fts USING fts5(number, title, description, content='incidents', content_rowid='id', tokenize='trigram');
CREATE TRIGGER incidents_fts_ai AFTER INSERT ON incidents BEGIN
  INSERT INTO incidents_fts (rowid, number, title, description) VALUES (new.id, new.number, new.title, new.description);
END;
CREATE TRIGGER incidents_fts_ad AFTER DELETE ON incidents BEGIN
  INSERT INTO incidents_fts (incidents_fts, rowid, number, title, description) VALUES ('delete', old.id, old.number, old.title, old.description);
END;
CREATE TRIGGER incidents_fts_au AFTER UPDATE OF number, title, description ON incidents BEGIN
  INSERT INTO incidents_fts (incidents_fts, rowid, number, title, description) VALUES ('delete', old.id, old.number, old.title, old.description);
  INSERT INTO incidents_fts (rowid, number, title, description) VALUES (new.id, new.number, new.title, new.description);
END;
INSERT INTO incidents_fts (incidents_fts) VALUES ('rebuild');
