package delivery

import "encoding/json"

// DirectBody is the body of a notice to an address that is no user's (a
// unit's contact, issue 14): the use case that queues it writes the
// message itself, since only it knows the unit's personal link.
type DirectBody struct {
	Subject string `json:"subject"`
	Text    string `json:"text"`
	Link    string `json:"link"`
}

// Direct reads a direct notice's body.
func Direct(body string) (subject, text, link string) {
	var b DirectBody
	json.Unmarshal([]byte(body), &b)
	return b.Subject, b.Text, b.Link
}
