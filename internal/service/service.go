// Package service holds yingji's use cases. Each method that changes
// something is one database transaction that checks the actor's rights,
// asks the pure domain code what is allowed, writes the new state, the
// timeline entry, the audit record and any outgoing notices, and commits.
package service

import (
	"log/slog"

	"yingji/internal/core"
	"yingji/internal/store"
)

// Service is the application. (Live updates follow the store's change
// feed, which also carries other nodes' commits.)
type Service struct {
	*core.Core
}

// New returns a service on db.
func New(db *store.DB, log *slog.Logger) *Service {
	if log == nil {
		log = slog.Default()
	}
	return &Service{Core: core.New(db, log)}
}
