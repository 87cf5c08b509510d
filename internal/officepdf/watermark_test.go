package officepdf

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-pdf/fpdf"
)

// The watermark's text is on every page, and the result is still a PDF
// pdftotext reads.
func TestWatermark(t *testing.T) {
	p := fpdf.New("P", "mm", "A4", "")
	p.SetFont("Helvetica", "", 12)
	for i := 0; i < 2; i++ {
		p.AddPage()
		p.Cell(40, 10, "page body")
	}
	path := filepath.Join(t.TempDir(), "in.pdf")
	if err := p.OutputFileAndClose(path); err != nil {
		t.Fatal(err)
	}
	in, _ := os.ReadFile(path)
	out, err := Watermark(in, "duty 2026-11-28 15:30")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := exec.LookPath("pdftotext"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("pdftotext is required here (CI=true)")
		}
		t.Skip("pdftotext not installed")
	}
	os.WriteFile(path, out, 0o600)
	for _, page := range []string{"1", "2"} {
		text, err := exec.Command("pdftotext", "-raw", "-f", page, "-l", page, path, "-").Output()
		if err != nil {
			t.Fatal(err)
		}
		// pdftotext -raw gives the rotated watermark a character a line.
		flat := strings.Join(strings.Fields(string(text)), "")
		if !strings.Contains(flat, "duty2026-11-2815:30") || !strings.Contains(string(text), "page body") {
			t.Errorf("page %s: %q", page, text)
		}
	}
}
