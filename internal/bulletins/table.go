package bulletins

import (
	"bytes"
	"context"
	"time"

	"github.com/xuri/excelize/v2"

	"yingji/internal/bulletin"
	"yingji/internal/core"
	"yingji/internal/errs"
	"yingji/internal/i18n"
	"yingji/internal/store"
	"yingji/internal/user"
)

// Table is the office's tracking table: the counts on top and one page of
// units.
type Table struct {
	Bulletin *bulletin.Bulletin
	Counts   bulletin.Counts
	Rows     []*bulletin.Recipient
	Total    int // rows the filter matches
	Now      time.Time
}

// MaxPage bounds a page of the table.
const MaxPage = 200

// Table reads the tracking table of a 通报.
func (s *Service) Table(ctx context.Context, actor *user.User, id int64, f bulletin.TableFilter) (*Table, error) {
	if f.Limit <= 0 || f.Limit > MaxPage {
		f.Limit = 50
	}
	if f.Offset < 0 {
		f.Offset = 0
	}
	return s.table(ctx, actor, id, f)
}

func (s *Service) table(ctx context.Context, actor *user.User, id int64, f bulletin.TableFilter) (*Table, error) {
	var t *Table
	err := s.DB.Read(ctx, func(q *store.Q) error {
		b, _, err := s.load(q, actor, id)
		if err != nil {
			return err
		}
		t = &Table{Bulletin: b, Now: q.Now}
		if t.Counts, err = q.RecipientCounts(b.ID, b.Deadline); err != nil {
			return err
		}
		// Filtered by state only, the count is one of the counts: one pass
		// over the units fewer.
		total, known := t.Counts.Matching(f)
		t.Rows, t.Total, err = q.RecipientPage(b.ID, b.Deadline, f, !known)
		if known {
			t.Total = total
		}
		return err
	})
	return t, err
}

// Revoke kills a unit's link (sent to the wrong address, say); a unit that
// answered keeps its answer.
func (s *Service) Revoke(ctx context.Context, actor *user.User, id, recipientID int64) error {
	return s.DB.Write(ctx, func(tx *store.Tx) error {
		b, _, err := s.load(&tx.Q, actor, id)
		if err != nil {
			return err
		}
		if err := mayCommand(actor, b.OrgID); err != nil {
			return err
		}
		r, err := tx.Recipient(recipientID)
		if err != nil || r.BulletinID != b.ID {
			return core.OrErr(err, errs.New(errs.NotFound, "bulletin.recipient_not_found"))
		}
		ok, err := tx.RevokeRecipient(r.ID)
		if err != nil {
			return err
		}
		if !ok {
			return errs.New(errs.Conflict, "bulletin.not_revocable")
		}
		return tx.Audit(core.AuditEntry(actor, "bulletin.revoke", "bulletin_recipient", r.ID, b.OrgID,
			map[string]any{"bulletin_id": b.ID, "unit_id": r.UnitID, "unit": r.UnitName}))
	})
}

// XLSX exports the whole table (every unit, the filter applied) as a
// workbook: a header row, then one row per unit.
func (s *Service) XLSX(ctx context.Context, actor *user.User, id int64, f bulletin.TableFilter, l i18n.Lang) ([]byte, error) {
	f.Offset, f.Limit = 0, 0
	t, err := s.table(ctx, actor, id, f)
	if err != nil {
		return nil, err
	}
	x := excelize.NewFile()
	defer x.Close()
	sheet := "Sheet1"
	head := []any{}
	for _, k := range []string{"bl.unit", "bl.kind", "bl.region", "bl.contacts", "bl.state", "bl.received_at", "bl.answered_at", "bl.answer", "bl.notes", "bl.overdue", "bl.sha256"} {
		head = append(head, i18n.T(l, k))
	}
	sw, err := x.NewStreamWriter(sheet)
	if err != nil {
		return nil, errs.Wrap(err, "xlsx")
	}
	if err := sw.SetRow("A1", head); err != nil {
		return nil, errs.Wrap(err, "xlsx")
	}
	at := func(p *time.Time) string {
		if p == nil {
			return ""
		}
		return p.In(bulletin.Zone).Format("2006-01-02 15:04")
	}
	for i, r := range t.Rows {
		answer, overdue, hashes := "", "", ""
		if r.Answer != "" {
			answer = i18n.T(l, "bl.answer."+string(r.Answer))
		}
		if r.Overdue(t.Bulletin.Deadline, t.Now) {
			overdue = i18n.T(l, "bl.yes")
		}
		for j, a := range r.Attachments {
			if j > 0 {
				hashes += "\n"
			}
			hashes += a.Name + " " + a.SHA256
		}
		row := []any{r.UnitName, r.Kind, r.Region, r.Contacts, i18n.T(l, "bl.state."+string(r.State())), at(r.ReceivedAt), at(r.AnsweredAt), answer, r.Notes, overdue, hashes}
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := sw.SetRow(cell, row); err != nil {
			return nil, errs.Wrap(err, "xlsx")
		}
	}
	if err := sw.Flush(); err != nil {
		return nil, errs.Wrap(err, "xlsx")
	}
	var buf bytes.Buffer
	if err := x.Write(&buf); err != nil {
		return nil, errs.Wrap(err, "xlsx")
	}
	return buf.Bytes(), nil
}
