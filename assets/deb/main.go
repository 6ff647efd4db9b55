// Command deb builds dist/pagedeck_VERSION_amd64.deb with nFPM (goreleaser's
// packager, used as a library) from the release binary that goes into the
// tar.xz too. The Makefile runs it for package-deb:
//
//	cd assets/deb && go run . -bin ../../build/release/linux/pagedeck -version 0.1.0 -out ../../dist -depends "libc6 (>= 2.34), libgl1, …"
//
// It is a module of its own so that nFPM's dependencies stay out of
// Pagedeck's go.mod: nothing in the app imports them.
//
// The package holds /usr/bin/pagedeck, the desktop entry (written from
// FyneApp.toml, as fyne package writes the tar.xz's), the icon in the
// hicolor sizes, the AppStream metainfo, the copyright and the changelog.
package main

import (
	"bytes"
	"compress/gzip"
	"flag"
	"fmt"
	"image"
	"image/png"
	"log"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
	"github.com/goreleaser/nfpm/v2"
	_ "github.com/goreleaser/nfpm/v2/deb" // registers the deb packager
	"github.com/goreleaser/nfpm/v2/files"
	"golang.org/x/image/draw"
)

const (
	name       = "pagedeck"
	appID      = "com.github.pagedeck"
	maintainer = "Pagedeck developers <pagedeck@users.noreply.github.com>"
)

// iconSizes are the hicolor sizes menus and software centres look for.
var iconSizes = []int{16, 24, 32, 48, 64, 128, 256, 512}

// fyneApp is the part of FyneApp.toml the desktop entry comes from.
type fyneApp struct {
	Website string
	Details struct {
		Name    string
		Version string
	}
	LinuxAndBSD struct {
		GenericName string
		Categories  []string
		Comment     string
		Keywords    []string
	}
}

func main() {
	root := flag.String("root", "../..", "the repository")
	bin := flag.String("bin", "", "the release binary (the tar.xz's)")
	version := flag.String("version", "", "the Debian version, e.g. 0.1.0 or 0.1.0+git.abc1234")
	depends := flag.String("depends", "", "the binary's shared-library dependencies, comma-separated (dpkg-shlibdeps)")
	out := flag.String("out", "../../dist", "where the .deb goes")
	help := flag.String("help", "", "a file holding `pagedeck help`'s output, for the man page")
	mtime := flag.Int64("mtime", 0, "the files' time, in Unix seconds (the commit's, so builds are reproducible)")
	flag.Parse()
	if *bin == "" || *version == "" || *depends == "" || *help == "" {
		log.Fatal("deb: -bin, -version, -depends and -help are required")
	}
	usage, err := os.ReadFile(*help)
	if err != nil {
		log.Fatal("deb: ", err)
	}
	path, err := build(*root, *bin, *version, *depends, string(usage), *out, time.Unix(*mtime, 0).UTC())
	if err != nil {
		log.Fatal("deb: ", err)
	}
	fmt.Println(path)
}

