package main

import (
	"context"
	"log/slog"

	"yingji/internal/alerts"
	"yingji/internal/app"
	"yingji/internal/bulletins"
	"yingji/internal/escalation"
	"yingji/internal/monitors"
	"yingji/internal/reports"
)

// startWorkers starts the background work of a server node (scheduler,
// outbox sender). Each worker stops when ctx ends.
func startWorkers(ctx context.Context, a *app.App, log *slog.Logger) {
	holder := reports.NewSchedulerID()
	log.Info("report scheduler started", "holder", holder, "interval", reports.SchedulerInterval.String())
	go a.Reports.RunScheduler(ctx, holder, reports.SchedulerInterval)
	// Issue 10: escalation until acknowledged, under its own lease.
	log.Info("escalation started", "holder", holder, "interval", escalation.Interval.String())
	go a.Escalation.Run(ctx, holder, escalation.Interval)
	// Issue 12: checks of registered key websites, under their own lease.
	log.Info("monitors started", "holder", holder, "interval", monitors.Interval.String(), "dns", a.Monitors.DNSServer)
	go a.Monitors.Run(ctx, holder, monitors.Interval)
	// Issue 12: alert handling after ingest, under its own lease.
	log.Info("alert handler started", "holder", holder, "interval", alerts.Interval.String())
	go a.Alerts.Run(ctx, holder, alerts.Interval)
	// Issue 14: reminders to units that have not answered a 通报 by its deadline.
	go a.Bulletins.Run(ctx, holder, bulletins.Interval)
}
