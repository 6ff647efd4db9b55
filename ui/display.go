package ui

import (
	"errors"
	"fmt"
	"net"
	"os"
	"runtime"
	"strconv"
	"strings"
	"time"
)

// ErrNoDisplay: there is no screen to open the window on.
var ErrNoDisplay = errors.New("no display to open the window on")

// checkDisplay makes sure an X server answers before Fyne tries one: GLFW
// ends in a panic and a stack trace without it. This build of Fyne draws
// through X11 (XWayland on a Wayland desktop), so on Linux and the BSDs
// DISPLAY must name a reachable server.
func checkDisplay(getenv func(string) string) error {
	if runtime.GOOS == "windows" || runtime.GOOS == "darwin" {
		return nil
	}
	const how = "use the command line (pagedeck help), or run the window on a virtual display: xvfb-run pagedeck"
	disp := getenv("DISPLAY")
	if disp == "" {
		return fmt.Errorf("%w (DISPLAY is not set); %s", ErrNoDisplay, how)
	}
	network, addr, err := xAddress(disp)
	if err != nil {
		return fmt.Errorf("%w (DISPLAY=%q: %v); %s", ErrNoDisplay, disp, err, how)
	}
	c, err := net.DialTimeout(network, addr, 3*time.Second)
	if err != nil && network == "unix" {
		// Linux also listens on the abstract socket of the same name.
		c, err = net.DialTimeout("unix", "@"+addr, 3*time.Second)
	}
	if err != nil {
		return fmt.Errorf("%w (the X server at DISPLAY=%s does not answer); %s", ErrNoDisplay, disp, how)
	}
	c.Close()
	return nil
}

// xAddress reads DISPLAY ([host]:number[.screen]) into a dial address.
func xAddress(disp string) (network, addr string, err error) {
	host, rest, ok := strings.Cut(disp, ":")
	if i := strings.LastIndex(disp, ":"); i >= 0 {
		host, rest, ok = disp[:i], disp[i+1:], true
	}
	if !ok {
		return "", "", errors.New("it has no display number")
	}
	num, _, _ := strings.Cut(rest, ".")
	n, err := strconv.Atoi(num)
	if err != nil || n < 0 {
		return "", "", errors.New("its display number is not a number")
	}
	if strings.HasPrefix(host, "/") { // a socket path, as XQuartz sets
		return "unix", disp, nil
	}
	if host == "" || host == "unix" {
		return "unix", "/tmp/.X11-unix/X" + strconv.Itoa(n), nil
	}
	return "tcp", net.JoinHostPort(strings.Trim(host, "[]"), strconv.Itoa(6000+n)), nil
}

// getenv is os.Getenv; tests replace it.
var getenv = os.Getenv
