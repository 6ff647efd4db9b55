//go:build ignore

// winres writes the Windows resources of pagedeck.exe (icon, version
// information, manifest) into a .syso file that go build links in. The
// Makefile runs it for package-windows:
//
//	go run ./assets/winres.go -version 0.1.0 -build 1 -describe v0.1.0-3-gabc -out rsrc_windows_amd64.syso
//
// (fyne package would do this too, but it drops -X linker flags when it
// rebuilds, and pagedeck --version needs them.)
package main

import (
	"flag"
	"image"
	_ "image/png"
	"log"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/fyne-io/image/ico"
	"github.com/josephspurrier/goversioninfo"
)

// manifest asks Windows for per-monitor DPI awareness (Fyne scales itself)
// and the modern common controls.
const manifest = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<assembly xmlns="urn:schemas-microsoft-com:asm.v1" manifestVersion="1.0">
  <assemblyIdentity version="VERSION" processorArchitecture="*" name="com.github.pagedeck" type="win32"/>
  <description>Pagedeck</description>
  <dependency><dependentAssembly>
    <assemblyIdentity type="win32" name="Microsoft.Windows.Common-Controls" version="6.0.0.0" processorArchitecture="*" publicKeyToken="6595b64144ccf1df" language="*"/>
  </dependentAssembly></dependency>
  <application xmlns="urn:schemas-microsoft-com:asm.v3"><windowsSettings>
    <dpiAware xmlns="http://schemas.microsoft.com/SMI/2005/WindowsSettings">true/pm</dpiAware>
    <dpiAwareness xmlns="http://schemas.microsoft.com/SMI/2016/WindowsSettings">PerMonitorV2</dpiAwareness>
  </windowsSettings></application>
</assembly>
`

func main() {
	icon := flag.String("icon", "assets/icon.png", "PNG app icon")
	version := flag.String("version", "0.1.0", "x.y.z")
	build := flag.Int("build", 1, "build number")
	describe := flag.String("describe", "", "the full version string (git describe)")
	out := flag.String("out", "rsrc_windows_amd64.syso", "output .syso")
	flag.Parse()

	tmp, err := os.MkdirTemp("", "winres")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(tmp)

	src, err := os.Open(*icon)
	if err != nil {
		log.Fatal(err)
	}
	img, _, err := image.Decode(src)
	src.Close()
	if err != nil {
		log.Fatal(err)
	}
	icoPath := filepath.Join(tmp, "pagedeck.ico")
	f, err := os.Create(icoPath)
	if err != nil {
		log.Fatal(err)
	}
	if err := ico.Encode(f, img); err != nil {
		log.Fatal(err)
	}
	f.Close()

	parts := strings.Split(*version, ".")
	for len(parts) < 3 {
		parts = append(parts, "0")
	}
	num := func(s string) int { n, _ := strconv.Atoi(s); return n }
	fv := goversioninfo.FileVersion{Major: num(parts[0]), Minor: num(parts[1]), Patch: num(parts[2]), Build: *build}
	dotted := strings.Join(parts[:3], ".") + "." + strconv.Itoa(*build)

	manPath := filepath.Join(tmp, "pagedeck.manifest")
	if err := os.WriteFile(manPath, []byte(strings.Replace(manifest, "VERSION", dotted, 1)), 0o644); err != nil {
		log.Fatal(err)
	}

	product := *describe
	if product == "" {
		product = dotted
	}
	vi := &goversioninfo.VersionInfo{IconPath: icoPath, ManifestPath: manPath}
	vi.FixedFileInfo.FileVersion = fv
	vi.FixedFileInfo.ProductVersion = fv
	vi.StringFileInfo = goversioninfo.StringFileInfo{
		ProductName:      "Pagedeck",
		FileDescription:  "Pagedeck",
		CompanyName:      "Pagedeck",
		FileVersion:      dotted,
		ProductVersion:   product,
		InternalName:     "pagedeck",
		OriginalFilename: "pagedeck.exe",
		Comments:         "Search and open the pages and databases of all your Notion workspaces",
	}
	vi.VarFileInfo.Translation = goversioninfo.Translation{LangID: goversioninfo.LngUSEnglish, CharsetID: goversioninfo.CsUnicode}
	vi.Build()
	vi.Walk()
	if err := vi.WriteSyso(*out, "amd64"); err != nil {
		log.Fatal(err)
	}
}
