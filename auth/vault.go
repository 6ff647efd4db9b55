package auth

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"time"

	"github.com/zalando/go-keyring"

	"github.com/pagedeck/pagedeck/notion"
)

// Errors a user can see.
var (
	// ErrNoToken: the keychain has no entry for this workspace.
	ErrNoToken = errors.New("no token in the keychain")
	// ErrKeychainUnavailable: the keychain could not be used at all (locked,
	// missing, no D-Bus). It wraps a *KeychainError with the cause and a hint.
	ErrKeychainUnavailable = errors.New("the keychain is unavailable")
)

// Tokens is one workspace's keychain entry.
type Tokens struct {
	Access  notion.Secret `json:"a"`
	Refresh notion.Secret `json:"r,omitempty"`
	Kind    Kind          `json:"k"`
}

// Vault keeps secrets. Every method may wait on the operating system (an
// unlock prompt), so none may run on the UI goroutine.
type Vault interface {
	// Save replaces a workspace's pair in one step.
	Save(ctx context.Context, workspaceID string, t Tokens) error
	// Load returns ErrNoToken when there is no entry.
	Load(ctx context.Context, workspaceID string) (Tokens, error)
	// Delete succeeds when there is nothing to delete.
	Delete(ctx context.Context, workspaceID string) error
	// The client secret of your own connection, entered in settings.
	SaveClientSecret(ctx context.Context, s notion.Secret) error
	ClientSecret(ctx context.Context) (notion.Secret, error)
	DeleteClientSecret(ctx context.Context) error
}

// MaxEntryBytes is Windows Credential Manager's limit for one secret; every
// entry is kept below it on every OS so a vault moves between them.
const MaxEntryBytes = 2560

// clientSecretAccount cannot collide with a workspace id (a UUID).
const clientSecretAccount = "pagedeck:client-secret"

func encodeTokens(t Tokens) (string, error) {
	if t.Access == "" {
		return "", errors.New("no access token to save")
	}
	b, err := json.Marshal(t)
	if err != nil {
		return "", err
	}
	if len(b) > MaxEntryBytes {
		return "", fmt.Errorf("the token pair is %d bytes, more than the keychain's %d", len(b), MaxEntryBytes)
	}
	return string(b), nil
}

func decodeTokens(s string) (Tokens, error) {
	var t Tokens
	if err := json.Unmarshal([]byte(s), &t); err != nil || t.Access == "" {
		// Never echo the entry: it is a secret.
		return Tokens{}, errors.New("the keychain entry is not a Pagedeck token pair")
	}
	return t, nil
}

// KeychainError says what failed and how to fix it on this OS.
type KeychainError struct {
	Op   string
	Err  error
	Hint string
}

func (e *KeychainError) Error() string {
	return fmt.Sprintf("%v: %s: %v. %s", ErrKeychainUnavailable, e.Op, e.Err, e.Hint)
}
func (e *KeychainError) Unwrap() error        { return e.Err }
func (e *KeychainError) Is(target error) bool { return target == ErrKeychainUnavailable }

// KeychainHint is the fix for an unavailable keychain on goos.
func KeychainHint(goos string) string {
	switch goos {
	case "darwin":
		return "Open Keychain Access, make sure the login keychain is unlocked, and allow Pagedeck when macOS asks."
	case "windows":
		return "Windows Credential Manager refused the request: check that the Credential Manager service is running, or sign out and in again."
	default:
		return "Pagedeck keeps tokens in the Secret Service (GNOME Keyring or KWallet): make sure one is installed and running and that its login keyring is unlocked. Without a desktop session, start one with 'dbus-run-session' and unlock it with 'gnome-keyring-daemon --unlock'."
	}
}

// Keychain is the Vault over the OS keychain (go-keyring): one entry per
// workspace, service = Service, account = workspace id.
type Keychain struct {
	Service string
	// Timeout bounds each call: go-keyring waits forever on an unlock prompt
	// nobody answers. Default 20s.
	Timeout time.Duration

	// backend is go-keyring; tests swap in one that hangs.
	backend keyringBackend
}

type keyringBackend interface {
	Set(service, user, password string) error
	Get(service, user string) (string, error)
	Delete(service, user string) error
}

type goKeyring struct{}

func (goKeyring) Set(s, u, p string) error        { return keyring.Set(s, u, p) }
func (goKeyring) Get(s, u string) (string, error) { return keyring.Get(s, u) }
func (goKeyring) Delete(s, u string) error        { return keyring.Delete(s, u) }

func (k *Keychain) kr() keyringBackend {
	if k.backend != nil {
		return k.backend
	}
	return goKeyring{}
}

func (k *Keychain) timeout() time.Duration {
	if k.Timeout > 0 {
		return k.Timeout
	}
	return 20 * time.Second
}

