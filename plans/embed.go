// Package plans holds the plan files shipped with yingji. The seed's plan,
// qingshen.yaml, is the default.
package plans

import "embed"

// FS holds every shipped plan file, at the root.
//
//go:embed *.yaml
var FS embed.FS

// Default is the file name in FS of the default plan.
const Default = "qingshen.yaml"
