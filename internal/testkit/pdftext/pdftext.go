// Package pdftext reads back the text of a PDF a test made, with poppler's
// pdftotext. It imports nothing of yingji, so that the domain packages'
// own tests (internal/report) can use it as well as the API's.
package pdftext

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// Text is pdftotext's text of pdf, args going before the file (e.g.
// "-raw", or "-enc", "UTF-8"). Without pdftotext the test skips, except in
// CI (CI=true), where it fails.
func Text(t testing.TB, pdf []byte, args ...string) string {
	t.Helper()
	tool, err := exec.LookPath("pdftotext")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("pdftotext (poppler-utils) is needed in CI")
		}
		t.Skip("pdftotext not installed")
	}
	path := filepath.Join(t.TempDir(), "d.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(tool, append(args, path, "-")...).Output()
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}
