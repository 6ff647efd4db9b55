package notiontest

import (
	"strings"
	"testing"
)

func TestGeneratedBodiesArePlausibleAndSometimesHostile(t *testing.T) {
	if a, b := GenerateMarkdown(42, "x", 0), GenerateMarkdown(42, "x", 0); a != b {
		t.Fatal("the same seed gave two bodies")
	}
	want := map[string]string{
		"heading": "\n#", "bullet": "\n- ", "to-do": "- [x] ", "numbered": "\n1. ", "quote": "\n> ",
		"code": "```", "link": "](https://", "table": "<table", "callout": "<callout", "page": "<page url=",
		"mention": "<mention-", "colour": `color="`, "toggle": "<details>",
	}
	hostile := map[string]string{
		"deep nesting": strings.Repeat("\t", 300), "control characters": "\x1b[31m", "script": "<script>",
		"huge": strings.Repeat("wall of text ", 1000), "unclosed": "func never() {",
	}
	seen := map[string]bool{}
	sizes := 0
	for seed := range int64(600) {
		md := GenerateMarkdown(seed, "Title", 0)
		sizes += len(md)
		for name, s := range want {
			seen[name] = seen[name] || strings.Contains("\n"+md, s)
		}
		for name, s := range hostile {
			seen[name] = seen[name] || strings.Contains(md, s)
		}
	}
	for name := range want {
		if !seen[name] {
			t.Errorf("no generated body has a %s", name)
		}
	}
	for name := range hostile {
		if !seen[name] {
			t.Errorf("no generated body is hostile with %s", name)
		}
	}
	if sized := GenerateMarkdown(1, "t", 4096); len(sized) < 4096 || len(sized) > 6000 || strings.Contains(sized, "<script>") {
		t.Errorf("a sized body is %d bytes (or hostile)", len(sized))
	}
}
