-- The audit chain covers the state of rows: a version 2 record carries, in
-- state, one "table id sha256" line for every covered row its transaction
-- wrote. Records of the first release stay version 1 and verify as before.
ALTER TABLE audit ADD COLUMN v INTEGER NOT NULL DEFAULT 1;
ALTER TABLE audit ADD COLUMN state TEXT NOT NULL DEFAULT '';
