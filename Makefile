# Pagedeck. Two commands set up everything on a fresh Debian or Ubuntu
# machine with Go installed: `make demo` and `make test`.

GO       ?= go
BUILD    := build
BIN      := $(BUILD)/pagedeck
MODULE   := github.com/pagedeck/pagedeck
VERSION  ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
COMMIT   ?= $(shell git rev-parse --short HEAD 2>/dev/null || echo unknown)
LDFLAGS  := -X $(MODULE)/app.Version=$(VERSION) -X $(MODULE)/app.Commit=$(COMMIT)

# Packages that must build without cgo and without Fyne: all but ui and main.
CORE_PKGS = $$($(GO) list ./... | grep -v -e '^$(MODULE)$$' -e '^$(MODULE)/ui$$' -e '^$(MODULE)/ui/')

.PHONY: all deps build demo test check vet unit keychain-test smoke bench clean

all: build

## deps: install the system packages builds and tests need (Debian/Ubuntu; skipped when present)
deps:
	@./.ci/deps

## build: the pagedeck binary in build/
build: deps
	$(GO) build -trimpath -ldflags "$(LDFLAGS)" -o $(BIN) .

## demo: run the app on the built-in demo Notion (no account, no keychain writes)
demo: build
	./$(BIN) --demo

## test: everything CI runs
test: deps check vet unit keychain-test smoke

## check: formatting, and the rule that only ui/ and main know Fyne or cgo
check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	  if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	@pkgs="$(CORE_PKGS)"; \
	  CGO_ENABLED=0 $(GO) build $$pkgs && CGO_ENABLED=0 $(GO) vet $$pkgs || exit 1; \
	  bad=$$(CGO_ENABLED=0 $(GO) list -deps $$pkgs | grep '^fyne.io/' || true); \
	  if [ -n "$$bad" ]; then echo "Fyne reached a package outside ui/ and main:"; echo "$$bad"; exit 1; fi
	@echo "check: gofmt clean; core packages build and vet with CGO_ENABLED=0 and import no Fyne"

vet:
	$(GO) vet ./...

unit:
	$(GO) test -race -count=1 ./...

## keychain-test: the vault against a real Secret Service in a private D-Bus session
keychain-test:
	@./.ci/keychain-test

## smoke: the real binary in demo mode under Xvfb, with a screenshot in build/
smoke: build
	@./.ci/smoke $(BIN) $(BUILD)/smoke.png

## bench: the speed figures (search, store load, decode, quick refresh)
bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

clean:
	rm -rf $(BUILD)
