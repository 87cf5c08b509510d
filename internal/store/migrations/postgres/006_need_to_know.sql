-- Everyone who wrote a report version's text besides its author (issue 9,
-- finding 11): comma-separated user ids, so that sign-off can refuse anyone
-- who wrote what he would sign.
ALTER TABLE reports ADD COLUMN editors TEXT NOT NULL DEFAULT '';
