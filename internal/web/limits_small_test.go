package web_test

import (
	"bytes"
	"context"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"yingji/internal/testkit"
	"yingji/internal/web"
)

// TestConsoleUploadTooLarge: an upload over the console's limit says so and
// names the limit, instead of "表单已失效" (finding 12 of issue 9).
func TestConsoleUploadTooLarge(t *testing.T) {
	env := testkit.Open(t, "sqlite")
	srv := httptest.NewServer(web.New(env.App, nil, env.Plan.Location))
	t.Cleanup(srv.Close)
	sess, err := env.App.Accounts.Login(context.Background(), "duty", testkit.Password, "test")
	if err != nil {
		t.Fatal(err)
	}
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", "units.csv")
	fw.Write(bytes.Repeat([]byte("名称,类别\n"), 150_000)) // ~1.9 MB
	mw.WriteField("kind", "units")
	mw.WriteField("csrf", sess.CSRF) // after the file, as a browser sends it
	mw.Close()
	req, _ := http.NewRequest("POST", srv.URL+"/registry/import", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.AddCookie(&http.Cookie{Name: "yingji_session", Value: sess.Token})
	res, err := testkit.NoFollow.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(string(page), "1 MiB") || strings.Contains(string(page), "表单已失效") {
		t.Fatalf("status %d, page %.300s", res.StatusCode, page)
	}
}
