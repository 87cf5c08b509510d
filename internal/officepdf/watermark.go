package officepdf

import (
	"bytes"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

func init() {
	// pdfcpu would otherwise write a configuration directory under the
	// user's home on first use.
	model.ConfigPath = "disable"
}

// Watermark stamps text diagonally across every page of a PDF, in grey at
// a third of full opacity, on top of the content so that no page can be
// copied without it. pdfcpu's built-in Helvetica has Latin letters only: the
// text is the reader's account name and the time.
func Watermark(pdf []byte, text string) ([]byte, error) {
	wm, err := api.TextWatermark(text, "font:Helvetica, points:30, rotation:45, opacity:0.3, fillcolor:#808080, scale:0.9 rel", true, false, types.POINTS)
	if err != nil {
		return nil, err
	}
	var out bytes.Buffer
	if err := api.AddWatermarks(bytes.NewReader(pdf), &out, nil, wm, model.NewDefaultConfiguration()); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}
