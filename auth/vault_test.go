package auth

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/zalando/go-keyring"

	"github.com/pagedeck/pagedeck/notion"
)

// vaultContract runs the same checks on every Vault.
func vaultContract(t *testing.T, v Vault) {
	ctx := context.Background()
	const ws = "3a1f2c4e-0000-4000-8000-000000000001"
	if _, err := v.Load(ctx, ws); !errors.Is(err, ErrNoToken) {
		t.Fatalf("Load of nothing: err = %v, want ErrNoToken", err)
	}
	first := Tokens{Access: "ntn_access_1", Refresh: "ntn_refresh_1", Kind: KindOAuth}
	if err := v.Save(ctx, ws, first); err != nil {
		t.Fatal(err)
	}
	if got, err := v.Load(ctx, ws); err != nil || got != first {
		t.Fatalf("Load = %+v, %v", got, err)
	}
	// Replace: the new pair wins whole, never half of each.
	second := Tokens{Access: "ntn_access_2", Kind: KindToken}
	if err := v.Save(ctx, ws, second); err != nil {
		t.Fatal(err)
	}
	if got, _ := v.Load(ctx, ws); got != second {
		t.Fatalf("after replace Load = %+v", got)
	}
	// Another workspace is its own entry.
	if err := v.Save(ctx, "other-ws", first); err != nil {
		t.Fatal(err)
	}
	if err := v.Delete(ctx, ws); err != nil {
		t.Fatal(err)
	}
	if _, err := v.Load(ctx, ws); !errors.Is(err, ErrNoToken) {
		t.Errorf("after Delete: err = %v", err)
	}
	if got, _ := v.Load(ctx, "other-ws"); got != first {
		t.Errorf("Delete touched another workspace: %+v", got)
	}
	if err := v.Delete(ctx, ws); err != nil {
		t.Errorf("deleting nothing: %v", err)
	}
	if err := v.Delete(ctx, "other-ws"); err != nil {
		t.Fatal(err)
	}

	if _, err := v.ClientSecret(ctx); !errors.Is(err, ErrNoToken) {
		t.Errorf("no client secret yet: err = %v", err)
	}
	if err := v.SaveClientSecret(ctx, "secret_client_abc"); err != nil {
		t.Fatal(err)
	}
	if s, err := v.ClientSecret(ctx); err != nil || s != "secret_client_abc" {
		t.Errorf("ClientSecret = %v, %v", s.Reveal(), err)
	}
	if err := v.DeleteClientSecret(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := v.ClientSecret(ctx); !errors.Is(err, ErrNoToken) {
		t.Errorf("after delete: err = %v", err)
	}
	if err := v.Save(ctx, ws, Tokens{}); err == nil {
		t.Error("saving an empty pair must fail")
	}
}

func TestMemoryVault(t *testing.T) { vaultContract(t, NewMemory()) }

func TestKeychainVaultWithMock(t *testing.T) {
	keyring.MockInit()
	vaultContract(t, &Keychain{Service: "pagedeck-test"})
}

func TestKeychainVaultClassifiesErrors(t *testing.T) {
	keyring.MockInitWithError(errors.New("org.freedesktop.DBus.Error.ServiceUnknown: The name org.freedesktop.secrets was not provided"))
	defer keyring.MockInit()
	v := &Keychain{Service: "pagedeck-test"}
	_, err := v.Load(context.Background(), "ws")
	var ke *KeychainError
	if !errors.Is(err, ErrKeychainUnavailable) || !errors.As(err, &ke) || ke.Hint == "" {
		t.Fatalf("err = %v, want ErrKeychainUnavailable with a hint", err)
	}
	if !strings.Contains(err.Error(), "org.freedesktop.secrets") {
		t.Errorf("the cause is lost: %v", err)
	}
	if err := v.Save(context.Background(), "ws", Tokens{Access: "x"}); !errors.Is(err, ErrKeychainUnavailable) {
		t.Errorf("Save err = %v", err)
	}
}

func TestMemoryVaultLocked(t *testing.T) {
	m := NewMemory()
	m.SetErr(errors.New("collection is locked"))
	if err := m.Save(context.Background(), "ws", Tokens{Access: "a"}); !errors.Is(err, ErrKeychainUnavailable) {
		t.Errorf("err = %v", err)
	}
	m.SetErr(nil)
	if err := m.Save(context.Background(), "ws", Tokens{Access: "a"}); err != nil || m.Len() != 1 {
		t.Errorf("after healing: %v, %d entries", err, m.Len())
	}
}

func TestKeychainHints(t *testing.T) {
	for _, goos := range []string{"linux", "darwin", "windows", "freebsd"} {
		if h := KeychainHint(goos); len(h) < 40 {
			t.Errorf("%s: hint %q is too thin", goos, h)
		}
	}
	if !strings.Contains(KeychainHint("linux"), "gnome-keyring-daemon --unlock") ||
		!strings.Contains(KeychainHint("darwin"), "Keychain Access") ||
		!strings.Contains(KeychainHint("windows"), "Credential Manager") {
		t.Error("each OS names its own keychain")
	}
}

// TestEntryFitsWindowsLimit: the largest pair Notion plausibly issues, with
// room to spare, fits Windows' 2560 bytes; an absurd one is refused before
// it reaches the keychain.
func TestEntryFitsWindowsLimit(t *testing.T) {
	// Notion's tokens are about 50 characters; allow ten times that.
	big := Tokens{Access: notion.Secret("ntn_" + strings.Repeat("x", 500)), Refresh: notion.Secret("nrt_" + strings.Repeat("y", 500)), Kind: KindBroker}
	s, err := encodeTokens(big)
	if err != nil {
		t.Fatal(err)
	}
	if len(s) > MaxEntryBytes {
		t.Fatalf("entry is %d bytes", len(s))
	}
	huge := Tokens{Access: notion.Secret(strings.Repeat("x", MaxEntryBytes)), Kind: KindOAuth}
	if err := NewMemory().Save(context.Background(), "ws", huge); err == nil || strings.Contains(err.Error(), "xxxx") {
		t.Errorf("an oversized pair: err = %v", err)
	}
	if _, err := decodeTokens("not json ntn_secret"); err == nil || strings.Contains(err.Error(), "ntn_secret") {
		t.Errorf("a corrupt entry must fail without echoing it: %v", err)
	}
}

// hangingKeyring never answers, like go-keyring on an unlock prompt that
// nobody can see.
type hangingKeyring struct{ release chan struct{} }

func (h hangingKeyring) Set(string, string, string) error   { <-h.release; return nil }
func (h hangingKeyring) Get(string, string) (string, error) { <-h.release; return "", nil }
func (h hangingKeyring) Delete(string, string) error        { <-h.release; return nil }

func TestKeychainCallsTimeOut(t *testing.T) {
	h := hangingKeyring{release: make(chan struct{})}
	defer close(h.release)
	v := &Keychain{Service: "s", Timeout: 30 * time.Millisecond, backend: h}
	_, err := v.Load(context.Background(), "ws")
	if !errors.Is(err, ErrKeychainUnavailable) || !strings.Contains(err.Error(), "unlock prompt") {
		t.Errorf("err = %v, want ErrKeychainUnavailable naming the prompt", err)
	}
	// The caller's own cancellation is not the keychain's fault.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	v.Timeout = time.Minute
	if err := v.Save(ctx, "ws", Tokens{Access: "a"}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: err = %v", err)
	}
}
