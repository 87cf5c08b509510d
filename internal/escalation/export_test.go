package escalation

// SetAfterRead runs f between a tick's read and its writes.
func SetAfterRead(s *Service, f func()) { s.afterRead = f }
