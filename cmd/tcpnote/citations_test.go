package main

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// citation is a comment's reference to a section of a document in docs/:
// `tcp-reference.md §2.1`, `docs/tcpdump-formats.md §3.3, §3.4`.
var citation = regexp.MustCompile(`([A-Za-z-]+\.md)((?:,? ?§[0-9]+(?:\.[0-9]+)*)+)`)

// TestCitationsResolve: every section a Go file cites is a heading of a
// document the repository ships, so a reader who follows a comment finds
// what it points to.
func TestCitationsResolve(t *testing.T) {
	root := filepath.Join("..", "..")
	headings := map[string]map[string]bool{}
	docs, err := filepath.Glob(filepath.Join(root, "docs", "*.md"))
	if err != nil || len(docs) == 0 {
		t.Fatalf("no docs: %v", err)
	}
	heading := regexp.MustCompile(`(?m)^#+ (§[0-9.]+) `)
	for _, d := range docs {
		b, err := os.ReadFile(d)
		if err != nil {
			t.Fatal(err)
		}
		h := map[string]bool{}
		for _, m := range heading.FindAllSubmatch(b, -1) {
			h[string(m[1])] = true
		}
		headings[filepath.Base(d)] = h
	}
	cited := 0
	err = filepath.WalkDir(root, func(path string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if e.IsDir() && (e.Name() == "testdata" || e.Name() == "node_modules" || strings.HasPrefix(e.Name(), ".")) && path != root {
			return filepath.SkipDir
		}
		if e.IsDir() || !strings.HasSuffix(path, ".go") {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range citation.FindAllStringSubmatch(string(b), -1) {
			doc := m[1]
			h, ok := headings[doc]
			if !ok {
				t.Errorf("%s cites %s, which is not in docs/", path, doc)
				continue
			}
			for _, sec := range regexp.MustCompile(`§[0-9.]+`).FindAllString(m[2], -1) {
				cited++
				if !h[strings.TrimRight(sec, ".")] {
					t.Errorf("%s cites %s %s: no such heading", path, doc, sec)
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if cited == 0 {
		t.Error("no citation found: the pattern is wrong")
	}
}
