package web

// consoleRoutes registers the HTML console (owned by the console work).
func (s *Server) consoleRoutes() {}
