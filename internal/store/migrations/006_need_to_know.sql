-- Everyone who wrote a report version's text besides its author (issue 9,
-- finding 11): comma-separated user ids, so that sign-off can refuse anyone
-- who wrote what he would sign.
ALTER TABLE reports ADD COLUMN editors TEXT NOT NULL DEFAULT '';

-- Need-to-know lists look up the incidents a reader is named on.
CREATE INDEX incidents_reporter ON incidents (reporter_id, id DESC);
CREATE INDEX approvals_requested_by ON approvals (requested_by);
CREATE INDEX approvals_decided_by ON approvals (decided_by);
