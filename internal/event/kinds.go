package event

// kinds lists one value of every event type: Decode finds a kind's type
// here. A new timeline kind is a new type in this package, added here.
var kinds = []Event{
	Created{}, Note{}, ActivationRequested{}, ActivationApproved{}, ActivationRejected{},
	TerminationRequested{}, TerminationApproved{}, TerminationRejected{},
	TasksCreated{}, TaskUpdated{}, TaskApprovalRequested{}, TaskApprovalDecided{},
	SuperiorInformed{}, Assigned{}, LateRegistration{},
	Corrected{}, Instructed{}, InstructionAcked{}, InstructionDone{},
	ResourceAdded{}, ResourceRemoved{}, ResourceReturned{},
	ReportDrafted{}, ReportEdited{}, ReportSignoffRequested{}, ReportSigned{},
	ReportSubmitted{}, ReportCorrected{}, SummaryFiled{}, ReportReminder{}, ReportOverdue{},
	EvidenceRegistered{}, EvidenceCustody{},
	RollCallComplete{}, RollCallConfirmed{}, Escalated{},
	WarningDrafted{}, WarningApproved{}, WarningReleased{},
	AlertAttached{}, AlertStatusChanged{},
	BulletinDrafted{}, BulletinSigned{}, BulletinSent{}, BulletinReceived{}, BulletinAnswered{}, BulletinReminded{},
}
