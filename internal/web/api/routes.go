package api

import (
	"net/http"

	"yingji/internal/registry"
)

// routes is the API's one route table. Every route but the calendar feed
// (which also takes a feed token in the query) and the unauthenticated
// documents runs as an authenticated user through s.api.
func (s *Server) routes() {
	m := s.mux
	m.HandleFunc("GET /api/openapi.json", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write(openapi)
	})
	s.api("GET /api/v1/me", s.apiMe)
	s.api("GET /api/v1/me/tokens", s.apiMyTokens)
	s.api("DELETE /api/v1/me/tokens/{id}", s.apiRevokeToken)
	s.api("GET /api/v1/plans", s.apiPlans)
	s.api("GET /api/v1/plans/{key}", s.apiPlan)
	s.api("GET /api/v1/plans/{key}/versions/{version}", s.apiPlan)
	s.api("GET /api/v1/incidents", s.apiListIncidents)
	s.api("POST /api/v1/incidents", s.apiCreateIncident)
	s.api("GET /api/v1/incidents/{id}", s.apiGetIncident)
	s.api("GET /api/v1/incidents/{id}/timeline", s.apiTimeline)
	s.api("POST /api/v1/incidents/{id}/notes", s.apiNote)
	s.api("POST /api/v1/incidents/{id}/activation", s.apiRequestActivation)
	s.api("POST /api/v1/incidents/{id}/termination", s.apiRequestTermination)
	s.api("POST /api/v1/incidents/{id}/summary", s.apiSummary)
	s.api("PATCH /api/v1/incidents/{id}/tasks/{taskId}", s.apiUpdateTask)
	s.api("GET /api/v1/incidents/{id}/tasks/{taskId}/history", s.apiTaskHistory)
	s.api("POST /api/v1/incidents/{id}/tasks/{taskId}/approval", s.apiRequestTaskApproval)
	s.api("POST /api/v1/incidents/{id}/tasks/{taskId}/approval/decision", s.apiDecideTaskApproval)
	s.api("GET /api/v1/approvals", s.apiPendingApprovals)
	s.api("POST /api/v1/approvals/{id}/decision", s.apiDecide)
	s.api("GET /api/v1/audit/verify", s.apiVerify)
	s.api("GET /api/v1/audit/records", s.apiAuditRecords)

	// Command: corrections and instructions (批示).
	s.api("PATCH /api/v1/incidents/{id}", s.apiCorrectIncident)
	s.api("GET /api/v1/incidents/{id}/instructions", s.apiInstructions)
	s.api("POST /api/v1/incidents/{id}/instructions", s.apiPostInstruction)
	s.api("POST /api/v1/instructions/{id}/ack", s.apiAckInstruction)
	s.api("POST /api/v1/instructions/{id}/done", s.apiDoneInstruction)

	// Resources committed to an incident.
	s.api("GET /api/v1/incidents/{id}/resources", s.apiResources)
	s.api("POST /api/v1/incidents/{id}/resources", s.apiAddResource)
	s.api("DELETE /api/v1/incidents/{id}/resources/{resourceId}", s.apiRemoveResource)
	s.api("POST /api/v1/incidents/{id}/resources/{resourceId}/return", s.apiReturnResource)

	// Evidence (issue 13): register, files, custody, capture, export.
	s.api("GET /api/v1/incidents/{id}/evidence", s.apiEvidence)
	s.api("POST /api/v1/incidents/{id}/evidence", s.apiRegisterEvidence)
	s.api("POST /api/v1/incidents/{id}/evidence/capture", s.apiCaptureEvidence)
	s.api("POST /api/v1/incidents/{id}/evidence/export", s.apiExportEvidence)
	s.api("GET /api/v1/evidence/{id}", s.apiEvidenceItem)
	s.api("POST /api/v1/evidence/{id}/files", s.apiUploadEvidence)
	s.api("GET /api/v1/evidence/{id}/files/{fileId}", s.apiDownloadEvidence)
	s.api("POST /api/v1/evidence/{id}/custody", s.apiEvidenceCustody)
	s.api("POST /api/v1/evidence/{id}/verify", s.apiVerifyEvidence)

	// Reports and their timeliness.
	s.api("GET /api/v1/incidents/{id}/reports", s.apiListReports)
	s.api("POST /api/v1/incidents/{id}/reports", s.apiCreateReport)
	s.api("GET /api/v1/reports/{id}", s.apiGetReport)
	s.api("PATCH /api/v1/reports/{id}", s.apiEditReport)
	s.api("POST /api/v1/reports/{id}/signoff-request", s.apiRequestSignoff)
	s.api("POST /api/v1/reports/{id}/signoff", s.apiSignReport)
	s.api("POST /api/v1/reports/{id}/submit", s.apiSubmitReport)
	s.api("POST /api/v1/reports/{id}/correct", s.apiCorrectReport)
	s.api("GET /api/v1/reports/{id}/document", s.apiReportDocument)
	s.api("GET /api/v1/timeliness", s.apiTimeliness)

	// Public warnings (预警信息), issue 14: api_warning.go.
	s.api("GET /api/v1/warnings", s.apiListWarnings)
	s.api("POST /api/v1/warnings", s.apiDraftWarning)
	s.api("GET /api/v1/warnings/{id}", s.apiGetWarning)
	s.api("POST /api/v1/warnings/{id}/approval", s.apiApproveWarning)
	s.api("POST /api/v1/warnings/{id}/release", s.apiReleaseWarning)
	s.api("POST /api/v1/warnings/{id}/update", s.apiReviseWarning("update"))
	s.api("POST /api/v1/warnings/{id}/cancel", s.apiReviseWarning("cancel"))

	// The registry (基础数据库).
	s.api("GET /api/v1/units", s.apiListUnits)
	s.api("POST /api/v1/units", s.apiCreateUnit)
	s.api("GET /api/v1/units/{id}", s.apiGetUnit)
	s.api("PUT /api/v1/units/{id}", s.apiUpdateUnit)
	s.api("DELETE /api/v1/units/{id}", s.deleter(s.App.Units.DeleteUnit))
	s.api("GET /api/v1/websites", s.apiListWebsites)
	s.api("POST /api/v1/websites", s.apiSaveWebsite)
	s.api("GET /api/v1/websites/{id}", s.apiGetWebsite)
	s.api("PUT /api/v1/websites/{id}", s.apiSaveWebsite)
	s.api("DELETE /api/v1/websites/{id}", s.deleter(s.App.Units.DeleteWebsite))
	crud(s, "contacts", s.App.Units.ListContacts, s.App.Units.GetContact, s.App.Units.SaveContact, s.App.Units.DeleteContact, toContactJSON,
		func(b contactJSON) *registry.Contact {
			return &registry.Contact{UnitID: b.UnitID, Name: b.Name, Role: b.Role, Phone: b.Phone, Email: b.Email, Note: b.Note}
		}, func(v contactJSON) int64 { return v.ID })
	crud(s, "experts", s.App.Units.ListExperts, s.App.Units.GetExpert, s.App.Units.SaveExpert, s.App.Units.DeleteExpert, toExpertJSON,
		func(b expertJSON) *registry.Expert {
			return &registry.Expert{Name: b.Name, Unit: b.Unit, Expertise: b.Expertise, Phone: b.Phone, Email: b.Email, Available: b.Available, Note: b.Note}
		}, func(v expertJSON) int64 { return v.ID })
	crud(s, "equipment", s.App.Units.ListEquipment, s.App.Units.GetEquipment, s.App.Units.SaveEquipment, s.App.Units.DeleteEquipment, toEquipmentJSON,
		func(b equipmentJSON) *registry.Equipment {
			return &registry.Equipment{Name: b.Name, Kind: b.Kind, Status: b.Status, Location: b.Location, Custodian: b.Custodian, Phone: b.Phone, Note: b.Note}
		}, func(v equipmentJSON) int64 { return v.ID })
	s.monitorRoutes() // issue 12: monitors of key websites, the units' channel (api_monitors.go)
	s.api("POST /api/v1/registry/import", s.apiImport)
	s.api("GET /api/v1/registry/export", s.apiExport)
	s.api("PATCH /api/v1/incidents/{id}/tasks/{taskId}/unit", s.apiSetTaskUnit)
	s.api("GET /api/v1/incidents/{id}/task-units", s.apiTaskUnits)

	// Duty (值班).
	s.api("GET /api/v1/duty/now", s.apiDutyNow)
	s.api("GET /api/v1/duty/schedule", s.apiDutySchedule)
	s.api("POST /api/v1/duty/shifts", s.apiCreateShift)
	s.api("DELETE /api/v1/duty/shifts/{id}", s.deleter(s.App.Rota.DeleteShift))
	s.api("POST /api/v1/duty/rotations", s.apiCreateRotation)
	s.api("POST /api/v1/duty/shifts/{id}/changes", s.apiRequestChange)
	s.api("POST /api/v1/duty/changes/{id}/decision", s.apiDecideChange)
	s.api("POST /api/v1/duty/shifts/{id}/handover", s.apiHandOver)
	s.api("GET /api/v1/duty/handovers", s.apiHandovers)
	s.api("POST /api/v1/duty/handovers/{id}/confirm", s.apiConfirmHandover)
	// Alert handling (issue 12): the queue and the acts on an alert.
	s.api("GET /api/v1/alerts", s.apiAlerts)
	s.api("GET /api/v1/alerts/{id}", s.apiAlert)
	s.api("POST /api/v1/alerts/{id}/ack", s.apiAckAlert)
	s.api("POST /api/v1/alerts/{id}/silence", s.apiSilenceAlert)
	s.api("POST /api/v1/alerts/{id}/promote", s.apiPromoteAlert)
	s.api("POST /api/v1/alerts/{id}/attach", s.apiAttachAlert)
	s.api("GET /api/v1/incidents/{id}/alerts", s.apiIncidentAlerts)

	s.api("GET /api/v1/duty/log", s.apiDutyLog)
	s.api("POST /api/v1/duty/log", s.apiAddLog)
	s.api("POST /api/v1/duty/log/{id}/incident", s.apiLogToIncident)
	s.api("GET /api/v1/duty/periods", s.apiPeriods)
	s.api("POST /api/v1/duty/periods", s.apiDeclarePeriod)
	s.api("DELETE /api/v1/duty/periods/{id}", s.deleter(s.App.Rota.DeletePeriod))
	s.api("POST /api/v1/duty/calendar/token", s.apiFeedToken)
	// The feed takes the bearer token or ?token=FEED_TOKEN (calendar clients cannot send headers).
	s.mux.HandleFunc("GET /api/v1/duty/calendar.ics", s.calendarFeed)

	// Administration.
	s.api("GET /api/v1/orgs", s.apiOrgs)
	s.api("POST /api/v1/orgs", s.apiCreateOrg)
	s.api("PATCH /api/v1/orgs/{id}", s.apiRenameOrg)
	s.api("PUT /api/v1/orgs/{id}/departments/{key}", s.apiSaveDepartment)
	s.api("GET /api/v1/users", s.apiUsers)
	s.api("POST /api/v1/users", s.apiCreateUser)
	s.api("POST /api/v1/users/{username}/disable", s.apiDisableUser)
	s.api("POST /api/v1/users/{username}/enable", s.apiEnableUser)
	s.api("PUT /api/v1/users/{username}/roles", s.apiSetRoles)
	s.api("POST /api/v1/users/{username}/unlock", s.apiUnlockUser)

	// Notices, contacts and the roll-call (到位确认).
	s.api("GET /api/v1/me/contacts", s.apiMyContacts)
	s.api("PUT /api/v1/me/contacts", s.apiSetMyContacts)
	s.api("POST /api/v1/me/contacts/test", s.apiTestMyContact)
	s.api("GET /api/v1/users/{username}/contacts", s.apiUserContacts)
	s.api("PUT /api/v1/users/{username}/contacts", s.apiSetUserContacts)
	s.api("POST /api/v1/users/{username}/contacts/test", s.apiTestUserContact)
	s.api("GET /api/v1/notices", s.apiNotices)
	s.api("POST /api/v1/notices/{id}/ack", s.apiAckNotice)
	s.api("GET /api/v1/incidents/{id}/notices", s.apiIncidentNotices)
	s.api("GET /api/v1/deliveries", s.apiDeliveries)
	s.api("GET /api/v1/incidents/{id}/rollcall", s.apiRollCall)
	s.api("POST /api/v1/incidents/{id}/rollcall/confirm", s.apiConfirmRollCall)

	// Signals in (issue 12): sources, and ingest with a source key (not a user).
	s.api("GET /api/v1/intake/sources", s.apiSources)
	s.api("POST /api/v1/intake/sources", s.apiCreateSource)
	s.api("POST /api/v1/intake/sources/{id}/revoke", s.apiRevokeSource)
	m.HandleFunc("POST /api/v1/intake/{format}", s.apiIngest)
	// 通报 to units (issue 14): api_bulletin.go.
	s.api("GET /api/v1/bulletins", s.apiListBulletins)
	s.api("POST /api/v1/bulletins", s.apiDraftBulletin)
	s.api("GET /api/v1/bulletins/{id}", s.apiGetBulletin)
	s.api("POST /api/v1/bulletins/{id}/sign", s.apiSignBulletin)
	s.api("POST /api/v1/bulletins/{id}/preview", s.apiPreviewBulletin)
	s.api("POST /api/v1/bulletins/{id}/send", s.apiSendBulletin)
	s.api("GET /api/v1/bulletins/{id}/recipients", s.apiBulletinRecipients)
	s.api("GET /api/v1/bulletins/{id}/recipients.xlsx", s.apiBulletinExport)
	s.api("POST /api/v1/bulletins/{id}/recipients/{recipientId}/revoke", s.apiRevokeRecipient)
	s.api("GET /api/v1/bulletins/{id}/document", s.apiBulletinDocument)
	s.api("GET /api/v1/bulletin-lists", s.apiBulletinLists)
	s.api("POST /api/v1/bulletin-lists", s.apiSaveBulletinList)
	m.HandleFunc("/api/", s.apiNoRoute)
}
