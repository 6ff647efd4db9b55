//go:build linux

package app_test

import (
	"fmt"
	"math/rand/v2"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/pagedeck/pagedeck/notion/notiontest"
)

// smallDisk mounts a tmpfs of size bytes (root only, as CI runs; elsewhere
// the test says so and fails rather than pretending); resize changes its
// size.
func smallDisk(t *testing.T, size int) (dir string, resize func(int)) {
	t.Helper()
	dir = t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", fmt.Sprintf("size=%d,mode=0700", size), "tmpfs", dir).CombinedOutput(); err != nil {
		t.Fatalf("mounting a small tmpfs (needs root, as in CI): %v %s", err, out)
	}
	t.Cleanup(func() { _ = syscall.Unmount(dir, syscall.MNT_DETACH) })
	return dir, func(n int) {
		if out, err := exec.Command("mount", "-o", fmt.Sprintf("remount,size=%d", n), dir).CombinedOutput(); err != nil {
			t.Fatalf("resizing the tmpfs: %v %s", err, out)
		}
	}
}

func used(t *testing.T, dir string) int {
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		t.Fatal(err)
	}
	return int((st.Blocks - st.Bfree) * uint64(st.Bsize))
}

// words is text that deflate cannot shrink much: a crawl fills a disk.
func words(r *rand.Rand, n int) string {
	var b strings.Builder
	for range n {
		for range 3 + r.IntN(6) {
			b.WriteByte(byte('a' + r.IntN(26)))
		}
		b.WriteByte(' ')
	}
	return b.String()
}

// TestBinaryDiskFull: a crawl through the real binary onto a disk that
// fills up stops with "the disk is full (PATH)" and a failure exit, not a
// crash; what was stored before stays (and is still found); with room
// again, the next sync resumes and stores the rest.
func TestBinaryDiskFull(t *testing.T) {
	h, clk, ws, _ := contentHarness(t, 40, nil)
	r := rand.New(rand.NewPCG(1, 2))
	var pages []string
	for _, it := range h.Emu.Items(ws) {
		if it.Kind == notiontest.KindPage && !it.Unshared && !it.InTrash {
			pages = append(pages, it.ID)
			h.Emu.SetContent(it.ID, "# Notes\n\nfirstcopy "+words(r, 1500))
		}
	}
	disk, resize := smallDisk(t, 64<<20)
	dir := filepath.Join(disk, "data")
	token := h.Emu.AddInternalToken(ws)
	env := []string{"PAGEDECK_NOTION_URL=" + h.Emu.URL()}
	sync := fmt.Sprintf(`printf '%%s\n' %q | "$0" add-token >/dev/null && "$0" sync`, token)
	if code, out, errOut := runScript(t, dir, env, sync); code != 0 {
		t.Fatalf("first sync: exit %d %s %s", code, out, errOut)
	}
	stored := func() string {
		_, out, _ := runBinary(t, dir, false, "workspaces", "--json")
		return out
	}
	before := stored()
	if !strings.Contains(before, fmt.Sprintf(`"content_pages": %d`, len(pages))) {
		t.Fatalf("first sync stored: %s", before)
	}
	// Every page is edited and grows; the disk has room for a few.
	clk.Advance(time.Hour)
	for _, id := range pages {
		h.Emu.EditContent(id, "# Notes\n\nsecondcopy "+words(r, 20000))
	}
	resize(used(t, disk) + 1<<20)
	code, out, errOut := runScript(t, dir, env, sync)
	for _, c := range []string{"panic", "goroutine ", "fatal error", "SIGSEGV", "SIGBUS", "runtime."} {
		if strings.Contains(errOut, c) {
			t.Fatalf("crashed: %s", errOut)
		}
	}
	if code != 1 || !strings.Contains(errOut, "the disk is full ("+dir) || strings.Count(errOut, "\n") != 1 {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	// What was stored before is still there and found.
	if _, out, _ := runBinary(t, dir, false, "search", "firstcopy", "--in", "content", "--json"); strings.Count(out, `"match": "content"`) == 0 {
		t.Errorf("after the full disk, the stored pages are not found: %s", out)
	}
	// Room again: the next sync resumes and stores every page's new copy.
	resize(256 << 20)
	if code, out, errOut := runScript(t, dir, env, sync); code != 0 {
		t.Fatalf("sync with room again: exit %d %s %s", code, out, errOut)
	}
	if _, out, _ := runBinary(t, dir, false, "search", "secondcopy", "--in", "content", "--json", "--limit", "1000"); strings.Count(out, `"match": "content"`) != len(pages) {
		t.Errorf("after the resumed sync, %d of %d pages have their new copy", strings.Count(out, `"match": "content"`), len(pages))
	}
}

// readOnly bind-mounts path read-only over itself (as a read-only file
// or folder is for anyone but root, who these tests run as).
func readOnly(t *testing.T, path string) {
	t.Helper()
	for _, args := range [][]string{{"--bind", path, path}, {"-o", "remount,ro,bind", path}} {
		if out, err := exec.Command("mount", args...).CombinedOutput(); err != nil {
			t.Fatalf("mount %v (needs root, as in CI): %v %s", args, err, out)
		}
	}
	t.Cleanup(func() { _ = syscall.Unmount(path, syscall.MNT_DETACH) })
}

// TestBinaryReadOnlyContent: with the workspace's content folder, or the
// index, read-only, a sync through the real binary fails with one short
// line naming what cannot be written, not the same error over and over,
// and a failure exit; nothing claims pages were stored.
func TestBinaryReadOnlyContent(t *testing.T) {
	for _, which := range []string{"pages", "index"} {
		t.Run(which, func(t *testing.T) {
			h, clk, ws, _ := contentHarness(t, 40, nil)
			dir := filepath.Join(t.TempDir(), "data")
			token := h.Emu.AddInternalToken(ws)
			env := []string{"PAGEDECK_NOTION_URL=" + h.Emu.URL()}
			sync := fmt.Sprintf(`printf '%%s\n' %q | "$0" add-token >/dev/null && "$0" sync`, token)
			if code, out, errOut := runScript(t, dir, env, sync); code != 0 {
				t.Fatalf("first sync: exit %d %s %s", code, out, errOut)
			}
			clk.Advance(time.Hour)
			for _, it := range h.Emu.Items(ws) {
				if it.Kind == notiontest.KindPage {
					h.Emu.EditContent(it.ID, "# Changed\n\nreadonlyword")
				}
			}
			path := filepath.Join(dir, "content", ws)
			if which == "index" {
				path = filepath.Join(dir, "content-index")
			}
			readOnly(t, path)
			code, out, errOut := runScript(t, dir, env, sync)
			if code != 1 || strings.Count(errOut, "\n") != 1 || !strings.Contains(errOut, path) || !strings.Contains(errOut, "cannot be written") || len(errOut) > 400 {
				t.Errorf("exit %d, stdout %q, stderr %q", code, out, errOut)
			}
			t.Logf("stderr: %s", errOut)
			if strings.Contains(out, "stored") && !strings.Contains(out, " 0 pages fetched") {
				t.Errorf("stdout claims pages were stored: %q", out)
			}
		})
	}
}
