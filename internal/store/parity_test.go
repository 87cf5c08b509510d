package store_test

import (
	"database/sql"
	"fmt"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"yingji/internal/store/storetest"
)

// The two dialects' migrations are written by hand, side by side. This test
// migrates a real SQLite and a real PostgreSQL to the newest version, reads
// each one's catalogue and compares what the application relies on: tables,
// columns (type family, NOT NULL, default, generated key), primary keys,
// unique constraints and indexes (by columns, order, direction and
// predicate) and foreign keys. A difference fails the test naming the
// object, unless allowedDrift says why it is deliberate.

// allowedDrift lists the differences that are meant to be there, each with
// its reason. An entry that no longer matches a difference fails the test
// too, so that the list never outlives what it excuses.
var allowedDrift = map[string]string{
	// Substring search (migration 013): SQLite uses FTS5 trigram tables kept
	// in step by triggers, PostgreSQL GIN indexes over yj_grams(...) (pg_trgm
	// makes no trigrams of Chinese under the C locale). Same queries, each
	// engine's own means; see store/search.go.
	"table units_fts: only in sqlite":                                    "FTS5 search table (013)",
	"table websites_fts: only in sqlite":                                 "FTS5 search table (013)",
	"table incidents_fts: only in sqlite":                                "FTS5 search table (013)",
	"index units(yj_grams search) [units_grams]: only in postgres":       "GIN search index (013)",
	"index websites(yj_grams search) [websites_grams]: only in postgres": "GIN search index (013)",
	"index incidents(yj_grams lower number || ' ' || title || ' ' || description) [incidents_grams]: only in postgres": "GIN search index (013)",

	// In SQLite every INTEGER PRIMARY KEY is the rowid, which the engine
	// fills when an INSERT leaves it out; SQLite has no way to say "no". In
	// these tables the application always supplies the key itself (the
	// audit sequence, the one head row, the user a row belongs to, the
	// migration version), so PostgreSQL rightly has no identity there.
	"column audit.seq: generated key sqlite true, postgres false":                 "audit seq is assigned by the chain",
	"column audit_head.id: generated key sqlite true, postgres false":             "the single head row is id 1",
	"column duty_feed_tokens.user_id: generated key sqlite true, postgres false":  "keyed by its user",
	"column totp.user_id: generated key sqlite true, postgres false":              "keyed by its user",
	"column schema_migrations.version: generated key sqlite true, postgres false": "the migration number",
}

// column is one column as the application sees it.
type column struct {
	family    string // integer, text, bytes, float, boolean, or the raw type
	notNull   bool
	def       string // normalised default, "" for none
	generated bool   // the database assigns it (rowid alias, identity)
}

type index struct {
	name    string
	table   string
	cols    []string // column names or expressions, "DESC" appended where descending
	unique  bool
	where   string // normalised predicate of a partial index
	primary bool
}

func (ix index) key() string {
	k := ix.table + "(" + strings.Join(ix.cols, ", ") + ")"
	if ix.unique {
		k += " unique"
	}
	if ix.where != "" {
		k += " where " + ix.where
	}
	return k
}

type schema struct {
	tables  map[string]map[string]column
	pk      map[string][]string
	indexes map[string]index // by key(): the name is not compared
	fks     map[string]bool  // "t(a) -> r(b)"
}

func TestSchemaParity(t *testing.T) {
	lite, pg := migrated(t, "sqlite"), migrated(t, "postgres")
	a, b := readBoth(t, lite, pg)
	if len(a.tables) < 20 || len(b.tables) < 20 {
		t.Fatalf("catalogue reads look empty: sqlite %d tables, postgres %d", len(a.tables), len(b.tables))
	}
	used := map[string]bool{}
	for _, d := range compareSchemas(a, b) {
		if _, ok := allowedDrift[d]; ok {
			used[d] = true
			continue
		}
		t.Errorf("schema drift: %s", d)
	}
	for d := range allowedDrift {
		if !used[d] {
			t.Errorf("allowedDrift entry matches nothing any more, remove it: %s", d)
		}
	}
}

// readBoth reads the two catalogues.
func readBoth(t *testing.T, lite, pg *sql.DB) (*schema, *schema) {
	t.Helper()
	a, err := readSQLite(lite)
	if err != nil {
		t.Fatal(err)
	}
	b, err := readPostgres(pg)
	if err != nil {
		t.Fatal(err)
	}
	return a, b
}

// migrated opens a fresh database of kind at the newest migration and
// returns a plain connection to it, for reading its catalogue.
func migrated(t *testing.T, kind string) *sql.DB {
	_, url, dir := storetest.OpenDB(t, kind)
	driver, dsn := "pgx", url
	if kind == "sqlite" {
		driver, dsn = "sqlite", "file:"+filepath.Join(dir, "yingji.db")
	}
	raw, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { raw.Close() })
	return raw
}

