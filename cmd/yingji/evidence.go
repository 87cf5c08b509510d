package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"yingji/internal/app"
	"yingji/internal/exhibits"
	"yingji/internal/i18n"
	"yingji/internal/store"
)

// Evidence (issue 13): the serve flags of the register, backup and restore,
// and the check of stored content.

// evidenceFlags are serve's evidence settings.
type evidenceFlags struct {
	maxBytes int64
	key      string
}

func (e *evidenceFlags) register(fs *flag.FlagSet) {
	fs.Int64Var(&e.maxBytes, "evidence-max-bytes", exhibits.DefaultMaxUpload, "largest evidence file accepted, in bytes (refused before it is read when the sender declares its length)")
	fs.StringVar(&e.key, "evidence-key", os.Getenv("YINGJI_EVIDENCE_KEY"), "ed25519 signing key of evidence packages (PEM, created with mode 0600 if missing); default evidence.key in --data; give every PostgreSQL node the same file")
}

func (e *evidenceFlags) apply(a *app.App, data string) {
	a.Evidence.MaxUpload = e.maxBytes
	a.Evidence.KeyFile = e.key
	if e.key == "" && a.Core.DB.Postgres() {
		a.Evidence.KeyFile = filepath.Join(data, "evidence.key")
	}
	if n, err := a.Evidence.SweepTemp(); err == nil && n > 0 {
		a.Core.Log.Info("evidence: removed uploads cut off by a crash", "files", n)
	}
}

// backupCmd: yingji backup --to DIR.
func backupCmd(ctx context.Context, args []string) error {
	fs := newFlagSet("backup")
	var d dbFlags
	d.register(fs)
	to := fs.String("to", "", "an empty directory for the backup")
	key := fs.String("evidence-key", os.Getenv("YINGJI_EVIDENCE_KEY"), "the evidence signing key file, if not in --data")
	if err := fs.Parse(args); err != nil || *to == "" {
		fmt.Fprintln(os.Stderr, "usage: yingji backup --to DIR [--data DIR] (PostgreSQL: pg_dump, see docs/evidence.md)")
		return exitError(2)
	}
	db, err := store.Open(ctx, d.db, d.data)
	if err != nil {
		return err
	}
	defer db.Close()
	rep, err := exhibits.Backup(ctx, db, *key, *to)
	if err != nil {
		return err
	}
	fmt.Printf("备份完成：%s（数据库及 %d 个证据文件，共 %d 字节，均已校验）\n", *to, rep.Files, rep.Bytes)
	return nil
}

// restoreCmd: yingji restore --from DIR --data NEWDIR, then the check.
func restoreCmd(ctx context.Context, args []string) error {
	fs := newFlagSet("restore")
	from := fs.String("from", "", "the backup directory")
	data := fs.String("data", "", "an empty data directory to restore into")
	if err := fs.Parse(args); err != nil || *from == "" || *data == "" {
		fmt.Fprintln(os.Stderr, "usage: yingji restore --from BACKUP --data NEWDIR")
		return exitError(2)
	}
	if err := exhibits.Restore(*from, *data); err != nil {
		return err
	}
	return checkStore(ctx, dbFlags{data: *data})
}

// evidenceCmd: yingji evidence check — every stored file against its
// hashes; yingji evidence verify FILE — an exported package, offline
// (evidence_verify.go).
func evidenceCmd(ctx context.Context, args []string) error {
	if len(args) > 0 && args[0] == "verify" {
		return evidenceVerify(ctx, args[1:])
	}
	if len(args) == 0 || args[0] != "check" {
		fmt.Fprintln(os.Stderr, i18n.T(i18n.ZH, "evpack.usage"))
		fmt.Fprintln(os.Stderr, "usage: yingji evidence check [--data DIR | --db URL]   re-hash every stored evidence file (exit 1 on a mismatch)")
		return exitError(2)
	}
	fs := newFlagSet("evidence check")
	var d dbFlags
	d.register(fs)
	if err := fs.Parse(args[1:]); err != nil {
		return exitError(2)
	}
	return checkStore(ctx, d)
}

func checkStore(ctx context.Context, d dbFlags) error {
	db, err := store.Open(ctx, d.db, d.data)
	if err != nil {
		return err
	}
	defer db.Close()
	a := app.New(db, quietLog())
	n, bad, err := a.Evidence.VerifyAll(ctx)
	if err != nil {
		return err
	}
	res, err := db.VerifyAudit(ctx)
	if err != nil {
		return err
	}
	for _, b := range bad {
		fmt.Printf("不符：证据文件 %d（%s）%s\n", b.File.ID, b.File.Name, b.Why)
	}
	if res.Err != nil {
		fmt.Println("审计链：", res.Err)
	}
	if len(bad) > 0 || res.Err != nil {
		return exitError(1)
	}
	fmt.Printf("证据文件 %d 个均与登记的 SHA-256/SM3 一致；审计链 %d 条记录完整。\n", n, res.Records)
	return nil
}