// call runs f off the caller's goroutine and gives up after the timeout or
// when ctx ends. A call left behind finishes on its own; its result is dropped.
func (k *Keychain) call(ctx context.Context, op string, f func() error) error {
	ctx, cancel := context.WithTimeout(ctx, k.timeout())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- f() }()
	select {
	case err := <-done:
		switch {
		case err == nil:
			return nil
		case errors.Is(err, keyring.ErrNotFound):
			return ErrNoToken
		}
		return &KeychainError{Op: op, Err: err, Hint: KeychainHint(runtime.GOOS)}
	case <-ctx.Done():
		if errors.Is(ctx.Err(), context.Canceled) {
			return ctx.Err()
		}
		return &KeychainError{Op: op, Err: fmt.Errorf("no answer within %s (is an unlock prompt waiting?)", k.timeout()), Hint: KeychainHint(runtime.GOOS)}
	}
}

func (k *Keychain) Save(ctx context.Context, ws string, t Tokens) error {
	v, err := encodeTokens(t)
	if err != nil {
		return err
	}
	return k.call(ctx, "saving the token", func() error { return k.kr().Set(k.Service, ws, v) })
}

func (k *Keychain) Load(ctx context.Context, ws string) (Tokens, error) {
	var v string
	err := k.call(ctx, "reading the token", func() (err error) { v, err = k.kr().Get(k.Service, ws); return err })
	if err != nil {
		return Tokens{}, err
	}
	return decodeTokens(v)
}

func (k *Keychain) Delete(ctx context.Context, ws string) error {
	err := k.call(ctx, "deleting the token", func() error { return k.kr().Delete(k.Service, ws) })
	if errors.Is(err, ErrNoToken) {
		return nil
	}
	return err
}

func (k *Keychain) SaveClientSecret(ctx context.Context, s notion.Secret) error {
	if s == "" {
		return errors.New("empty client secret")
	}
	if len(s) > MaxEntryBytes {
		return fmt.Errorf("the client secret is longer than the keychain's %d bytes", MaxEntryBytes)
	}
	return k.call(ctx, "saving the client secret", func() error { return k.kr().Set(k.Service, clientSecretAccount, s.Reveal()) })
}

func (k *Keychain) ClientSecret(ctx context.Context) (notion.Secret, error) {
	var v string
	err := k.call(ctx, "reading the client secret", func() (err error) { v, err = k.kr().Get(k.Service, clientSecretAccount); return err })
	return notion.Secret(v), err
}

func (k *Keychain) DeleteClientSecret(ctx context.Context) error {
	err := k.call(ctx, "deleting the client secret", func() error { return k.kr().Delete(k.Service, clientSecretAccount) })
	if errors.Is(err, ErrNoToken) {
		return nil
	}
	return err
}

// Memory is a Vault in memory, for tests and demo mode. Set Err to make
// every call fail as a locked keychain would.
type Memory struct {
	mu      sync.Mutex
	entries map[string]string
	// Err, when set, is returned (as a *KeychainError) by every call.
	Err error
}

// NewMemory returns an empty in-memory vault.
func NewMemory() *Memory { return &Memory{entries: map[string]string{}} }

// SetErr makes every later call fail with err (nil to heal).
func (m *Memory) SetErr(err error) {
	m.mu.Lock()
	m.Err = err
	m.mu.Unlock()
}

func (m *Memory) do(op string, f func() error) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.Err != nil {
		return &KeychainError{Op: op, Err: m.Err, Hint: KeychainHint(runtime.GOOS)}
	}
	return f()
}

func (m *Memory) Save(_ context.Context, ws string, t Tokens) error {
	v, err := encodeTokens(t)
	if err != nil {
		return err
	}
	return m.do("saving the token", func() error { m.entries[ws] = v; return nil })
}

func (m *Memory) Load(_ context.Context, ws string) (Tokens, error) {
	var v string
	err := m.do("reading the token", func() error {
		var ok bool
		if v, ok = m.entries[ws]; !ok {
			return ErrNoToken
		}
		return nil
	})
	if err != nil {
		return Tokens{}, err
	}
	return decodeTokens(v)
}

func (m *Memory) Delete(_ context.Context, ws string) error {
	return m.do("deleting the token", func() error { delete(m.entries, ws); return nil })
}

func (m *Memory) SaveClientSecret(_ context.Context, s notion.Secret) error {
	return m.do("saving the client secret", func() error { m.entries[clientSecretAccount] = s.Reveal(); return nil })
}

func (m *Memory) ClientSecret(_ context.Context) (notion.Secret, error) {
	var v string
	err := m.do("reading the client secret", func() error {
		var ok bool
		if v, ok = m.entries[clientSecretAccount]; !ok {
			return ErrNoToken
		}
		return nil
	})
	return notion.Secret(v), err
}

func (m *Memory) DeleteClientSecret(_ context.Context) error {
	return m.do("deleting the client secret", func() error { delete(m.entries, clientSecretAccount); return nil })
}

// Len is the number of entries, for tests.
func (m *Memory) Len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.entries)
}
