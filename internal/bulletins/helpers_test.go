package bulletins_test

import (
	"context"

	"yingji/internal/store"
	"yingji/internal/testkit"
)

func draftLines(env *testkit.Env, incidentID int64) ([]string, error) {
	var out []string
	err := env.DB.Read(context.Background(), func(q *store.Q) error {
		var err error
		out, err = env.App.Bulletins.DraftLines(q, incidentID)
		return err
	})
	return out, err
}
