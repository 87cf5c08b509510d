package store

import (
	"strings"
	"unicode/utf8"

	"yingji/internal/registry"
)

// Substring search (migration 013). SQLite: FTS5 tables with the trigram
// tokenizer over units.search, websites.search and an incident's number,
// title and description, kept in step by triggers; a query of three
// characters or more is a phrase of trigrams, which matches exactly where
// the text holds the query. PostgreSQL: GIN indexes over yj_grams(…), the
// distinct character bigrams (pg_trgm makes no trigrams of Chinese under
// the C locale); rows holding every bigram of the query are then confirmed
// with strpos. Shorter queries (SQLite: 1–2 characters, PostgreSQL: 1)
// cannot use the index and scan with instr/strpos, as the first release did.

// indexed reports whether the dialect's substring index answers text.
func (q *Q) indexed(text string) bool {
	n := utf8.RuneCountInString(text)
	if q.db.Postgres() {
		return n >= 2
	}
	return n >= 3
}

// ftsPhrase quotes text as one FTS5 phrase.
func ftsPhrase(text string) string { return `"` + strings.ReplaceAll(text, `"`, `""`) + `"` }

// matchIDs returns a condition "<idCol> IN (…)" selecting the rows of table
// whose search column (PostgreSQL: expression expr) holds text, with its
// arguments. text is lower case.
func (q *Q) matchIDs(idCol, table, expr, text string) (string, []any) {
	if q.db.Postgres() {
		return idCol + ` IN (SELECT id FROM ` + table + ` WHERE yj_grams(` + expr + `) @> yj_grams(?) AND strpos(` + expr + `, ?) > 0)`, []any{text, text}
	}
	return idCol + ` IN (SELECT rowid FROM ` + table + `_fts WHERE ` + table + `_fts MATCH ?)`, []any{ftsPhrase(text)}
}

// searchUnits is ListUnits' substring search: two arms (the unit's own text,
// its websites' text), each the first Limit matches above After by id, then
// the page is the first Limit of their union. Two statements, so that no
// planner walks the primary key hoping to meet the few matches early.
func (q *Q) searchUnits(f registry.Filter, where string, args []any, text string) ([]*registry.Unit, error) {
	lim := pageSize(f)
	oin, oargs := inList(f.OrgIDs)
	var ids []int64
	if q.indexed(text) {
		c1, a1 := q.matchIDs("id", "units", "search", text)
		c2, a2 := q.matchIDs("id", "websites", "search", text)
		arm1 := `SELECT id FROM (SELECT id FROM units WHERE ` + c1 + ` AND org_id IN ` + oin + ` AND id > ? ORDER BY id LIMIT ?) a`
		if !q.db.Postgres() {
			// The trigram index as the outer loop, in rowid order: a common
			// text stops at the first page instead of listing every match.
			arm1 = `SELECT id FROM (SELECT units_fts.rowid AS id FROM units_fts CROSS JOIN units u ON u.id = units_fts.rowid
				WHERE units_fts MATCH ? AND u.org_id IN ` + oin + ` AND units_fts.rowid > ? ORDER BY units_fts.rowid LIMIT ?) a`
		}
		arm2 := `SELECT unit_id FROM (SELECT unit_id FROM websites WHERE ` + c2 + ` AND org_id IN ` + oin + ` AND unit_id > ? ORDER BY unit_id LIMIT ?) b`
		var all []any
		all = append(append(append(all, a1...), oargs...), f.After, lim)
		all = append(append(append(all, a2...), oargs...), f.After, lim)
		var err error
		if ids, err = list(q, "units", scanID, arm1+` UNION `+arm2, all...); err != nil {
			return nil, err
		}
	} else {
		cond := `(` + q.contains("search") + ` OR id IN (SELECT unit_id FROM websites WHERE org_id IN ` + oin + ` AND ` + q.contains("search") + `))`
		args = append(append(append(args, text), oargs...), text)
		return list(q, "units", scanUnit, `SELECT `+unitCols+` FROM units WHERE `+where+` AND `+cond+` ORDER BY id LIMIT ?`, append(args, lim)...)
	}
	if len(ids) == 0 {
		return nil, nil
	}
	uin, uargs := inList(ids)
	return list(q, "units", scanUnit, `SELECT `+unitCols+` FROM units WHERE `+where+` AND id IN `+uin+` ORDER BY id LIMIT ?`,
		append(append(args, uargs...), lim)...)
}

// incidentText is the condition for incident.Filter.Text: the number, title
// or description holds the text (case folded as lower() folds). The index
// narrows; the LIKE confirms, so results are those of the first release.
func (q *Q) incidentText(text string) (string, []any) {
	low := strings.ToLower(text)
	like := "%" + escapeLike(low) + "%"
	cond := `(lower(title) LIKE ? ESCAPE '\' OR lower(number) LIKE ? ESCAPE '\' OR lower(description) LIKE ? ESCAPE '\')`
	args := []any{like, like, like}
	if !q.indexed(low) {
		return cond, args
	}
	if q.db.Postgres() {
		return `yj_grams(lower(number || ' ' || title || ' ' || description)) @> yj_grams(?) AND ` + cond, append([]any{low}, args...)
	}
	return `id IN (SELECT rowid FROM incidents_fts WHERE incidents_fts MATCH ?) AND ` + cond, append([]any{ftsPhrase(low)}, args...)
}