// compareSchemas lists the differences, one sentence each, sorted.
func compareSchemas(a, b *schema) []string {
	var out []string
	for name, ca := range a.tables {
		cb, ok := b.tables[name]
		if !ok {
			out = append(out, fmt.Sprintf("table %s: only in sqlite", name))
			continue
		}
		for col, x := range ca {
			y, ok := cb[col]
			if !ok {
				out = append(out, fmt.Sprintf("column %s.%s: only in sqlite", name, col))
				continue
			}
			if x.family != y.family {
				out = append(out, fmt.Sprintf("column %s.%s: type sqlite %s, postgres %s", name, col, x.family, y.family))
			}
			if x.notNull != y.notNull {
				out = append(out, fmt.Sprintf("column %s.%s: NOT NULL sqlite %v, postgres %v", name, col, x.notNull, y.notNull))
			}
			if x.def != y.def {
				out = append(out, fmt.Sprintf("column %s.%s: default sqlite %q, postgres %q", name, col, x.def, y.def))
			}
			if x.generated != y.generated {
				out = append(out, fmt.Sprintf("column %s.%s: generated key sqlite %v, postgres %v", name, col, x.generated, y.generated))
			}
		}
		for col := range cb {
			if _, ok := ca[col]; !ok {
				out = append(out, fmt.Sprintf("column %s.%s: only in postgres", name, col))
			}
		}
		if pa, pb := strings.Join(a.pk[name], ", "), strings.Join(b.pk[name], ", "); pa != pb {
			out = append(out, fmt.Sprintf("primary key %s: sqlite (%s), postgres (%s)", name, pa, pb))
		}
	}
	for name := range b.tables {
		if _, ok := a.tables[name]; !ok {
			out = append(out, fmt.Sprintf("table %s: only in postgres", name))
		}
	}
	for k, ix := range a.indexes {
		if _, ok := b.indexes[k]; !ok && b.tables[ix.table] != nil {
			out = append(out, fmt.Sprintf("index %s [%s]: only in sqlite", k, ix.name))
		}
	}
	for k, ix := range b.indexes {
		if _, ok := a.indexes[k]; !ok && a.tables[ix.table] != nil {
			out = append(out, fmt.Sprintf("index %s [%s]: only in postgres", k, ix.name))
		}
	}
	for k := range a.fks {
		if !b.fks[k] {
			out = append(out, "foreign key "+k+": only in sqlite")
		}
	}
	for k := range b.fks {
		if !a.fks[k] {
			out = append(out, "foreign key "+k+": only in postgres")
		}
	}
	sort.Strings(out)
	return out
}

// typeFamily maps a declared type to what the Go code can tell apart. The
// project keeps booleans as integers 0/1 and times as integer milliseconds
// in both dialects, so those need no mapping of their own.
func typeFamily(t string) string {
	t = strings.ToLower(strings.TrimSpace(t))
	if i := strings.IndexByte(t, '('); i >= 0 {
		t = strings.TrimSpace(t[:i])
	}
	switch t {
	case "integer", "int", "bigint", "smallint", "int2", "int4", "int8", "serial", "bigserial":
		return "integer"
	case "text", "varchar", "character varying", "char", "character", "clob":
		return "text"
	case "blob", "bytea":
		return "bytes"
	case "real", "double", "double precision", "float", "float8", "float4", "numeric":
		return "float"
	case "boolean", "bool":
		return "boolean"
	}
	return t
}

var (
	casts  = regexp.MustCompile(`::[a-z ]+(\[\])?`)
	spaces = regexp.MustCompile(`\s+`)
)

// normExpr makes a default or predicate comparable across dialects: no
// casts, no parentheses, lower case, single spaces.
func normExpr(s string) string {
	s = casts.ReplaceAllString(s, "")
	s = strings.NewReplacer("(", " ", ")", " ").Replace(s)
	return strings.TrimSpace(spaces.ReplaceAllString(strings.ToLower(s), " "))
}

func newSchema() *schema {
	return &schema{tables: map[string]map[string]column{}, pk: map[string][]string{}, indexes: map[string]index{}, fks: map[string]bool{}}
}

