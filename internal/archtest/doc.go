// Package archtest holds no code, only the test that keeps the import rules
// of the package map (issue 8): the web packages reach the database only
// through the use cases, only `yingji serve` builds the web server, demo and
// benchmark code go through the use cases, and domain packages import
// neither the store nor use cases. The allow-lists in its test name what
// still breaks a rule today; they only ever shrink.
package archtest
