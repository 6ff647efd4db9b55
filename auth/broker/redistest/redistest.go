// Package redistest runs a real redis-server on a loopback port for tests:
// started by the test, stopped when it ends, and able to die and come back
// on the same port, so a test can take Redis away from a running broker.
//
// redis-server must be installed (make deps installs Debian's package). A
// test that needs it fails, clearly, when it is not: it never skips.
package redistest

import (
	"bufio"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pagedeck/pagedeck/notion/notiontest"
)

// Server is one redis-server process on 127.0.0.1.
type Server struct {
	t        testing.TB
	bin      string
	port     int
	dir      string
	password string

	mu  sync.Mutex
	cmd *exec.Cmd
}

// Start runs redis-server on a free loopback port with a random password,
// no persistence and its files in a temporary directory. It is stopped
// when the test ends.
func Start(t testing.TB) *Server {
	t.Helper()
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		t.Fatalf("redis-server is not installed; the broker's tests need a real Redis (run 'make deps', or apt-get install redis-server): %v", err)
	}
	pw := make([]byte, 12)
	_, _ = rand.Read(pw)
	s := &Server{t: t, bin: bin, port: notiontest.Port(t), dir: t.TempDir(), password: hex.EncodeToString(pw)}
	s.Restart()
	t.Cleanup(s.Stop)
	return s
}

// URL is the redis:// URL to give the broker, password included.
func (s *Server) URL() string {
	return fmt.Sprintf("redis://:%s@127.0.0.1:%d/0", s.password, s.port)
}

// Password is the server's requirepass.
func (s *Server) Password() string { return s.password }

// Addr is host:port.
func (s *Server) Addr() string { return "127.0.0.1:" + strconv.Itoa(s.port) }

// Restart starts the server (again) on the same port, empty, and waits
// until it answers. It fails the test if it does not within 10 seconds.
func (s *Server) Restart() {
	s.t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd != nil {
		s.t.Fatal("redistest: Restart while the server runs; Stop it first")
	}
	cmd := exec.Command(s.bin,
		"--port", strconv.Itoa(s.port), "--bind", "127.0.0.1", "--requirepass", s.password,
		"--save", "", "--appendonly", "no", "--dir", s.dir, "--daemonize", "no",
		"--loglevel", "warning", "--logfile", filepath.Join(s.dir, "redis.log"))
	cmd.Stdout, cmd.Stderr = nil, nil
	if err := cmd.Start(); err != nil {
		s.t.Fatalf("redistest: starting redis-server: %v", err)
	}
	s.cmd = cmd
	deadline := time.Now().Add(10 * time.Second)
	for {
		if err := s.ping(); err == nil {
			return
		} else if time.Now().After(deadline) {
			log, _ := os.ReadFile(filepath.Join(s.dir, "redis.log"))
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
			s.cmd = nil
			s.t.Fatalf("redistest: redis-server on %s did not answer: %v\n%s", s.Addr(), err, log)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// Stop kills the server at once (SIGKILL), as a crash or a lost machine
// would, and waits for it to be gone. Its data goes with it.
func (s *Server) Stop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd == nil {
		return
	}
	if sigResume != nil {
		_ = s.cmd.Process.Signal(sigResume) // a paused server dies too
	}
	_ = s.cmd.Process.Kill()
	_ = s.cmd.Wait()
	s.cmd = nil
}

// Pause stops the process (SIGSTOP) without closing its sockets: a Redis
// that accepts connections and never answers, like a stalled one.
func (s *Server) Pause() { s.signal(sigPause) }

// Resume continues a paused server.
func (s *Server) Resume() { s.signal(sigResume) }

func (s *Server) signal(sig os.Signal) {
	if sig == nil {
		s.t.Fatal("redistest: Pause and Resume need a Unix system")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd != nil {
		_ = s.cmd.Process.Signal(sig)
	}
}

// ping speaks just enough RESP to know the server is up and takes the
// password.
func (s *Server) ping() error {
	c, err := net.DialTimeout("tcp", s.Addr(), time.Second)
	if err != nil {
		return err
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(time.Second))
	if _, err := fmt.Fprintf(c, "AUTH %s\r\nPING\r\n", s.password); err != nil {
		return err
	}
	r := bufio.NewReader(c)
	for _, want := range []string{"+OK", "+PONG"} {
		line, err := r.ReadString('\n')
		if err != nil {
			return err
		}
		if strings.TrimSpace(line) != want {
			return fmt.Errorf("redis answered %q", strings.TrimSpace(line))
		}
	}
	return nil
}
