package console

import (
	"net/http"
	"strings"

	"yingji/internal/errs"
	"yingji/internal/i18n"
	"yingji/internal/web/httpx"
)

// cleanForm checks a console request's query and, for a POST, its form
// values (multipart ones included; an uploaded file's content is the
// ledger reader's to check, cell by cell). The error names the field by
// its label where the console has one.
func cleanForm(r *http.Request, l i18n.Lang) error {
	err := httpx.CheckValues(r.URL.Query())
	if err == nil && r.Method == http.MethodPost {
		err = httpx.CheckValues(r.PostForm)
	}
	if err == nil {
		return nil
	}
	field := errs.As(err).Field
	return &errs.Error{Code: errs.Invalid, Field: field, Key: "error.bad_text_field", Args: []any{formLabel(r, l, field)}}
}

// formLabel is the label a console form shows for one of its inputs, as
// far as one can be found from the name alone; else the name.
func formLabel(r *http.Request, l i18n.Lang, name string) string {
	if strings.HasPrefix(r.URL.Path, "/registry") {
		fields := unitFields
		if strings.Contains(r.URL.Path, "/websites") {
			fields = websiteFields
		}
		for _, f := range fields {
			if f.Name == name && i18n.Has(f.Label) {
				return i18n.T(l, f.Label)
			}
		}
	}
	if k := "field." + name; r.URL.Path == "/incidents" && i18n.Has(k) { // the new-incident form
		return i18n.T(l, k)
	}
	if k := "field." + fieldLabels[name]; fieldLabels[name] != "" && i18n.Has(k) {
		return i18n.T(l, k)
	}
	for _, k := range []string{"field.d_" + name, "field." + name} {
		if i18n.Has(k) {
			return i18n.T(l, k)
		}
	}
	return name
}