// strings runs a query whose rows are one or more text columns.
func queryStrings(db *sql.DB, n int, query string, args ...any) ([][]string, error) {
	rows, err := db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", query, err)
	}
	defer rows.Close()
	var out [][]string
	for rows.Next() {
		v := make([]sql.NullString, n)
		p := make([]any, n)
		for i := range v {
			p[i] = &v[i]
		}
		if err := rows.Scan(p...); err != nil {
			return nil, err
		}
		s := make([]string, n)
		for i := range v {
			s[i] = v[i].String
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

func readSQLite(db *sql.DB) (*schema, error) {
	s := newSchema()
	// FTS5 keeps its data in shadow tables named after the virtual table;
	// they belong to the virtual table, not to the schema we write.
	tables, err := queryStrings(db, 2, `SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`)
	if err != nil {
		return nil, err
	}
	virtual := map[string]bool{}
	for _, r := range tables {
		if strings.HasPrefix(strings.ToUpper(r[1]), "CREATE VIRTUAL TABLE") {
			virtual[r[0]] = true
		}
	}
	shadow := func(name string) bool {
		for v := range virtual {
			if strings.HasPrefix(name, v+"_") {
				return true
			}
		}
		return false
	}
	for _, r := range tables {
		name := r[0]
		if shadow(name) {
			continue
		}
		s.tables[name] = map[string]column{}
		if virtual[name] {
			continue
		}
		cols, err := queryStrings(db, 6, `SELECT cid, name, type, "notnull", dflt_value, pk FROM pragma_table_info(?)`, name)
		if err != nil {
			return nil, err
		}
		var pk []string
		pkPos := map[string]string{}
		for _, c := range cols {
			if c[5] != "0" {
				pkPos[c[5]] = c[1]
			}
		}
		for i := 1; i <= len(pkPos); i++ {
			pk = append(pk, pkPos[fmt.Sprint(i)])
		}
		for _, c := range cols {
			col := column{family: typeFamily(c[2]), notNull: c[3] == "1", def: normExpr(c[4])}
			if c[5] != "0" {
				col.notNull = true // a primary key is never NULL in PostgreSQL, nor in our rows
			}
			// INTEGER PRIMARY KEY alone is the rowid: SQLite assigns it.
			if len(pk) == 1 && pk[0] == c[1] && strings.EqualFold(c[2], "INTEGER") {
				col.generated = true
			}
			s.tables[name][c[1]] = col
		}
		s.pk[name] = pk
		ixs, err := queryStrings(db, 5, `SELECT seq, name, "unique", origin, partial FROM pragma_index_list(?)`, name)
		if err != nil {
			return nil, err
		}
		for _, x := range ixs {
			if x[3] == "pk" {
				continue // compared as the primary key
			}
			ix := index{name: x[1], table: name, unique: x[2] == "1"}
			info, err := queryStrings(db, 4, `SELECT cid, name, "desc", key FROM pragma_index_xinfo(?) ORDER BY seqno`, x[1])
			if err != nil {
				return nil, err
			}
			for _, c := range info {
				if c[3] != "1" {
					continue
				}
				col := c[1]
				if c[0] == "-2" {
					col = "expression"
				}
				if c[2] == "1" {
					col += " DESC"
				}
				ix.cols = append(ix.cols, col)
			}
			if x[4] == "1" {
				def, err := queryStrings(db, 1, `SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?`, x[1])
				if err != nil || len(def) == 0 {
					return nil, fmt.Errorf("index %s: %v", x[1], err)
				}
				i := strings.LastIndex(strings.ToUpper(def[0][0]), " WHERE ")
				ix.where = normExpr(def[0][0][i+len(" WHERE "):])
			}
			s.indexes[ix.key()] = ix
		}
		fks, err := queryStrings(db, 4, `SELECT id, "table", "from", "to" FROM pragma_foreign_key_list(?) ORDER BY id, seq`, name)
		if err != nil {
			return nil, err
		}
		from, to := map[string][]string{}, map[string][]string{}
		ref := map[string]string{}
		for _, f := range fks {
			ref[f[0]] = f[1]
			from[f[0]] = append(from[f[0]], f[2])
			to[f[0]] = append(to[f[0]], f[3])
		}
		for id := range ref {
			target := to[id]
			if target[0] == "" { // REFERENCES t: its primary key
				target = nil // filled in below, once every table is read
			}
			s.fks[fmt.Sprintf("%s(%s) -> %s(%s)", name, strings.Join(from[id], ", "), ref[id], strings.Join(target, ", "))] = true
		}
	}
	// Foreign keys written as "REFERENCES t" point at t's primary key.
	for k := range s.fks {
		if strings.HasSuffix(k, "()") {
			i := strings.LastIndex(k, " -> ")
			r := strings.TrimSuffix(k[i+4:], "()")
			delete(s.fks, k)
			s.fks[fmt.Sprintf("%s%s(%s)", k[:i+4], r, strings.Join(s.pk[r], ", "))] = true
		}
	}
	return s, nil
}

func readPostgres(db *sql.DB) (*schema, error) {
	s := newSchema()
	cols, err := queryStrings(db, 6, `SELECT c.table_name, c.column_name, c.data_type, c.is_nullable, c.column_default, c.is_identity
		FROM information_schema.columns c JOIN information_schema.tables t
		  ON t.table_schema = c.table_schema AND t.table_name = c.table_name
		WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'`)
	if err != nil {
		return nil, err
	}
	for _, c := range cols {
		if s.tables[c[0]] == nil {
			s.tables[c[0]] = map[string]column{}
		}
		col := column{family: typeFamily(c[2]), notNull: c[3] == "NO"}
		if c[5] == "YES" || strings.HasPrefix(c[4], "nextval(") {
			col.generated = true
		} else {
			col.def = normExpr(c[4])
		}
		s.tables[c[0]][c[1]] = col
	}
	// One row per index and key column, in order; pg_get_indexdef with a
	// column number gives that column's name or expression.
	ixs, err := queryStrings(db, 7, `SELECT t.relname, ix.relname, i.indisunique::text, i.indisprimary::text,
		  pg_get_indexdef(i.indexrelid, k.n::int, true), (i.indoption[k.n - 1] & 1)::text, COALESCE(pg_get_expr(i.indpred, i.indrelid), '')
		FROM pg_index i
		JOIN pg_class t ON t.oid = i.indrelid
		JOIN pg_class ix ON ix.oid = i.indexrelid
		JOIN pg_namespace ns ON ns.oid = t.relnamespace
		CROSS JOIN LATERAL generate_series(1, i.indnkeyatts) AS k(n)
		WHERE ns.nspname = current_schema()
		ORDER BY ix.relname, k.n`)
	if err != nil {
		return nil, err
	}
	byName := map[string]*index{}
	var order []string
	for _, r := range ixs {
		ix := byName[r[1]]
		if ix == nil {
			ix = &index{name: r[1], table: r[0], unique: r[2] == "true", primary: r[3] == "true", where: normExpr(r[6])}
			byName[r[1]] = ix
			order = append(order, r[1])
		}
		col := r[4]
		if strings.ContainsAny(col, "( ") { // an expression: casts and parentheses are how PostgreSQL prints it
			col = normExpr(col)
		}
		if r[5] == "1" {
			col += " DESC"
		}
		ix.cols = append(ix.cols, col)
	}
	for _, n := range order {
		ix := byName[n]
		if ix.primary {
			s.pk[ix.table] = ix.cols
			continue
		}
		s.indexes[ix.key()] = *ix
	}
	fks, err := queryStrings(db, 4, `SELECT cl.relname, rf.relname,
		  (SELECT string_agg(a.attname, ', ' ORDER BY k.n) FROM unnest(c.conkey) WITH ORDINALITY k(att, n)
		     JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.att),
		  (SELECT string_agg(a.attname, ', ' ORDER BY k.n) FROM unnest(c.confkey) WITH ORDINALITY k(att, n)
		     JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.att)
		FROM pg_constraint c
		JOIN pg_class cl ON cl.oid = c.conrelid
		JOIN pg_class rf ON rf.oid = c.confrelid
		JOIN pg_namespace ns ON ns.oid = cl.relnamespace
		WHERE c.contype = 'f' AND ns.nspname = current_schema()`)
	if err != nil {
		return nil, err
	}
	for _, f := range fks {
		s.fks[fmt.Sprintf("%s(%s) -> %s(%s)", f[0], f[2], f[1], f[3])] = true
	}
	return s, nil
}

// The comparison finds what it is meant to find: drift made on purpose in
// the SQLite copy is named, object by object.
func TestSchemaParityCatchesDrift(t *testing.T) {
	lite, pg := migrated(t, "sqlite"), migrated(t, "postgres")
	for _, q := range []string{
		`ALTER TABLE units ADD COLUMN fax TEXT NOT NULL DEFAULT ''`,
		`DROP INDEX tasks_unit`,
		`CREATE INDEX tasks_title ON tasks (title DESC)`,
		`CREATE UNIQUE INDEX orgs_name_parent ON orgs (parent_id, name) WHERE parent_id IS NOT NULL`,
	} {
		if _, err := lite.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	a, b := readBoth(t, lite, pg)
	if n := len(b.indexes); n < 60 {
		t.Errorf("postgres: only %d indexes read", n)
	}
	if n := len(b.fks); n < 40 {
		t.Errorf("postgres: only %d foreign keys read", n)
	}
	got := map[string]bool{}
	for _, d := range compareSchemas(a, b) {
		got[d] = true
	}
	for _, want := range []string{
		"column units.fax: only in sqlite",
		"index tasks(unit_id) [tasks_unit]: only in postgres",
		"index tasks(title DESC) [tasks_title]: only in sqlite",
		"index orgs(parent_id, name) unique where parent_id is not null [orgs_name_parent]: only in sqlite",
	} {
		if !got[want] {
			t.Errorf("not reported: %s", want)
		}
	}
	if len(got) != 4+len(allowedDrift) {
		t.Errorf("%d differences, want the 4 made and the %d allowed: %v", len(got), len(allowedDrift), got)
	}
}
