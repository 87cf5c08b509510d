package main

import (
	"context"
	"log/slog"

	"yingji/internal/service"
)

// startWorkers starts the background work of a server node (scheduler,
// outbox sender). Each worker stops when ctx ends.
func startWorkers(ctx context.Context, svc *service.Service, log *slog.Logger) {
	holder := service.NewSchedulerID()
	log.Info("report scheduler started", "holder", holder, "interval", service.SchedulerInterval.String())
	go svc.RunScheduler(ctx, holder, service.SchedulerInterval)
}
