# Pagedeck. Two commands set up everything on a fresh Debian or Ubuntu
# machine with Go installed: `make demo` and `make test`.

GO       ?= go
BUILD    := build
DIST     := dist
BIN      := $(BUILD)/pagedeck
MODULE   := github.com/pagedeck/pagedeck
VERSION  ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
COMMIT   ?= $(shell git rev-parse --short HEAD 2>/dev/null || echo unknown)
LDFLAGS  := -X $(MODULE)/app.Version=$(VERSION) -X $(MODULE)/app.Commit=$(COMMIT)
# FyneApp.toml declares [Migrations] fyneDo; `fyne build` turns that into
# this tag, so plain `go build`s get it too.
TAGS     := migrated_fynedo
APP_VERSION := $(shell sed -n 's/^Version *= *"\(.*\)"/\1/p' FyneApp.toml)
APP_BUILD   := $(shell sed -n 's/^Build *= *\([0-9]*\)/\1/p' FyneApp.toml)
FYNE     := $(BUILD)/tools/fyne
# The .deb's version: FyneApp.toml's, plus the commit for builds between tags.
DEB_VERSION := $(if $(filter v$(APP_VERSION),$(VERSION)),$(APP_VERSION),$(APP_VERSION)+git$(subst -,.,$(VERSION)))
PKGFLAGS := --name Pagedeck --icon assets/icon.png --release --app-version $(APP_VERSION) --app-id com.github.pagedeck

# Packages that must build without cgo and without Fyne: all but ui (with its
# dialogs and widgets) and main
# (ui/view, what the window shows as plain data, is one of them).
CORE_PKGS = $$($(GO) list ./... | grep -v -e '^$(MODULE)$$' -e '^$(MODULE)/ui$$' -e '^$(MODULE)/ui/localefix' -e '^$(MODULE)/ui/dialogs' -e '^$(MODULE)/ui/widgets')

.PHONY: all deps build emulator demo test check vet unit keychain-test gui bench bench-gui \
	release-linux package-linux package-windows package-darwin packages broker clean \
	package-deb deb-test wine-test release

all: build

## deps: install the system packages builds and tests need (Debian/Ubuntu; skipped when present)
deps:
	@./.ci/deps

## build: the pagedeck binary in build/
build: deps
	$(GO) build -trimpath -tags "$(TAGS)" -ldflags "$(LDFLAGS)" -o $(BIN) .

## emulator: the Notion emulator as a program, for running the real binary against it (.ci/gui),
## and benchgui, which times the window's answer to a key with X itself
emulator:
	CGO_ENABLED=0 $(GO) build -o $(BUILD)/notion-emulator ./cmd/notion-emulator
	CGO_ENABLED=0 $(GO) build -o $(BUILD)/benchgui ./cmd/benchgui

## broker: the token broker in build/ (no cgo, no system packages)
broker:
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags "-s -w" -o $(BUILD)/pagedeck-broker ./cmd/pagedeck-broker

## demo: run the app on the built-in demo Notion (no account, no keychain writes)
demo: build
	./$(BIN) --demo

## test: everything CI runs on every change
test: deps check vet unit keychain-test gui

## check: formatting, staticcheck; the core builds and vets without cgo, for Linux, macOS and Windows, and imports no Fyne
check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	  if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	@pkgs="$(CORE_PKGS)"; \
	  CGO_ENABLED=0 $(GO) build $$pkgs && CGO_ENABLED=0 $(GO) vet $$pkgs || exit 1; \
	  for os in darwin windows; do CGO_ENABLED=0 GOOS=$$os $(GO) vet $$pkgs || exit 1; done; \
	  bad=$$(CGO_ENABLED=0 $(GO) list -deps $$pkgs | grep '^fyne.io/' || true); \
	  if [ -n "$$bad" ]; then echo "Fyne reached a package outside ui/ and main:"; echo "$$bad"; exit 1; fi
	$(GO) tool staticcheck ./...
	@echo "check: gofmt and staticcheck clean; core packages build and vet with CGO_ENABLED=0 (linux, darwin, windows) and import no Fyne"

vet:
	$(GO) vet ./...

## unit: every package's tests with the race detector. The command line's
## end-to-end tests pace their processes at Notion's 3 requests/s, so that
## package runs for minutes: past go test's default 10-minute limit under
## -race on a loaded 2-core machine.
unit:
	$(GO) test -race -count=1 -timeout 30m ./...

## keychain-test: the vault against a real Secret Service in a private D-Bus session
keychain-test:
	@./.ci/keychain-test

## gui: the real window under Xvfb, driven by X input only (xdotool); screenshots in build/gui/
gui: build emulator
	@./.ci/gui $(BIN) $(BUILD)/notion-emulator $(BUILD)/benchgui

## fuzz: explore with every fuzz target in turn, FUZZTIME each (default 60s).
## Not part of test: what exploration finds is fixed and its input committed
## under testdata/fuzz, which 'make unit' replays on every run, so CI never
## fails on a bug that the change under test did not touch.
FUZZTIME ?= 60s
.PHONY: fuzz
fuzz:
	@FUZZTIME=$(FUZZTIME) ./.ci/fuzz

## bench: the speed figures (search, a cold `pagedeck search` process over 20,000 items, store load, decode, quick refresh, broker, live fan-out with a real redis-server, page content crawl and search, the request budget shared by several processes, database rows filtered over 100,000 in process and by the rows command as a process)
bench:
	$(GO) test -run '^$$' -bench . -benchmem -timeout 60m ./...

