// Package localefix hides the "C.UTF-8" locale from Fyne's package
// initialisation. Fyne parses the locale when its lang package initialises
// and logs an error for "C.UTF-8" (the default of Debian and Ubuntu
// containers), which would put three lines of noise on stderr before every
// command. "C.UTF-8" means the same as "C", which Fyne reads quietly.
//
// The package must initialise before fyne.io/fyne/v2/lang. It does: it
// imports only os and strings, and Go initialises the first ready package by
// import path, while Fyne's lang waits on golang.org/x/text, which sorts
// after this module. A test of the built binary guards it. Restore puts the
// environment back once main runs, so child processes see the user's own.
package localefix

import (
	"os"
	"strings"
)

type saved struct {
	name, value string
}

var changed []saved

func init() {
	for _, name := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		v, ok := os.LookupEnv(name)
		if !ok || v == "" {
			continue
		}
		lang, _, _ := strings.Cut(v, ".")
		if (lang == "C" || lang == "POSIX") && v != lang {
			changed = append(changed, saved{name, v})
			os.Setenv(name, lang)
		}
		// The first variable set decides the locale, as in go-locale.
		return
	}
}

// Restore puts back the environment that init changed.
func Restore() {
	for _, s := range changed {
		os.Setenv(s.name, s.value)
	}
	changed = nil
}
