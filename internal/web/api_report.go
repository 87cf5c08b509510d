package web

// reportRoutes registers the report and timeliness endpoints (owned by the reports work).
func (s *Server) reportRoutes() {}