func build(root, bin, version, depends, usage, out string, mtime time.Time) (string, error) {
	var app fyneApp
	if _, err := toml.DecodeFile(filepath.Join(root, "FyneApp.toml"), &app); err != nil {
		return "", err
	}
	metainfo := filepath.Join(root, "assets", appID+".metainfo.xml")
	if meta, err := os.ReadFile(metainfo); err != nil {
		return "", err
	} else if !bytes.Contains(meta, []byte(`<release version="`+app.Details.Version+`"`)) {
		// Software centres show the releases list as the app's history.
		return "", fmt.Errorf("%s has no <release> for version %s (FyneApp.toml)", metainfo, app.Details.Version)
	}
	stage, err := os.MkdirTemp("", "pagedeck-deb-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(stage)

	contents := files.Contents{
		file(bin, "/usr/bin/pagedeck", 0o755),
		file(metainfo, "/usr/share/metainfo/"+appID+".metainfo.xml", 0o644),
		file(filepath.Join(root, "assets", "icon.svg"), "/usr/share/icons/hicolor/scalable/apps/"+appID+".svg", 0o644),
	}
	staged := map[string][]byte{
		"desktop":   []byte(desktopEntry(app)),
		"copyright": []byte(copyright(app)),
	}
	if staged["changelog.gz"], err = gzipped(changelog(version, mtime)); err != nil {
		return "", err
	}
	if staged["pagedeck.1.gz"], err = gzipped(manPage(app, version, usage, mtime)); err != nil {
		return "", err
	}
	icon, err := readPNG(filepath.Join(root, "assets", "icon.png"))
	if err != nil {
		return "", err
	}
	for _, size := range iconSizes {
		dim := strconv.Itoa(size) + "x" + strconv.Itoa(size)
		if staged[dim], err = scaled(icon, size); err != nil {
			return "", err
		}
		contents = append(contents, file(filepath.Join(stage, dim), "/usr/share/icons/hicolor/"+dim+"/apps/"+appID+".png", 0o644))
	}
	for k, v := range staged {
		if err := os.WriteFile(filepath.Join(stage, k), v, 0o644); err != nil {
			return "", err
		}
	}
	contents = append(contents,
		file(filepath.Join(stage, "desktop"), "/usr/share/applications/"+appID+".desktop", 0o644),
		file(filepath.Join(stage, "copyright"), "/usr/share/doc/pagedeck/copyright", 0o644),
		file(filepath.Join(stage, "changelog.gz"), "/usr/share/doc/pagedeck/changelog.gz", 0o644),
		file(filepath.Join(stage, "pagedeck.1.gz"), "/usr/share/man/man1/pagedeck.1.gz", 0o644),
	)
	for _, c := range contents {
		c.FileInfo.MTime = mtime
	}

	info := nfpm.WithDefaults(&nfpm.Info{
		Name:          name,
		Arch:          "amd64",
		Platform:      "linux",
		Version:       version,
		VersionSchema: "none", // the version is already Debian's
		Section:       "utils",
		Priority:      "optional",
		Maintainer:    maintainer,
		Homepage:      app.Website,
		MTime:         mtime,
		Description: app.LinuxAndBSD.Comment + "\n" +
			"Pagedeck lists every page and database your Notion workspaces share with\n" +
			"it in one list that filters as you type, and opens the one you pick in\n" +
			"the browser or the Notion app. Quick Open brings a search box up from\n" +
			"any program, page content is kept for searching and reading offline,\n" +
			"and tokens stay in the Secret Service. A command line with JSON output\n" +
			"serves scripts and launchers.",
		Overridables: nfpm.Overridables{
			Depends: append(splitList(depends),
				// Tokens live in a Secret Service (go-keyring over D-Bus);
				// Debian has no virtual package for one, so these are the
				// implementations it ships.
				"gnome-keyring | libkf5wallet-bin | keepassxc",
				// Links open through xdg-open (the window's and the command line's).
				"xdg-utils"),
			// GLFW loads these X extensions with dlopen, so dpkg-shlibdeps
			// cannot see them, and works without each (as Debian's own
			// libglfw3 does): monitors and scaling, cursors, input.
			Recommends: []string{"libxrandr2", "libxinerama1", "libxcursor1", "libxi6"},
			Contents:   contents,
			Deb:        nfpm.Deb{Compression: "xz"},
		},
	})
	if err := nfpm.PrepareForPackager(info, "deb"); err != nil {
		return "", err
	}
	pkg, err := nfpm.Get("deb")
	if err != nil {
		return "", err
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return "", err
	}
	path := filepath.Join(out, pkg.ConventionalFileName(info))
	f, err := os.Create(path)
	if err != nil {
		return "", err
	}
	if err := pkg.Package(info, f); err != nil {
		f.Close()
		os.Remove(path)
		return "", err
	}
	return path, f.Close()
}

func file(src, dst string, mode os.FileMode) *files.Content {
	return &files.Content{Source: src, Destination: dst, FileInfo: &files.ContentFileInfo{Mode: mode, Owner: "root", Group: "root"}}
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// desktopEntry is the menu entry; its name is the AppStream id, so software
// centres match it to the metainfo's launchable.
func desktopEntry(app fyneApp) string {
	list := func(v []string) string { return strings.Join(v, ";") + ";" }
	return "[Desktop Entry]\n" +
		"Type=Application\n" +
		"Name=" + app.Details.Name + "\n" +
		"GenericName=" + app.LinuxAndBSD.GenericName + "\n" +
		"Comment=" + app.LinuxAndBSD.Comment + "\n" +
		"Exec=pagedeck\n" +
		"Icon=" + appID + "\n" +
		"Terminal=false\n" +
		"Categories=" + list(app.LinuxAndBSD.Categories) + "\n" +
		"Keywords=" + list(app.LinuxAndBSD.Keywords) + "\n"
}

// copyright is the machine-readable Debian copyright file. The project has
// not published a licence of its own yet; the bundled Twemoji graphics
// carry theirs.
func copyright(app fyneApp) string {
	return "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n" +
		"Upstream-Name: " + app.Details.Name + "\n" +
		"Source: " + app.Website + "\n\n" +
		"Files: *\n" +
		"Copyright: 2026 Pagedeck developers\n" +
		"License: other\n" +
		" No licence has been published for Pagedeck yet; see " + app.Website + ".\n\n" +
		"Files: usr/bin/pagedeck\n" +
		"Copyright: 2026 Pagedeck developers; 2014-2024 Twitter, Inc and other contributors\n" +
		"License: other and CC-BY-4.0\n" +
		" The emoji graphics built into the program are Twemoji, licensed under\n" +
		" CC-BY 4.0: https://creativecommons.org/licenses/by/4.0/\n"
}

// manPage is pagedeck(1): the summary, then the command line's own help
// as it prints it, so the two cannot drift apart.
func manPage(app fyneApp, version, usage string, when time.Time) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, ".TH PAGEDECK 1 %q %q \"User Commands\"\n", when.Format("2006-01-02"), "pagedeck "+version)
	fmt.Fprintf(&b, ".SH NAME\npagedeck \\- %s\n", strings.ToLower(app.LinuxAndBSD.Comment[:1])+app.LinuxAndBSD.Comment[1:])
	b.WriteString(".SH SYNOPSIS\n.B pagedeck\n[\\fICOMMAND\\fR] [\\fIOPTIONS\\fR]\n")
	b.WriteString(".SH DESCRIPTION\nWithout a command, pagedeck opens its window. The commands and settings:\n.PP\n.nf\n")
	for _, line := range strings.Split(strings.TrimRight(usage, "\n"), "\n") {
		line = strings.ReplaceAll(line, `\`, `\e`)
		if strings.HasPrefix(line, ".") || strings.HasPrefix(line, "'") {
			line = `\&` + line
		}
		b.WriteString(line + "\n")
	}
	b.WriteString(".fi\n.SH SEE ALSO\n" + app.Website + "\n")
	return []byte(b.String())
}

// changelog is the native package's changelog: one entry for this build.
func changelog(version string, when time.Time) []byte {
	return []byte(fmt.Sprintf("%s (%s) unstable; urgency=medium\n\n  * Pagedeck %s.\n\n -- %s  %s\n",
		name, version, version, maintainer, when.Format(time.RFC1123Z)))
}

// gzipped compresses as Debian wants: best compression, no name or time.
func gzipped(b []byte) ([]byte, error) {
	var buf bytes.Buffer
	w, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	if _, err := w.Write(b); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func readPNG(path string) (image.Image, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return png.Decode(f)
}

func scaled(src image.Image, size int) ([]byte, error) {
	dst := image.NewRGBA(image.Rect(0, 0, size, size))
	draw.CatmullRom.Scale(dst, dst.Bounds(), src, src.Bounds(), draw.Src, nil)
	var buf bytes.Buffer
	if err := png.Encode(&buf, dst); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
