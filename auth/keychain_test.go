//go:build keychain

// These tests use the real Secret Service. make keychain-test runs them in a
// private D-Bus session with an unlocked gnome-keyring (.ci/keychain-test).

package auth

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"
)

func TestKeychainRealSecretService(t *testing.T) {
	vaultContract(t, &Keychain{Service: fmt.Sprintf("pagedeck-test-%d", time.Now().UnixNano())})
}

func TestKeychainServicesAreIsolated(t *testing.T) {
	ctx := context.Background()
	a := &Keychain{Service: "pagedeck-test-a"}
	b := &Keychain{Service: "pagedeck-test-b"}
	defer a.Delete(ctx, "ws")
	defer b.Delete(ctx, "ws")
	if err := a.Save(ctx, "ws", Tokens{Access: "from-a", Kind: KindOAuth}); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Load(ctx, "ws"); !errors.Is(err, ErrNoToken) {
		t.Fatalf("service b sees a's entry: %v", err)
	}
	if err := b.Save(ctx, "ws", Tokens{Access: "from-b", Kind: KindOAuth}); err != nil {
		t.Fatal(err)
	}
	if got, _ := a.Load(ctx, "ws"); got.Access != "from-a" {
		t.Errorf("b's save changed a's entry: %v", got.Access.Reveal())
	}
	if err := b.Delete(ctx, "ws"); err != nil {
		t.Fatal(err)
	}
	if got, err := a.Load(ctx, "ws"); err != nil || got.Access != "from-a" {
		t.Errorf("b's delete touched a: %v", err)
	}
}

// TestKeychainUnavailableWithoutSecretService runs the vault in a child
// process whose D-Bus session address leads nowhere: the godbus connection
// is process-wide, so this cannot share the parent's.
func TestKeychainUnavailableWithoutSecretService(t *testing.T) {
	if os.Getenv("PAGEDECK_KEYCHAIN_CHILD") == "1" {
		_, err := (&Keychain{Service: "pagedeck-test", Timeout: 5 * time.Second}).Load(context.Background(), "ws")
		if !errors.Is(err, ErrKeychainUnavailable) {
			fmt.Printf("err = %v, want ErrKeychainUnavailable\n", err)
			os.Exit(1)
		}
		fmt.Println("UNAVAILABLE-OK:", err)
		os.Exit(0)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestKeychainUnavailableWithoutSecretService$")
	cmd.Env = append(os.Environ(), "PAGEDECK_KEYCHAIN_CHILD=1", "DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent/pagedeck-bus")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	t.Logf("%s", out)
}

// TestKeychainLocked locks the login collection: the vault must answer
// ErrKeychainUnavailable within its timeout instead of hanging on a prompt
// nobody can see.
func TestKeychainLocked(t *testing.T) {
	ctx := context.Background()
	v := &Keychain{Service: "pagedeck-test-locked", Timeout: 5 * time.Second}
	if err := v.Save(ctx, "ws", Tokens{Access: "a", Kind: KindOAuth}); err != nil {
		t.Fatal(err)
	}
	// secret-tool's own lock command crashes on Debian 12, so ask the
	// Secret Service directly.
	bus, err := dbus.SessionBus()
	if err != nil {
		t.Fatal(err)
	}
	var locked []dbus.ObjectPath
	var prompt dbus.ObjectPath
	err = bus.Object("org.freedesktop.secrets", "/org/freedesktop/secrets").
		Call("org.freedesktop.Secret.Service.Lock", 0, []dbus.ObjectPath{"/org/freedesktop/secrets/collection/login"}).
		Store(&locked, &prompt)
	if err != nil || len(locked) != 1 {
		t.Fatalf("locking the login collection: %v (locked %v, prompt %v)", err, locked, prompt)
	}
	defer func() {
		// Unlock again for the other tests in this session.
		cmd := exec.Command("gnome-keyring-daemon", "--unlock", "--components=secrets")
		cmd.Stdin = strings.NewReader("pagedeck-test-password")
		_ = cmd.Run()
	}()
	start := time.Now()
	_, err = v.Load(ctx, "ws")
	if !errors.Is(err, ErrKeychainUnavailable) {
		t.Fatalf("locked keychain: err = %v, want ErrKeychainUnavailable", err)
	}
	t.Logf("locked keychain answered in %v: %v", time.Since(start).Round(time.Millisecond), err)
}
