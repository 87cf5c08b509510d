package store

import (
	"database/sql"

	"yingji/internal/errs"
	"yingji/internal/incident"
)

// Corrections and instructions (批示), issue 11.

// CorrectIncident writes the fields a correction may change: title,
// description, category (with its GB/T class), level and discovery time.
func (tx *Tx) CorrectIncident(in *incident.Incident) error {
	in.UpdatedAt = tx.Now
	_, err := tx.exec(`UPDATE incidents SET title = ?, description = ?, category = ?, gb_class = ?, level = ?,
		discovered_at = ?, updated_at = ? WHERE id = ?`,
		in.Title, in.Description, in.Category, in.GBClass, int(in.Level), ms(in.DiscoveredAt), ms(tx.Now), in.ID)
	return errs.Wrap(err, "correct incident")
}

const instructionCols = `id, incident_id, author_id, text, status, created_at, COALESCE(acked_by, 0), acked_at, COALESCE(done_by, 0), done_at, result`

func scanInstruction(s scanner) (*incident.Instruction, error) {
	var in incident.Instruction
	var status string
	var created int64
	var acked, done sql.NullInt64
	if err := s.Scan(&in.ID, &in.IncidentID, &in.AuthorID, &in.Text, &status, &created, &in.AckedBy, &acked, &in.DoneBy, &done, &in.Result); err != nil {
		return nil, err
	}
	in.Status, in.CreatedAt = incident.InstructionStatus(status), fromMs(created)
	in.AckedAt, in.DoneAt = fromMsPtr(acked), fromMsPtr(done)
	return &in, nil
}

// CreateInstruction inserts an open instruction with one addressee row per
// department and person.
func (tx *Tx) CreateInstruction(in *incident.Instruction) error {
	in.Status, in.CreatedAt = incident.InstructionOpen, tx.Now
	id, err := tx.insert(`INSERT INTO instructions (incident_id, author_id, text, status, created_at) VALUES (?, ?, ?, ?, ?)`,
		in.IncidentID, in.AuthorID, in.Text, string(in.Status), ms(tx.Now))
	if err != nil {
		return errs.Wrap(err, "create instruction")
	}
	in.ID = id
	for _, d := range in.Departments {
		if _, err := tx.insert(`INSERT INTO instruction_to (instruction_id, incident_id, department) VALUES (?, ?, ?)`, id, in.IncidentID, d); err != nil {
			return errs.Wrap(err, "instruction addressee")
		}
	}
	for _, p := range in.People {
		if _, err := tx.insert(`INSERT INTO instruction_to (instruction_id, incident_id, user_id) VALUES (?, ?, ?)`, id, in.IncidentID, p); err != nil {
			return errs.Wrap(err, "instruction addressee")
		}
	}
	return nil
}

// AckInstruction marks an open instruction read (已阅) by userID; of two
// addressees acknowledging at once exactly one wins.
func (tx *Tx) AckInstruction(in *incident.Instruction, userID int64) error {
	res, err := tx.exec(`UPDATE instructions SET status = ?, acked_by = ?, acked_at = ? WHERE id = ? AND status = ?`,
		string(incident.InstructionAcked), userID, ms(tx.Now), in.ID, string(incident.InstructionOpen))
	if err != nil {
		return errs.Wrap(err, "acknowledge instruction")
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return errs.New(errs.Conflict, "error.instruction_not_open")
	}
	t := tx.Now
	in.Status, in.AckedBy, in.AckedAt = incident.InstructionAcked, userID, &t
	return nil
}

// DoneInstruction records what was done (落实情况) on an acknowledged
// instruction.
func (tx *Tx) DoneInstruction(in *incident.Instruction, userID int64, result string) error {
	res, err := tx.exec(`UPDATE instructions SET status = ?, done_by = ?, done_at = ?, result = ? WHERE id = ? AND status = ?`,
		string(incident.InstructionDone), userID, ms(tx.Now), result, in.ID, string(incident.InstructionAcked))
	if err != nil {
		return errs.Wrap(err, "instruction done")
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return errs.New(errs.Conflict, "error.instruction_not_acked")
	}
	t := tx.Now
	in.Status, in.DoneBy, in.DoneAt, in.Result = incident.InstructionDone, userID, &t, result
	return nil
}

// Instruction loads one instruction with its addressees.
func (q *Q) Instruction(id int64) (*incident.Instruction, error) {
	in, err := scanInstruction(q.row(`SELECT `+instructionCols+` FROM instructions WHERE id = ?`, id))
	if err != nil {
		return nil, notFound(err, "error.instruction_not_found")
	}
	return in, q.addressees([]*incident.Instruction{in})
}

// Instructions lists an incident's instructions, oldest first, with their
// addressees.
func (q *Q) Instructions(incidentID int64) ([]*incident.Instruction, error) {
	out, err := list(q, "instructions", scanInstruction, `SELECT `+instructionCols+` FROM instructions WHERE incident_id = ? ORDER BY id`, incidentID)
	if err != nil {
		return nil, err
	}
	return out, q.addressees(out)
}

// OpenInstructionsFor lists the instructions not yet done that are addressed
// to userID or to his department of orgID, oldest first.
func (q *Q) OpenInstructionsFor(userID, orgID int64, department string) ([]*incident.Instruction, error) {
	out, err := list(q, "open instructions", scanInstruction, `SELECT `+instructionCols+` FROM instructions WHERE status <> 'done' AND id IN (
		SELECT instruction_id FROM instruction_to WHERE user_id = ?
		UNION SELECT t.instruction_id FROM instruction_to t JOIN incidents i ON i.id = t.incident_id WHERE t.department = ? AND t.department <> '' AND i.org_id = ?)
		ORDER BY id`, userID, department, orgID)
	if err != nil {
		return nil, err
	}
	return out, q.addressees(out)
}

func (q *Q) addressees(list []*incident.Instruction) error {
	if len(list) == 0 {
		return nil
	}
	byID := map[int64]*incident.Instruction{}
	ids := make([]int64, len(list))
	for i, in := range list {
		byID[in.ID], ids[i] = in, in.ID
	}
	rows, err := q.query(`SELECT instruction_id, department, COALESCE(user_id, 0) FROM instruction_to WHERE instruction_id IN (`+placeholders(len(ids))+`) ORDER BY id`, idArgs(ids)...)
	if err != nil {
		return errs.Wrap(err, "instruction addressees")
	}
	defer rows.Close()
	for rows.Next() {
		var id, uid int64
		var dept string
		if err := rows.Scan(&id, &dept, &uid); err != nil {
			return errs.Wrap(err, "instruction addressees")
		}
		in := byID[id]
		if dept != "" {
			in.Departments = append(in.Departments, dept)
		}
		if uid != 0 {
			in.People = append(in.People, uid)
		}
	}
	return errs.Wrap(rows.Err(), "instruction addressees")
}
