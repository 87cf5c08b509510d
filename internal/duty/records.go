package duty

import "time"

// Change is a swap or override of one person on a shift (换班/顶班).
type Change struct {
	ID          int64
	ShiftID     int64
	Role        string // leader or officer
	FromUserID  int64
	ToUserID    int64
	Reason      string
	Status      string // pending, approved, rejected
	RequestedBy int64
	RequestedAt time.Time
	DecidedBy   int64
	DecidedAt   *time.Time
}

// Handover is a 交接班 record.
type Handover struct {
	ID          int64
	OrgID       int64
	FromShiftID int64
	ToShiftID   int64
	GivenBy     int64
	Notes       string
	OpenItems   []string
	CreatedAt   time.Time
	ConfirmedBy int64
	ConfirmedAt *time.Time
}

// LogEntry is a 值班记录 entry.
type LogEntry struct {
	ID      int64
	OrgID   int64
	ShiftID int64
	LogFields
	RecorderID int64
	IncidentID int64
	CreatedAt  time.Time
}

// LogFields are what the officer on duty writes in a 值班记录 entry: the
// entry as stored and the input that makes one (rota.LogInput) share them.
type LogFields struct {
	At            time.Time
	Place         string
	What          string
	Measures      string
	Informed      string
	InformedAt    *time.Time
	ReporterUnit  string
	ReporterName  string
	ReporterPhone string
}
