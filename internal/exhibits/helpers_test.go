package exhibits_test

import (
	"yingji/internal/core"
	"yingji/internal/exhibits"
	"yingji/internal/store"
)

// testkitApp is the evidence service over a database opened by hand.
func testkitApp(db *store.DB) *exhibits.Service { return exhibits.New(core.New(db, nil)) }
