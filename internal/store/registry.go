package store

import (
	"database/sql"
	"strconv"
	"strings"

	"yingji/internal/errs"
	"yingji/internal/registry"
)

// inList returns "(?, ?, …)" and the ids as arguments.
func inList(ids []int64) (string, []any) {
	if len(ids) == 0 {
		return "(NULL)", nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	return "(" + strings.TrimSuffix(strings.Repeat("?, ", len(ids)), ", ") + ")", args
}

// likeSubstring makes a LIKE pattern that finds s anywhere, with % and _ escaped.
func likeSubstring(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + r.Replace(strings.ToLower(s)) + "%"
}

func unitSearch(u *registry.Unit) string {
	return registry.SearchKey(u.Name, u.CreditCode, u.Responsible, u.ResponsiblePhone, u.ContactName, u.ContactPhone, u.ContactEmail, u.Region)
}

func websiteSearch(w *registry.Website) string {
	return registry.SearchKey(w.Domain, w.ICP, registry.JoinIPs(w.IPs))
}

const unitCols = `id, org_id, name, kind, credit_code, region, address, responsible, responsible_phone, contact_name, contact_phone, contact_email, note, created_at, updated_at`

func scanUnit(s scanner) (*registry.Unit, error) {
	var u registry.Unit
	var c, up int64
	if err := s.Scan(&u.ID, &u.OrgID, &u.Name, &u.Kind, &u.CreditCode, &u.Region, &u.Address, &u.Responsible, &u.ResponsiblePhone,
		&u.ContactName, &u.ContactPhone, &u.ContactEmail, &u.Note, &c, &up); err != nil {
		return nil, err
	}
	u.CreatedAt, u.UpdatedAt = fromMs(c), fromMs(up)
	return &u, nil
}

func unitArgs(u *registry.Unit) []any {
	return []any{u.Name, u.Kind, u.CreditCode, u.Region, u.Address, u.Responsible, u.ResponsiblePhone, u.ContactName,
		u.ContactPhone, u.ContactEmail, u.Note, unitSearch(u), strings.ToLower(u.Name)}
}

// CreateUnit inserts a unit; a second unit with the same credit code in the
// organisation is a Conflict.
func (tx *Tx) CreateUnit(u *registry.Unit) error {
	u.CreatedAt, u.UpdatedAt = tx.Now, tx.Now
	id, err := tx.insert(`INSERT INTO units (org_id, name, kind, credit_code, region, address, responsible, responsible_phone,
		contact_name, contact_phone, contact_email, note, search, name_key, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		append(append([]any{u.OrgID}, unitArgs(u)...), ms(tx.Now), ms(tx.Now))...)
	if err != nil {
		return errs.Wrap(err, "create unit")
	}
	u.ID = id
	return nil
}

// UpdateUnit writes a unit's fields.
func (tx *Tx) UpdateUnit(u *registry.Unit) error {
	u.UpdatedAt = tx.Now
	_, err := tx.exec(`UPDATE units SET name = ?, kind = ?, credit_code = ?, region = ?, address = ?, responsible = ?, responsible_phone = ?,
		contact_name = ?, contact_phone = ?, contact_email = ?, note = ?, search = ?, name_key = ?, updated_at = ? WHERE id = ?`,
		append(unitArgs(u), ms(tx.Now), u.ID)...)
	return errs.Wrap(mapErr(err), "update unit")
}

// DeleteUnit removes a unit with its websites and contacts, and unlinks tasks.
func (tx *Tx) DeleteUnit(id int64) error {
	// Issue 12: a unit's reports are records and keep it; its unused links
	// and its websites' monitors go with it (monitors explicitly: the
	// audit chain covers them, so a cascade would leave them unaccounted).
	var reports int
	if err := tx.row(`SELECT COUNT(*) FROM unit_reports WHERE unit_id = ?`, id).Scan(&reports); err != nil {
		return errs.Wrap(err, "delete unit")
	} else if reports > 0 {
		return errs.New(errs.Conflict, "unitrep.unit_has_reports", reports)
	}
	for _, q := range []string{`DELETE FROM unit_links WHERE unit_id = ?`,
		`DELETE FROM monitors WHERE website_id IN (SELECT id FROM websites WHERE unit_id = ?)`, `DELETE FROM websites WHERE unit_id = ?`, `DELETE FROM contacts WHERE unit_id = ?`,
		`UPDATE tasks SET unit_id = NULL WHERE unit_id = ?`, `DELETE FROM units WHERE id = ?`} {
		if _, err := tx.exec(q, id); err != nil {
			return errs.Wrap(err, "delete unit")
		}
	}
	return nil
}

// InsertUnits inserts many units in batches (for imports). Ids are not set;
// read them back with UnitIDsByCode.
func (tx *Tx) InsertUnits(units []*registry.Unit) error {
	// 200 rows of 16 parameters: 3,200 a statement.
	err := insertRows(tx, `INSERT INTO units (org_id, name, kind, credit_code, region, address, responsible, responsible_phone,
		contact_name, contact_phone, contact_email, note, search, name_key, created_at, updated_at) VALUES `,
		"(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", 200, units, func(args []any, u *registry.Unit) []any {
			return append(append(append(args, u.OrgID), unitArgs(u)...), ms(tx.Now), ms(tx.Now))
		})
	return errs.Wrap(mapErr(err), "insert units")
}

// UnitIDsByCode maps credit code to unit id within an organisation.
func (q *Q) UnitIDsByCode(orgID int64) (map[string]int64, error) {
	rows, err := q.query(`SELECT credit_code, id FROM units WHERE org_id = ?`, orgID)
	if err != nil {
		return nil, errs.Wrap(err, "unit ids")
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var c string
		var id int64
		if err := rows.Scan(&c, &id); err != nil {
			return nil, errs.Wrap(err, "unit ids")
		}
		out[c] = id
	}
	return out, errs.Wrap(rows.Err(), "unit ids")
}

// Unit loads one unit.
func (q *Q) Unit(id int64) (*registry.Unit, error) {
	u, err := scanUnit(q.row(`SELECT `+unitCols+` FROM units WHERE id = ?`, id))
	return u, notFound(err, "registry.unit_not_found")
}

// UnitsOfOrg lists every unit of one organisation (imports compare against it).
func (q *Q) UnitsOfOrg(orgID int64) ([]*registry.Unit, error) {
	return list(q, "units", scanUnit, `SELECT `+unitCols+` FROM units WHERE org_id = ? ORDER BY id`, orgID)
}

// UnitsByID loads the units with the given ids.
func (q *Q) UnitsByID(ids []int64) ([]*registry.Unit, error) {
	in, args := inList(ids)
	return list(q, "units", scanUnit, `SELECT `+unitCols+` FROM units WHERE id IN `+in+` ORDER BY id`, args...)
}

// pageSize is the filter's page size, 50 when unset or too large.
func pageSize(f registry.Filter) int {
	if f.Limit <= 0 || f.Limit > 1000 {
		return 50
	}
	return f.Limit
}

// contains is the dialect's substring test on a lower-case search column:
// instr/strpos compare bytes, several times faster than LIKE '%…%' (which
// decodes and folds every character) and need no escaping.
func (q *Q) contains(col string) string {
	if q.db.Postgres() {
		return `strpos(` + col + `, ?) > 0`
	}
	return `instr(` + col + `, ?) > 0`
}

// prefixRange returns the bounds of the strings that start with p: byte
// order (SQLite BINARY, PostgreSQL COLLATE "C") puts them in [p, p+U+10FFFF).
func prefixRange(p string) (string, string) { return p, p + "\U0010FFFF" }

// ListUnits lists units. With Q, the default search finds the text
// anywhere in the unit's search text (name, credit code, people, phones,
// e-mail, region) or in its websites' (domain, ICP number, addresses),
// through the substring index (search.go). Prefix switches to the first
// release's search by prefix over indexed keys: the unit's name, credit
// code, contact name, contact and responsible phones, and its websites'
// domains (with or without "www."); each key contributes at most Limit
// matches in its index order and the page is the first Limit of them by id.
func (q *Q) ListUnits(f registry.Filter) ([]*registry.Unit, error) {
	in, args := inList(f.OrgIDs)
	where := `org_id IN ` + in + ` AND id > ?`
	args = append(args, f.After)
	switch f.Kind {
	case "":
	case "provider": // access and information service providers
		where += ` AND kind IN (?, ?, ?)`
		args = append(args, registry.ProviderKinds[0], registry.ProviderKinds[1], registry.ProviderKinds[2])
	default:
		where += ` AND kind = ?`
		args = append(args, f.Kind)
	}
	text := strings.ToLower(strings.TrimSpace(f.Q))
	if text == "" {
		return list(q, "units", scanUnit, `SELECT `+unitCols+` FROM units WHERE `+where+` ORDER BY id LIMIT ?`, append(args, pageSize(f))...)
	}
	if !f.Prefix {
		return q.searchUnits(f, where, args, text)
	}
	lim := pageSize(f)
	var arms []string
	var armArgs []any
	arm := func(table, idCol, col, p string) {
		lo, hi := prefixRange(p)
		oin, oargs := inList(f.OrgIDs)
		arms = append(arms, `SELECT `+idCol+` AS id FROM (SELECT `+idCol+` FROM `+table+` WHERE org_id IN `+oin+` AND `+col+` >= ? AND `+col+` < ? ORDER BY org_id, `+col+` LIMIT ?) `+table[:1]+strconv.Itoa(len(arms)))
		armArgs = append(append(armArgs, oargs...), lo, hi, lim*4)
	}
	arm("units", "id", "name_key", text)
	arm("units", "id", "credit_code", strings.ToUpper(text))
	arm("units", "id", "contact_name", text)
	if strings.Trim(text, "0123456789-+ ") == "" {
		p := registry.NormalizePhone(text)
		arm("units", "id", "contact_phone", p)
		arm("units", "id", "responsible_phone", p)
	}
	arm("websites", "unit_id", "domain_key", strings.TrimPrefix(registry.NormalizeDomain(text), "www."))
	// Two statements, so that no planner walks the primary key hoping to
	// meet the few matches early: the ids from the indexes, then the rows.
	ids, err := list(q, "units", scanID, `SELECT id FROM (`+strings.Join(arms, " UNION ")+`) x`, armArgs...)
	if err != nil || len(ids) == 0 {
		return nil, err
	}
	uin, uargs := inList(ids)
	return list(q, "units", scanUnit, `SELECT `+unitCols+` FROM units WHERE `+where+` AND id IN `+uin+` ORDER BY id LIMIT ?`,
		append(append(args, uargs...), lim)...)
}

func scanID(s scanner) (int64, error) {
	var id int64
	err := s.Scan(&id)
	return id, err
}

const websiteCols = `w.id, w.org_id, w.unit_id, u.credit_code, u.name, w.name, w.domain, w.url, w.icp, w.ips, w.hosting, w.key_site, w.note, w.created_at, w.updated_at`

func scanWebsite(s scanner) (*registry.Website, error) {
	var w registry.Website
	var ips string
	var key, c, up int64
	if err := s.Scan(&w.ID, &w.OrgID, &w.UnitID, &w.UnitCode, &w.UnitName, &w.Name, &w.Domain, &w.URL, &w.ICP, &ips, &w.Hosting, &key, &w.Note, &c, &up); err != nil {
		return nil, err
	}
	w.IPs, _, _ = registry.ParseIPs(ips)
	w.KeySite, w.CreatedAt, w.UpdatedAt = key != 0, fromMs(c), fromMs(up)
	return &w, nil
}

func b2i(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

func websiteArgs(w *registry.Website) []any {
	return []any{w.UnitID, w.Name, w.Domain, w.URL, w.ICP, registry.JoinIPs(w.IPs), w.Hosting, b2i(w.KeySite), w.Note, websiteSearch(w), strings.TrimPrefix(w.Domain, "www.")}
}

// CreateWebsite inserts a website; the same domain twice in an organisation is a Conflict.
func (tx *Tx) CreateWebsite(w *registry.Website) error {
	w.CreatedAt, w.UpdatedAt = tx.Now, tx.Now
	id, err := tx.insert(`INSERT INTO websites (org_id, unit_id, name, domain, url, icp, ips, hosting, key_site, note, search, domain_key, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, append(append([]any{w.OrgID}, websiteArgs(w)...), ms(tx.Now), ms(tx.Now))...)
	if err != nil {
		return errs.Wrap(err, "create website")
	}
	w.ID = id
	return nil
}

// UpdateWebsite writes a website's fields.
func (tx *Tx) UpdateWebsite(w *registry.Website) error {
	w.UpdatedAt = tx.Now
	_, err := tx.exec(`UPDATE websites SET unit_id = ?, name = ?, domain = ?, url = ?, icp = ?, ips = ?, hosting = ?, key_site = ?, note = ?, search = ?,
		domain_key = ?, updated_at = ? WHERE id = ?`, append(websiteArgs(w), ms(tx.Now), w.ID)...)
	return errs.Wrap(mapErr(err), "update website")
}

// DeleteWebsite removes a website.
func (tx *Tx) DeleteWebsite(id int64) error {
	// Issue 12: its monitor first (covered by the audit chain; its state
	// and history follow by cascade).
	if _, err := tx.exec(`DELETE FROM monitors WHERE website_id = ?`, id); err != nil {
		return errs.Wrap(err, "delete website")
	}
	_, err := tx.exec(`DELETE FROM websites WHERE id = ?`, id)
	return errs.Wrap(err, "delete website")
}

// InsertWebsites inserts many websites in batches (for imports).
func (tx *Tx) InsertWebsites(sites []*registry.Website) error {
	err := insertRows(tx, `INSERT INTO websites (org_id, unit_id, name, domain, url, icp, ips, hosting, key_site, note, search, domain_key, created_at, updated_at) VALUES `,
		"(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", 200, sites, func(args []any, w *registry.Website) []any {
			return append(append(append(args, w.OrgID), websiteArgs(w)...), ms(tx.Now), ms(tx.Now))
		})
	return errs.Wrap(mapErr(err), "insert websites")
}

// Website loads one website.
func (q *Q) Website(id int64) (*registry.Website, error) {
	w, err := scanWebsite(q.row(`SELECT `+websiteCols+` FROM websites w JOIN units u ON u.id = w.unit_id WHERE w.id = ?`, id))
	return w, notFound(err, "registry.website_not_found")
}

// WebsitesOfOrg lists every website of one organisation.
func (q *Q) WebsitesOfOrg(orgID int64) ([]*registry.Website, error) {
	return list(q, "websites", scanWebsite, `SELECT `+websiteCols+` FROM websites w JOIN units u ON u.id = w.unit_id WHERE w.org_id = ? ORDER BY w.id`, orgID)
}

// ListWebsites lists websites.
func (q *Q) ListWebsites(f registry.Filter) ([]*registry.Website, error) {
	in, args := inList(f.OrgIDs)
	where := `w.org_id IN ` + in + ` AND w.id > ?`
	args = append(args, f.After)
	if f.UnitID != 0 {
		where += ` AND w.unit_id = ?`
		args = append(args, f.UnitID)
	}
	if f.KeySite {
		where += ` AND w.key_site = 1`
	}
	if f.Q != "" {
		where += ` AND (` + q.contains("w.search") + ` OR ` + q.contains("lower(w.name)") + `)`
		args = append(args, strings.ToLower(f.Q), strings.ToLower(f.Q))
	}
	args = append(args, pageSize(f))
	return list(q, "websites", scanWebsite, `SELECT `+websiteCols+` FROM websites w JOIN units u ON u.id = w.unit_id WHERE `+where+` ORDER BY w.id LIMIT ?`, args...)
}

const contactCols = `id, org_id, COALESCE(unit_id, 0), name, role, phone, email, note`

func scanContact(s scanner) (*registry.Contact, error) {
	var c registry.Contact
	err := s.Scan(&c.ID, &c.OrgID, &c.UnitID, &c.Name, &c.Role, &c.Phone, &c.Email, &c.Note)
	return &c, err
}

// CreateContact inserts a contact.
func (tx *Tx) CreateContact(c *registry.Contact) error {
	id, err := tx.insert(`INSERT INTO contacts (org_id, unit_id, name, role, phone, email, note, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		c.OrgID, nullID(c.UnitID), c.Name, c.Role, c.Phone, c.Email, c.Note, ms(tx.Now), ms(tx.Now))
	c.ID = id
	return errs.Wrap(err, "create contact")
}

// UpdateContact writes a contact.
func (tx *Tx) UpdateContact(c *registry.Contact) error {
	_, err := tx.exec(`UPDATE contacts SET unit_id = ?, name = ?, role = ?, phone = ?, email = ?, note = ?, updated_at = ? WHERE id = ?`,
		nullID(c.UnitID), c.Name, c.Role, c.Phone, c.Email, c.Note, ms(tx.Now), c.ID)
	return errs.Wrap(err, "update contact")
}

// DeleteContact removes a contact.
func (tx *Tx) DeleteContact(id int64) error {
	_, err := tx.exec(`DELETE FROM contacts WHERE id = ?`, id)
	return errs.Wrap(err, "delete contact")
}

// Contact loads one contact.
func (q *Q) Contact(id int64) (*registry.Contact, error) {
	c, err := scanContact(q.row(`SELECT `+contactCols+` FROM contacts WHERE id = ?`, id))
	return c, notFound(err, "registry.contact_not_found")
}

// ListContacts lists contacts.
func (q *Q) ListContacts(f registry.Filter) ([]*registry.Contact, error) {
	in, args := inList(f.OrgIDs)
	where := `org_id IN ` + in + ` AND id > ?`
	args = append(args, f.After)
	if f.UnitID != 0 {
		where += ` AND unit_id = ?`
		args = append(args, f.UnitID)
	}
	if f.Q != "" {
		where += ` AND (lower(name) LIKE ? ESCAPE '\' OR phone LIKE ? ESCAPE '\' OR lower(role) LIKE ? ESCAPE '\')`
		p := likeSubstring(f.Q)
		args = append(args, p, p, p)
	}
	args = append(args, pageSize(f))
	return list(q, "contacts", scanContact, `SELECT `+contactCols+` FROM contacts WHERE `+where+` ORDER BY id LIMIT ?`, args...)
}

// ContactsOfUnits lists the contacts of several units in one query.
func (q *Q) ContactsOfUnits(unitIDs []int64) ([]*registry.Contact, error) {
	in, args := inList(unitIDs)
	return list(q, "contacts", scanContact, `SELECT `+contactCols+` FROM contacts WHERE unit_id IN `+in+` ORDER BY unit_id, id`, args...)
}

const expertCols = `id, org_id, name, unit, expertise, phone, email, available, note`

func scanExpert(s scanner) (*registry.Expert, error) {
	var e registry.Expert
	var avail int64
	err := s.Scan(&e.ID, &e.OrgID, &e.Name, &e.Unit, &e.Expertise, &e.Phone, &e.Email, &avail, &e.Note)
	e.Available = avail != 0
	return &e, err
}

// CreateExpert inserts an expert.
func (tx *Tx) CreateExpert(e *registry.Expert) error {
	id, err := tx.insert(`INSERT INTO experts (org_id, name, unit, expertise, phone, email, available, note, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		e.OrgID, e.Name, e.Unit, e.Expertise, e.Phone, e.Email, b2i(e.Available), e.Note, ms(tx.Now), ms(tx.Now))
	e.ID = id
	return errs.Wrap(err, "create expert")
}

// UpdateExpert writes an expert.
func (tx *Tx) UpdateExpert(e *registry.Expert) error {
	_, err := tx.exec(`UPDATE experts SET name = ?, unit = ?, expertise = ?, phone = ?, email = ?, available = ?, note = ?, updated_at = ? WHERE id = ?`,
		e.Name, e.Unit, e.Expertise, e.Phone, e.Email, b2i(e.Available), e.Note, ms(tx.Now), e.ID)
	return errs.Wrap(err, "update expert")
}

// DeleteExpert removes an expert.
func (tx *Tx) DeleteExpert(id int64) error {
	_, err := tx.exec(`DELETE FROM experts WHERE id = ?`, id)
	return errs.Wrap(err, "delete expert")
}

// Expert loads one expert.
func (q *Q) Expert(id int64) (*registry.Expert, error) {
	e, err := scanExpert(q.row(`SELECT `+expertCols+` FROM experts WHERE id = ?`, id))
	return e, notFound(err, "registry.expert_not_found")
}

// ListExperts lists experts; Kind "available" lists the available ones only.
func (q *Q) ListExperts(f registry.Filter) ([]*registry.Expert, error) {
	in, args := inList(f.OrgIDs)
	where := `org_id IN ` + in + ` AND id > ?`
	args = append(args, f.After)
	if f.Kind == "available" {
		where += ` AND available = 1`
	}
	if f.Q != "" {
		where += ` AND (lower(name) LIKE ? ESCAPE '\' OR lower(expertise) LIKE ? ESCAPE '\' OR lower(unit) LIKE ? ESCAPE '\')`
		p := likeSubstring(f.Q)
		args = append(args, p, p, p)
	}
	args = append(args, pageSize(f))
	return list(q, "experts", scanExpert, `SELECT `+expertCols+` FROM experts WHERE `+where+` ORDER BY id LIMIT ?`, args...)
}

const equipmentCols = `id, org_id, name, kind, status, location, custodian, phone, note`

func scanEquipment(s scanner) (*registry.Equipment, error) {
	var e registry.Equipment
	err := s.Scan(&e.ID, &e.OrgID, &e.Name, &e.Kind, &e.Status, &e.Location, &e.Custodian, &e.Phone, &e.Note)
	return &e, err
}

// CreateEquipment inserts an item of equipment.
func (tx *Tx) CreateEquipment(e *registry.Equipment) error {
	id, err := tx.insert(`INSERT INTO equipment (org_id, name, kind, status, location, custodian, phone, note, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		e.OrgID, e.Name, e.Kind, e.Status, e.Location, e.Custodian, e.Phone, e.Note, ms(tx.Now), ms(tx.Now))
	e.ID = id
	return errs.Wrap(err, "create equipment")
}

// UpdateEquipment writes an item of equipment.
func (tx *Tx) UpdateEquipment(e *registry.Equipment) error {
	_, err := tx.exec(`UPDATE equipment SET name = ?, kind = ?, status = ?, location = ?, custodian = ?, phone = ?, note = ?, updated_at = ? WHERE id = ?`,
		e.Name, e.Kind, e.Status, e.Location, e.Custodian, e.Phone, e.Note, ms(tx.Now), e.ID)
	return errs.Wrap(err, "update equipment")
}

// DeleteEquipment removes an item of equipment.
func (tx *Tx) DeleteEquipment(id int64) error {
	_, err := tx.exec(`DELETE FROM equipment WHERE id = ?`, id)
	return errs.Wrap(err, "delete equipment")
}

// Equipment loads one item.
func (q *Q) Equipment(id int64) (*registry.Equipment, error) {
	e, err := scanEquipment(q.row(`SELECT `+equipmentCols+` FROM equipment WHERE id = ?`, id))
	return e, notFound(err, "registry.equipment_not_found")
}

// ListEquipment lists equipment; Kind filters by kind.
func (q *Q) ListEquipment(f registry.Filter) ([]*registry.Equipment, error) {
	in, args := inList(f.OrgIDs)
	where := `org_id IN ` + in + ` AND id > ?`
	args = append(args, f.After)
	if f.Kind != "" {
		where += ` AND kind = ?`
		args = append(args, f.Kind)
	}
	if f.Q != "" {
		where += ` AND (lower(name) LIKE ? ESCAPE '\' OR lower(location) LIKE ? ESCAPE '\' OR lower(custodian) LIKE ? ESCAPE '\')`
		p := likeSubstring(f.Q)
		args = append(args, p, p, p)
	}
	args = append(args, pageSize(f))
	return list(q, "equipment", scanEquipment, `SELECT `+equipmentCols+` FROM equipment WHERE `+where+` ORDER BY id LIMIT ?`, args...)
}

// SetTaskUnit names the registry unit a task concerns (0 clears it).
func (tx *Tx) SetTaskUnit(taskID, unitID int64) error {
	_, err := tx.exec(`UPDATE tasks SET unit_id = ?, updated_at = ? WHERE id = ?`, nullID(unitID), ms(tx.Now), taskID)
	return errs.Wrap(err, "set task unit")
}

// TaskUnitIDs maps each task of an incident that names a unit to the unit's id.
func (q *Q) TaskUnitIDs(incidentID int64) (map[int64]int64, error) {
	rows, err := q.query(`SELECT id, unit_id FROM tasks WHERE incident_id = ? AND unit_id IS NOT NULL`, incidentID)
	if err != nil {
		return nil, errs.Wrap(err, "task units")
	}
	defer rows.Close()
	out := map[int64]int64{}
	for rows.Next() {
		var t int64
		var u sql.NullInt64
		if err := rows.Scan(&t, &u); err != nil {
			return nil, errs.Wrap(err, "task units")
		}
		out[t] = u.Int64
	}
	return out, errs.Wrap(rows.Err(), "task units")
}

// AnalyzeRegistry refreshes the planner's statistics after a bulk import
// (PostgreSQL; autovacuum would do it later, after the first slow searches).
func (tx *Tx) AnalyzeRegistry() error {
	if !tx.db.Postgres() {
		return nil
	}
	_, err := tx.exec(`ANALYZE units, websites`)
	return errs.Wrap(err, "analyze")
}

// ContactsOfOrg, ExpertsOfOrg and EquipmentOfOrg list every row of one
// organisation (imports compare against them; exports write them).
func (q *Q) ContactsOfOrg(orgID int64) ([]*registry.Contact, error) {
	return list(q, "contacts", scanContact, `SELECT `+contactCols+` FROM contacts WHERE org_id = ? ORDER BY id`, orgID)
}

func (q *Q) ExpertsOfOrg(orgID int64) ([]*registry.Expert, error) {
	return list(q, "experts", scanExpert, `SELECT `+expertCols+` FROM experts WHERE org_id = ? ORDER BY id`, orgID)
}

func (q *Q) EquipmentOfOrg(orgID int64) ([]*registry.Equipment, error) {
	return list(q, "equipment", scanEquipment, `SELECT `+equipmentCols+` FROM equipment WHERE org_id = ? ORDER BY id`, orgID)
}
