package report

import "yingji/internal/user"

// SignerRoles may sign a report (签发): the leader and deputy leader of the
// leading group of the incident's own organisation. Sessions ask the same
// people for a second factor.
var SignerRoles = []string{user.RoleLeader, user.RoleDeputy}