## bench-gui: the real window's speed under Xvfb at 20,000 items (issue 22): keystroke to results
## repainted (XTEST keys in, GetImage out, by cmd/benchgui), the first row after the consent on
## connect, idle CPU with and without a content crawl. Prints figures, fails only if it cannot measure.
bench-gui: build emulator
	@./.ci/bench-gui $(BIN) $(BUILD)/notion-emulator $(BUILD)/benchgui

$(FYNE): go.mod go.sum
	$(GO) build -o $@ fyne.io/tools/cmd/fyne

## release-linux: a release build (-tags release, version from git describe; position-independent, as Debian hardens its binaries)
release-linux: deps
	$(GO) build -trimpath -buildmode=pie -tags "release $(TAGS)" -ldflags "-s -w $(LDFLAGS)" -o $(BUILD)/release/linux/pagedeck .

## package-linux: dist/pagedeck-VERSION-linux-amd64.tar.xz (binary, .desktop, icon, Makefile for install)
package-linux: release-linux $(FYNE)
	@PAGEDECK_DEPS_EXTRA=package ./.ci/deps
	@rm -f Pagedeck.tar.xz && cp FyneApp.toml $(BUILD)/FyneApp.toml.keep
	$(FYNE) package --os linux --exe $(BUILD)/release/linux/pagedeck $(PKGFLAGS); \
	  status=$$?; cp $(BUILD)/FyneApp.toml.keep FyneApp.toml; exit $$status
	@mkdir -p $(DIST) && mv Pagedeck.tar.xz $(DIST)/pagedeck-$(VERSION)-linux-amd64.tar.xz
	@./.ci/check-package linux $(DIST)/pagedeck-$(VERSION)-linux-amd64.tar.xz "pagedeck $(VERSION) (commit $(COMMIT))"

## package-windows: dist/pagedeck.exe, cross-compiled with mingw-w64, with the icon and version metadata
package-windows:
	@PAGEDECK_DEPS_EXTRA=windows ./.ci/deps
	$(GO) run ./assets/winres.go -icon assets/icon.png -version $(APP_VERSION) -build $(APP_BUILD) -describe "$(VERSION)" -out rsrc_windows_amd64.syso
	GOOS=windows GOARCH=amd64 CGO_ENABLED=1 CC=x86_64-w64-mingw32-gcc \
	  $(GO) build -trimpath -tags "release $(TAGS)" -ldflags "-s -w -H=windowsgui $(LDFLAGS)" -o $(DIST)/pagedeck.exe .; \
	  status=$$?; rm -f rsrc_windows_amd64.syso; exit $$status
	@./.ci/check-package windows $(DIST)/pagedeck.exe "$(VERSION)"

## wine-test: dist/pagedeck.exe under Wine and Xvfb: the command line against the emulator, the window, the registry (.ci/wine; CI runs it after package-windows)
wine-test: emulator
	@PAGEDECK_DEPS_EXTRA="windows wine" ./.ci/deps
	@./.ci/wine $(DIST)/pagedeck.exe $(BUILD)/notion-emulator

## package-deb: dist/pagedeck_VERSION_amd64.deb from the tar.xz's binary (nFPM), clean under lintian and appstreamcli
package-deb: release-linux
	@PAGEDECK_DEPS_EXTRA=deb ./.ci/deps
	@./.ci/package-deb $(BUILD)/release/linux/pagedeck $(DEB_VERSION) $(DIST)

## deb-test: installs the .deb with apt-get, runs it from PATH, purges it and checks nothing is left (changes the system: CI)
deb-test:
	@PAGEDECK_DEPS_EXTRA=deb ./.ci/deps
	@./.ci/deb-test $(DIST) "pagedeck $(VERSION) (commit $(COMMIT))"

## package-darwin: dist/Pagedeck.app (on a Mac with Xcode's command line tools and Go)
package-darwin: $(FYNE)
	@if [ "$$(uname -s)" != Darwin ]; then echo "package-darwin runs on macOS only (Fyne needs Apple's SDK); 'make check' vets the core packages for darwin here"; exit 1; fi
	$(GO) build -trimpath -tags "release $(TAGS)" -ldflags "-s -w $(LDFLAGS)" -o $(BUILD)/release/darwin/pagedeck .
	@cp FyneApp.toml $(BUILD)/FyneApp.toml.keep
	$(FYNE) package --os darwin --exe $(BUILD)/release/darwin/pagedeck $(PKGFLAGS); \
	  status=$$?; cp $(BUILD)/FyneApp.toml.keep FyneApp.toml; exit $$status
	@mkdir -p $(DIST) && rm -rf $(DIST)/Pagedeck.app && mv Pagedeck.app $(DIST)/

## packages: what CI builds on every run besides the tests
packages: package-linux package-windows package-deb

## release: a fresh dist/ with every package and dist/SHA256SUMS
release:
	rm -rf $(DIST)
	$(MAKE) packages
	cd $(DIST) && find . -maxdepth 1 -type f ! -name SHA256SUMS -printf '%P\n' | LC_ALL=C sort | xargs sha256sum -- >SHA256SUMS
	@cat $(DIST)/SHA256SUMS

clean:
	rm -rf $(BUILD) $(DIST)
