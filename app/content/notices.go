package content

import (
	"log/slog"
	"slices"
	"strings"
	"sync"
)

// What the content layer tells the user, and where bleve's own logging goes.

type slogWriter struct{ log *slog.Logger }

func (w slogWriter) Write(b []byte) (int, error) {
	w.log.Debug("content: bleve: " + strings.TrimSpace(string(b)))
	return len(b), nil
}

// quietBleve: bleve logs what it skips to the standard logger, which
// would reach a command's stderr; Pagedeck says what happened itself.
var quietBleve sync.Once

// tell keeps a message for the user; Notices hands them out once.
func (s *Store) tell(msg string) {
	s.log.Warn("content: " + msg)
	s.mu.Lock()
	fresh := !slices.Contains(s.notices, msg)
	if fresh {
		s.notices = append(s.notices, msg)
	}
	s.mu.Unlock()
	if fresh && s.opts.OnNotice != nil {
		s.opts.OnNotice(msg)
	}
}

// Notices returns, once, what happened that the user should know (a
// damaged file set aside, the index being rebuilt).
func (s *Store) Notices() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := s.notices
	s.notices = nil
	return n
}
