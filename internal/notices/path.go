package notices

import (
	"encoding/json"
	"strconv"
)

// Path is where a notice takes its reader, in the console: to the thing he
// is asked to act on when the notice names one (the report or 通报 to sign,
// the warning to approve, the task to decide, the 批示), else to the incident,
// else to the start page. A leader who followed an SMS to sign a report
// landed on the incident and had to look for the report below its tasks.
// The same path is the SMS/e-mail link and the inbox's.
func Path(kind, body string, incidentID int64) string {
	var ids struct {
		Report      int64 `json:"report_id"`
		Warning     int64 `json:"warning_id"`
		Task        int64 `json:"task_id"`
		Instruction int64 `json:"instruction_id"`
		Bulletin    int64 `json:"bulletin_id"`
	}
	_ = json.Unmarshal([]byte(body), &ids) // an unreadable body leaves the incident's page
	inc := "/incidents/" + strconv.FormatInt(incidentID, 10)
	switch {
	case (kind == "report_signoff_requested" || kind == "report_signed") && ids.Report > 0:
		return "/reports/" + strconv.FormatInt(ids.Report, 10)
	case kind == "warning_approval_requested" && ids.Warning > 0:
		return "/warnings/" + strconv.FormatInt(ids.Warning, 10)
	case kind == "bulletin_signoff_requested" && ids.Bulletin > 0:
		return "/bulletins/" + strconv.FormatInt(ids.Bulletin, 10)
	case incidentID == 0:
		return "/"
	case kind == "task_approval_requested" && ids.Task > 0:
		return inc + "/tasks/" + strconv.FormatInt(ids.Task, 10)
	case (kind == "instruction_posted" || kind == "instruction_done") && ids.Instruction > 0:
		return inc + "#instr-" + strconv.FormatInt(ids.Instruction, 10)
	}
	return inc
}

// Detail is what a decision's notice says beyond its kind: the request
// and the decision ("activation.rejected"), the 批示's opinion. Empty for
// other notices. The console and the SMS text read their words by the kind
// followed by the detail (nc.kind.approval_decided.activation.rejected),
// so the reader learns the answer without opening the incident.
func Detail(kind, body string) (detail, opinion string) {
	var d struct {
		Kind     string `json:"kind"`
		Decision string `json:"decision"`
		Opinion  string `json:"opinion"`
	}
	if json.Unmarshal([]byte(body), &d) != nil {
		return "", ""
	}
	switch kind {
	case "approval_decided":
		if d.Kind != "" && d.Decision != "" {
			detail = d.Kind + "." + d.Decision
		}
	case "task_approval_decided":
		detail = d.Decision
	case "activation_informed":
	default:
		return "", ""
	}
	return detail, d.Opinion
}
