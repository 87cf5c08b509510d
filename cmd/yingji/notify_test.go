package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"yingji/internal/channel/chantest"
)

// yingji notify test sends over a configured channel; a refusal is
// reported with the receiver's answer and never with the secret, which
// the file takes from the environment.
func TestNotifyTestCommand(t *testing.T) {
	ding := chantest.DingTalk("tok-cli", "SECcli-secret", nil)
	defer ding.Close()
	cfg := filepath.Join(t.TempDir(), "channels.json")
	os.WriteFile(cfg, []byte(`{"robots":[
	  {"name":"bureau-ding","kind":"dingtalk","url":"`+ding.URL+`/robot/send?access_token=tok-cli","secret":"env:DING_SECRET"}]}`), 0o600)
	run := func(secret string) (string, error) {
		cmd := exec.Command(bin, "notify", "test", "--channels", cfg, "--channel", "bureau-ding")
		cmd.Env = append(os.Environ(), "DING_SECRET="+secret)
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	out, err := run("SECcli-secret")
	if err != nil || !strings.Contains(out, "测试消息已发出") || len(ding.Texts()) != 1 || !strings.Contains(ding.Texts()[0], "测试消息") {
		t.Fatalf("%v: %s; robot got %q", err, out, ding.Texts())
	}
	out, err = run("SECother-secret")
	if err == nil || !strings.Contains(out, "310000") {
		t.Fatalf("wrong secret: %v: %s", err, out)
	}
	for _, s := range []string{"SECother-secret", "tok-cli"} {
		if strings.Contains(out, s) {
			t.Fatalf("secret %s printed: %s", s, out)
		}
	}
	cmd := exec.Command(bin, "notify", "test", "--channels", cfg, "--channel", "none")
	cmd.Env = append(os.Environ(), "DING_SECRET=x")
	if out, err := cmd.CombinedOutput(); err == nil || !strings.Contains(string(out), "bureau-ding") {
		t.Fatalf("unknown channel: %v %s", err, out)
	}
	// No file at all: say what is missing, not "no channel in  ()".
	cmd = exec.Command(bin, "notify", "test", "--channel", "sms", "--to", "13800000001")
	cmd.Env = append(os.Environ(), "YINGJI_CHANNELS=")
	if out, err := cmd.CombinedOutput(); err == nil || !strings.Contains(string(out), "--channels FILE") {
		t.Fatalf("no file: %v %s", err, out)
	}
}

// yingji serve starts the delivery worker: an activation request made
// through the API reaches the bureau's group (a signed webhook here) within
// seconds, once.
func TestServeDeliversNotices(t *testing.T) {
	hook := chantest.Webhook("hook-serve-secret")
	defer hook.Close()
	cfg := filepath.Join(t.TempDir(), "channels.json")
	os.WriteFile(cfg, []byte(`{"base_url":"http://10.51.1.5","robots":[{"name":"bureau","kind":"webhook","url":"`+hook.URL+`","secret":"hook-serve-secret"}]}`), 0o600)
	dbArgs := []string{"--data", t.TempDir()}
	addr := freeAddr(t)
	srv := startServer(t, append(dbArgs, "--channels", cfg), addr)
	defer func() { srv.Process.Signal(syscall.SIGTERM); srv.Wait() }()
	tokOut, code := run(t, nil, append([]string{"user", "token", "duty"}, dbArgs...)...)
	if code != 0 {
		t.Fatalf("token: %s", tokOut)
	}
	token := strings.TrimSpace(tokOut)
	post := func(path, body string) map[string]any {
		req, _ := http.NewRequest("POST", "http://"+addr+path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Content-Type", "application/json")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		out := map[string]any{}
		json.NewDecoder(res.Body).Decode(&out)
		if res.StatusCode != 201 {
			t.Fatalf("%s: %d %v", path, res.StatusCode, out)
		}
		return out
	}
	in := post("/api/v1/incidents", `{"title":"县政府网站被篡改","category":"network_attack","level":3,"discovered_at":"`+time.Now().Format(time.RFC3339)+`"}`)
	post(fmt.Sprintf("/api/v1/incidents/%v/activation", in["id"]), `{"reason":"网站被篡改"}`)
	for i := 0; i < 100 && len(hook.Texts()) == 0; i++ {
		time.Sleep(100 * time.Millisecond)
	}
	time.Sleep(500 * time.Millisecond)
	got := hook.Texts()
	if len(got) != 1 || !strings.Contains(got[0], in["number"].(string)) || !strings.Contains(got[0], "http://10.51.1.5/incidents/") {
		t.Fatalf("group got %q", got)
	}
}
