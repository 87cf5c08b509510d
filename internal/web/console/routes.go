package console

import (
	"io/fs"
	"net/http"

	"yingji/internal/errs"
	"yingji/internal/user"
	"yingji/internal/web/httpx"
)

// routes is the console's one route table. Pages run through s.page (a
// logged-in user, CSRF on POST) or s.pageIn (also mid-login sessions).
func (s *Server) routes() {
	m := s.mux
	static, _ := fs.Sub(consoleFS, "static")
	m.Handle("GET /static/", http.StripPrefix("/static/", staticHandler(http.FileServerFS(static))))
	// Rate limits are read when a request comes, so that limits set after
	// the routes apply; TOTP codes are guessed like passwords and share the
	// login limit.
	login, anon := func() *httpx.Limiter { return s.limits.Login }, func() *httpx.Limiter { return s.limits.Anon }
	m.HandleFunc("GET /login", s.limited(anon, s.loginPage))
	m.HandleFunc("POST /login", s.limited(login, s.loginSubmit))
	m.HandleFunc("GET /lang", s.limited(anon, s.switchLang))
	m.Handle("POST /logout", s.pageIn(s.logout, user.StageTOTP, user.StageEnrol))
	m.Handle("GET /password", s.page(s.passwordPage))
	m.Handle("POST /password", s.page(s.passwordSubmit))
	m.Handle("GET /{$}", s.page(s.dashboardPage))
	m.Handle("GET /incidents", s.page(s.incidentsPage))
	m.Handle("GET /incidents/new", s.page(s.newIncidentPage))
	m.Handle("POST /incidents", s.page(s.createIncident))
	m.Handle("GET /incidents/{id}", s.page(s.incidentPage))
	m.Handle("POST /incidents/{id}/activation", s.page(s.requestActivation))
	m.Handle("POST /incidents/{id}/termination", s.page(s.requestTermination))
	m.Handle("POST /incidents/{id}/notes", s.page(s.addNote))
	m.Handle("POST /incidents/{id}/summary", s.page(s.fileSummary))
	m.Handle("GET /incidents/{id}/tasks/{taskId}", s.page(s.taskPage))
	m.Handle("POST /incidents/{id}/tasks/{taskId}", s.page(s.updateTask))
	m.Handle("POST /incidents/{id}/tasks/{taskId}/approval", s.page(s.requestTaskApproval))
	m.Handle("POST /incidents/{id}/tasks/{taskId}/approval/decision", s.page(s.decideTaskApproval))
	m.Handle("GET /approvals", s.page(s.approvalsPage))
	m.Handle("POST /approvals/{id}/decision", s.page(s.decide))
	m.Handle("GET /plan", s.page(s.planPage))
	m.Handle("GET /admin", s.page(s.adminPage))
	m.Handle("GET /audit", s.page(s.auditPage)) // the auditor's 审计记录 (console_audit.go)
	m.Handle("GET /audit/verify", s.page(s.auditPage))
	m.Handle("GET /audit.csv", s.page(s.auditCSV))

	// Second factor (TOTP).
	m.Handle("GET /login/totp", s.pageIn(s.totpLoginPage, user.StageTOTP))
	m.HandleFunc("POST /login/totp", s.limited(login, s.pageIn(s.totpLoginSubmit, user.StageTOTP).ServeHTTP))
	m.Handle("GET /account/totp", s.pageIn(s.totpPage, user.StageEnrol))
	m.Handle("POST /account/totp", s.pageIn(s.totpConfirm, user.StageEnrol))

	// Command: corrections and instructions (批示).
	m.Handle("POST /incidents/{id}/correct", s.page(s.correctIncident))
	m.Handle("POST /incidents/{id}/instructions", s.page(s.postInstruction))
	m.Handle("POST /instructions/{id}/ack", s.page(s.ackInstruction))
	m.Handle("POST /instructions/{id}/done", s.page(s.doneInstruction))

	// Evidence (issue 13): the register, its files and custody.
	m.Handle("GET /incidents/{id}/evidence", s.page(s.evidencePage))
	m.Handle("POST /incidents/{id}/evidence", s.page(s.registerEvidence))
	m.Handle("POST /incidents/{id}/evidence/capture", s.page(s.captureEvidence))
	m.Handle("POST /incidents/{id}/evidence/export", s.page(s.exportEvidence))
	m.Handle("GET /evidence/{id}", s.page(s.evidenceItemPage))
	m.HandleFunc("POST /evidence/{id}/files", s.uploadEvidence) // streamed, CSRF in a header (console_evidence.go)
	m.Handle("GET /evidence/{id}/files/{fileId}", s.page(s.downloadEvidence))
	m.Handle("POST /evidence/{id}/custody", s.page(s.evidenceCustody))
	m.Handle("POST /evidence/{id}/verify", s.page(s.verifyEvidence))

	// Resources committed to an incident.
	m.Handle("POST /incidents/{id}/resources", s.page(s.addResource))
	m.Handle("POST /incidents/{id}/resources/{resourceId}/remove", s.page(s.removeResource))
	m.Handle("POST /incidents/{id}/resources/{resourceId}/return", s.page(s.returnResource))

	// Reports and their timeliness.
	m.Handle("POST /incidents/{id}/reports", s.page(s.createReport))
	m.Handle("GET /reports/{id}", s.page(s.reportPage))
	m.Handle("POST /reports/{id}", s.page(s.editReport))
	m.Handle("POST /reports/{id}/signoff-request", s.page(s.reportStep(s.App.Reports.RequestSignoff, "rc.done.signoff_request")))
	m.Handle("POST /reports/{id}/sign", s.page(s.reportStep(s.App.Reports.SignReport, "rc.done.signed")))
	m.Handle("POST /reports/{id}/submit", s.page(s.reportStep(s.App.Reports.SubmitReport, "rc.done.submitted")))
	m.Handle("POST /reports/{id}/correct", s.page(s.reportStep(s.App.Reports.CorrectReport, "rc.done.corrected")))
	m.Handle("GET /reports/{id}/document", s.page(s.reportDocument))
	m.Handle("GET /timeliness", s.page(s.timelinessPage))

	// Alert handling (issue 12): the queue, one alert, the acts on it.
	m.Handle("GET /alerts", s.page(s.alertsPage))
	m.Handle("GET /alerts/{id}", s.page(s.alertPage))
	m.Handle("POST /alerts/{id}/ack", s.page(s.ackAlert))
	m.Handle("POST /alerts/{id}/silence", s.page(s.silenceAlert))
	m.Handle("POST /alerts/{id}/promote", s.page(s.promoteAlert))
	m.Handle("POST /alerts/{id}/attach", s.page(s.attachAlert))
	// Their sources: keys for the devices that send (console_sources.go).
	m.Handle("GET /intake/sources", s.page(s.sourcesPage))
	m.Handle("POST /intake/sources", s.page(s.sourceCreate))
	m.Handle("POST /intake/sources/{id}/revoke", s.page(s.sourceRevoke))

	// Duty (值班): roster, handover, log.
	m.Handle("GET /duty", s.page(s.dutyPage))
	m.Handle("POST /duty/shifts/{id}/handover", s.page(s.handoverSubmit))
	m.Handle("POST /duty/handovers/{id}/confirm", s.page(s.confirmSubmit))
	m.Handle("POST /duty/log", s.page(s.logSubmit))
	m.Handle("POST /duty/log/{id}/incident", s.page(s.logIncident))
	m.Handle("POST /duty/rotations", s.page(s.rotationSubmit))
	m.Handle("POST /duty/shifts", s.page(s.shiftSubmit))
	m.Handle("POST /duty/shifts/{id}/delete", s.page(s.dutyDelete(s.App.Rota.DeleteShift, "roster.shift_deleted")))
	m.Handle("POST /duty/changes", s.page(s.changeSubmit))
	m.Handle("POST /duty/changes/{id}/decide", s.page(s.changeDecide))
	m.Handle("POST /duty/periods", s.page(s.periodSubmit))
	m.Handle("POST /duty/periods/{id}/delete", s.page(s.dutyDelete(s.App.Rota.DeletePeriod, "roster.period_deleted")))

	// The registry (基础数据库).
	m.Handle("GET /registry", s.page(s.registryPage))
	m.Handle("POST /registry/import", s.page(s.importSubmit))
	m.Handle("GET /registry/export", s.page(s.exportDownload))
	m.Handle("GET /registry/units/new", s.page(s.unitNew))
	m.Handle("POST /registry/units", s.page(s.unitSave))
	m.Handle("GET /registry/units/{id}", s.page(s.unitPage))
	m.Handle("GET /registry/units/{id}/edit", s.page(s.unitEdit))
	m.Handle("POST /registry/units/{id}", s.page(s.unitSave))
	m.Handle("GET /registry/units/{id}/websites/new", s.page(s.websiteNew))
	m.Handle("POST /registry/units/{id}/websites", s.page(s.websiteSave))
	m.Handle("GET /registry/websites/{id}/edit", s.page(s.websiteEdit))
	m.Handle("POST /registry/websites/{id}", s.page(s.websiteSave))
	m.Handle("GET /registry/list/{kind}", s.page(s.registryList))

	// Administration.
	m.Handle("POST /admin/orgs", s.page(s.adminCreateOrg))
	m.Handle("POST /admin/orgs/{id}/name", s.page(s.adminRenameOrg))
	m.Handle("POST /admin/orgs/{id}/departments", s.page(s.adminSaveDepartment))
	m.Handle("POST /admin/users", s.page(s.adminCreateUser))
	m.Handle("POST /admin/users/{username}/disable", s.page(s.adminUserState(true)))
	m.Handle("POST /admin/users/{username}/enable", s.page(s.adminUserState(false)))
	m.Handle("POST /admin/users/{username}/roles", s.page(s.adminSetRoles))
	m.Handle("POST /admin/users/{username}/unlock", s.page(s.adminUnlock))

	// Notices, contacts and the roll-call (到位确认).
	m.Handle("GET /notices", s.page(s.noticesPage))
	m.Handle("GET /notices/unread", s.page(s.unreadCount)) // issue 10: the live bell
	m.Handle("POST /notices/{id}/ack", s.page(s.noticeAck))
	m.Handle("POST /notices/contacts", s.page(s.contactsSave))
	m.Handle("POST /notices/contacts/test", s.page(s.contactsTest))
	m.Handle("GET /incidents/{id}/notices", s.page(s.incidentNoticesPage))
	m.Handle("POST /incidents/{id}/rollcall", s.page(s.rollCallConfirm))
	// The roll-call link works without a login: the token is the
	// credential. GET only shows the button, since chat apps and mail
	// scanners fetch links on their own; POST confirms.

	m.HandleFunc("GET /r/{token}", s.limited(anon, s.rollCallLink))
	m.HandleFunc("POST /r/{token}", s.limited(anon, s.rollCallLink))
	// Issue 14: 通报 to units (console_bulletin.go).
	m.Handle("GET /bulletins", s.page(s.bulletinsPage))
	m.Handle("POST /bulletins", s.page(s.bulletinDraft))
	m.Handle("GET /bulletins/{id}", s.page(s.bulletinPage))
	m.Handle("POST /bulletins/{id}/sign", s.page(s.bulletinSign))
	m.Handle("POST /bulletins/{id}/send", s.page(s.bulletinSend))
	m.Handle("POST /bulletins/{id}/recipients/{recipientId}/revoke", s.page(s.bulletinRevoke))
	m.Handle("GET /bulletins/{id}/export.xlsx", s.page(s.bulletinExport))
	m.Handle("GET /bulletins/{id}/document", s.page(s.bulletinDocument))
	// Issue 14: a unit's 通报 page, as the roll-call's link (no login).
	m.HandleFunc("GET /b/{token}", s.limited(anon, s.bulletinLink))
	m.HandleFunc("POST /b/{token}", s.limited(anon, s.bulletinLink))

	// Public warnings (issue 14): the office's pages, and the public
	// outputs without login (console_public.go).
	m.Handle("GET /warnings", s.page(s.warningsPage))
	m.Handle("POST /warnings", s.page(s.draftWarning))
	m.Handle("GET /warnings/{id}", s.page(s.warningPage))
	m.Handle("GET /incidents/{id}/warnings", s.page(s.incidentWarnings))
	m.Handle("POST /warnings/{id}/approval", s.page(s.warningStep("approval")))
	m.Handle("POST /warnings/{id}/release", s.page(s.warningStep("release")))
	m.Handle("POST /warnings/{id}/update", s.page(s.warningStep("update")))
	m.Handle("POST /warnings/{id}/cancel", s.page(s.warningStep("cancel")))
	m.HandleFunc("GET /public/warnings", s.limited(anon, s.publicWarnings))
	m.HandleFunc("GET /public/warnings.atom", s.limited(anon, s.publicFeed))
	m.HandleFunc("GET /public/warnings/{uuid}/cap", s.limited(anon, s.publicCAP))
	// Monitors of registered key websites and the units' channel (issue 12:
	// console_monitors.go).
	m.Handle("GET /monitors", s.page(s.monitorsPage))
	m.Handle("POST /monitors", s.page(s.monitorCreate))
	m.Handle("GET /monitors/{id}", s.page(s.monitorPage))
	m.Handle("POST /monitors/{id}/settings", s.page(s.monitorSettings))
	m.Handle("POST /monitors/{id}/baseline", s.page(s.monitorBaseline))
	m.Handle("POST /monitors/{id}/check", s.page(s.monitorCheck))
	m.Handle("POST /monitors/{id}/delete", s.page(s.monitorDelete))
	m.Handle("GET /unit-reports", s.page(s.unitReportsPage))
	m.Handle("POST /unit-links", s.page(s.unitLinkIssue))
	m.Handle("POST /unit-links/{id}/revoke", s.page(s.unitLinkRevoke))
	// The unit's form works without a login: the token is the credential,
	// rate-limited as every anonymous request.
	m.HandleFunc("GET /u/{token}", s.limited(anon, s.unitForm))
	m.HandleFunc("POST /u/{token}", s.limited(anon, s.unitForm))

	m.HandleFunc("GET /events", s.events)
	m.HandleFunc("GET /alerts/events", s.alertEvents)
	m.HandleFunc("GET /favicon.ico", http.NotFound)
	// Everything else outside the API is a console page that does not exist.
	m.Handle("/", s.page(func(w http.ResponseWriter, r *http.Request, c *req) error {
		return errs.New(errs.NotFound, "error.page_not_found")
	}))
}
