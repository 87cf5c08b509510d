package exhibits_test

import (
	"io"
	"strings"
	"testing"
	"time"

	"yingji/internal/errs"
	"yingji/internal/evidence"
	"yingji/internal/exhibits"
	"yingji/internal/testkit"
)

// Uploads running at once are bounded: one more is refused at once with a
// clear error instead of waiting on (in PostgreSQL mode) the shared pool.
func TestUploadsBounded(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		env.App.Evidence.MaxUploads = 1
		in := testkit.NewIncident(t, env, "network_attack")
		it := newItem(t, env, in.ID, evidence.File)
		pr, pw := io.Pipe()
		done := make(chan error, 1)
		go func() {
			_, err := env.App.Evidence.AddFile(ctx, env.Users["duty"], it.ID, exhibits.Upload{Name: "slow.log", Size: -1, Body: pr})
			done <- err
		}()
		pw.Write([]byte("first bytes\n")) // the slow upload has its slot
		var err error
		for i := 0; i < 100; i++ { // the slot is taken when the first bytes are read
			if _, err = env.App.Evidence.AddFile(ctx, env.Users["duty"], it.ID, exhibits.Upload{Name: "b.log", Size: 1, Body: strings.NewReader("b")}); err != nil {
				break
			}
			time.Sleep(10 * time.Millisecond)
		}
		testkit.WantCode(t, err, errs.Conflict)
		pw.Close()
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		upload(t, env, it.ID, "c.log", "c") // the slot is free again
	})
}
