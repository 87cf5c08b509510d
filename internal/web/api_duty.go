package web

// dutyRoutes registers the duty and registry endpoints (owned by the duty/registry work).
func (s *Server) dutyRoutes() {}
