package doctest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"

	"github.com/ecssim/ecssim/scenario"
)

// block is one fenced code block of a Markdown file.
type block struct {
	file   string // relative to the repository root
	line   int    // of the opening fence
	lang   string
	marker string // the sample: comment before it, without the prefix
	text   string
}

func (b block) String() string { return fmt.Sprintf("%s:%d (%s)", b.file, b.line, b.lang) }

var markerRE = regexp.MustCompile(`^<!--\s*sample:\s*(.*?)\s*-->$`)

// blocks returns the fenced blocks of the Markdown file at root/rel.
func blocks(t *testing.T, root, rel string) []block {
	data, err := os.ReadFile(filepath.Join(root, rel))
	require.NoError(t, err)
	lines := strings.Split(string(data), "\n")
	var out []block
	for i := 0; i < len(lines); i++ {
		fence := strings.TrimSpace(lines[i])
		if !strings.HasPrefix(fence, "```") {
			continue
		}
		b := block{file: rel, line: i + 1, lang: strings.TrimSpace(strings.TrimPrefix(fence, "```"))}
		if i > 0 {
			if m := markerRE.FindStringSubmatch(strings.TrimSpace(lines[i-1])); m != nil {
				b.marker = m[1]
			}
		}
		var body []string
		for i++; i < len(lines) && strings.TrimSpace(lines[i]) != "```"; i++ {
			body = append(body, lines[i])
		}
		b.text = strings.Join(body, "\n") + "\n"
		out = append(out, b)
	}
	return out
}

// markdownFiles lists README.md, docs/*.md and */README.md.
func markdownFiles(t *testing.T, root string) []string {
	files := []string{"README.md"}
	for _, pattern := range []string{"docs/*.md", "*/README.md"} {
		m, err := filepath.Glob(filepath.Join(root, pattern))
		require.NoError(t, err)
		for _, f := range m {
			rel, err := filepath.Rel(root, f)
			require.NoError(t, err)
			files = append(files, filepath.ToSlash(rel))
		}
	}
	return files
}

// TestSamples checks every code sample; see the package documentation.
func TestSamples(t *testing.T) {
	root, err := filepath.Abs("../..")
	require.NoError(t, err)
	var programs, commands []block
	checked := 0
	for _, file := range markdownFiles(t, root) {
		for _, b := range blocks(t, root, file) {
			if b.marker != "" {
				kind, arg, _ := strings.Cut(b.marker, " ")
				switch kind {
				case "skip":
					require.NotEmpty(t, strings.TrimSpace(arg), "%s: say why a sample is skipped", b)
					continue
				case "from":
					excerpt(t, root, b, strings.TrimSpace(arg))
					checked++
					continue
				default:
					t.Errorf("%s: unknown marker %q: use <!-- sample: from PATH --> or <!-- sample: skip REASON -->", b, b.marker)
					continue
				}
			}
			switch b.lang {
			case "go":
				if !strings.HasPrefix(strings.TrimSpace(stripComments(b.text)), "package ") {
					t.Errorf("%s: a Go fragment needs <!-- sample: from PATH --> naming the compiled file it comes from (or <!-- sample: skip REASON -->)", b)
					continue
				}
				programs = append(programs, b)
			case "yaml", "yml":
				checkYAML(t, root, b)
			case "sh", "shell", "bash", "console":
				commands = append(commands, b)
				continue
			case "json":
				var v any
				if err := json.Unmarshal([]byte(b.text), &v); err != nil {
					t.Errorf("%s: not JSON: %v", b, err)
				}
			default:
				continue
			}
			checked++
		}
	}
	if len(programs) > 0 {
		build(t, root, programs)
	}
	checked += checkCommands(t, root, commands)
	require.Positive(t, checked)
	t.Logf("%d samples checked, %d of them programs built", checked, len(programs))
}

func stripComments(s string) string {
	var keep []string
	for _, l := range strings.Split(s, "\n") {
		if !strings.HasPrefix(strings.TrimSpace(l), "//") {
			keep = append(keep, l)
		}
	}
	return strings.Join(keep, "\n")
}

// excerpt checks that every non-blank line of b appears in the file at
// path, trimmed of surrounding space, in the same order.
func excerpt(t testing.TB, root string, b block, path string) {
	data, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(path)))
	if err != nil {
		t.Errorf("%s: %v", b, err)
		return
	}
	src := strings.Split(string(data), "\n")
	at := 0
	for _, want := range strings.Split(b.text, "\n") {
		want = strings.TrimSpace(want)
		if want == "" {
			continue
		}
		for at < len(src) && strings.TrimSpace(src[at]) != want {
			at++
		}
		if at == len(src) {
			t.Errorf("%s: line %q is not in %s (in this order)", b, want, path)
			return
		}
		at++
	}
}

// scenarioKeys are the top-level keys of a scenario file.
var scenarioKeys = map[string]bool{"name": true, "description": true, "seed": true, "start": true, "duration": true,
	"region": true, "accountId": true, "network": true, "images": true, "steps": true, "expect": true, "params": true, "sweep": true}

// checkYAML parses b; one made of scenario keys is checked as a scenario.
func checkYAML(t *testing.T, root string, b block) {
	var doc map[string]any
	if err := yaml.Unmarshal([]byte(b.text), &doc); err != nil {
		t.Errorf("%s: not YAML: %v", b, err)
		return
	}
	for k := range doc {
		if !scenarioKeys[k] {
			return
		}
	}
	text := b.text
	if _, ok := doc["name"]; !ok {
		text = "name: sample\n" + text
	}
	if _, ok := doc["duration"]; !ok {
		text = "duration: 1d\n" + text
	}
	if _, ok := doc["steps"]; !ok {
		text += "steps: [{at: 0s, call: ecs:ListClusters}]\n"
	}
	name := filepath.Join(root, "scenario", "examples", "sample.yaml")
	if _, err := scenario.Parse(name, []byte(text)); err != nil {
		t.Errorf("%s: not a valid scenario: %v", b, err)
	}
}

// build compiles the complete programs in a temporary module that
// requires this one.
func build(t testing.TB, root string, programs []block) {
	if testing.Short() {
		t.Logf("-short: %d programs not built", len(programs))
		return
	}
	dir := t.TempDir()
	mod := fmt.Sprintf("module samples\n\ngo 1.26\n\nrequire github.com/ecssim/ecssim v0.0.0\n\nreplace github.com/ecssim/ecssim => %s\n", root)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "go.mod"), []byte(mod), 0o600))
	sum, err := os.ReadFile(filepath.Join(root, "go.sum"))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "go.sum"), sum, 0o600))
	for i, p := range programs {
		sub := filepath.Join(dir, fmt.Sprintf("p%02d", i))
		require.NoError(t, os.Mkdir(sub, 0o700))
		require.NoError(t, os.WriteFile(filepath.Join(sub, "main.go"), []byte(p.text), 0o600))
	}
	cmd := exec.Command("go", "build", "-mod=mod", "-o", os.DevNull, "./...")
	cmd.Dir = dir
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		msg := out.String()
		for i, p := range programs {
			msg = strings.ReplaceAll(msg, fmt.Sprintf("p%02d/main.go", i), p.String())
		}
		t.Errorf("building the sample programs: %v\n%s", err, msg)
	}
}

// TestBuild shows that complete programs are built, and that a program
// that does not compile fails the check.
func TestBuild(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a module")
	}
	root, err := filepath.Abs("../..")
	require.NoError(t, err)
	good := block{file: "x.md", line: 1, lang: "go", text: `package main

import (
	"fmt"

	"github.com/ecssim/ecssim"
)

func main() {
	w, err := ecssim.New(ecssim.Config{})
	fmt.Println(w.Now(), err)
}
`}
	build(t, root, []block{good})
	bad := good
	bad.text = strings.Replace(good.text, "w.Now()", "w.Later()", 1)
	r := &failRecorder{TB: t}
	build(r, root, []block{bad})
	require.Contains(t, r.msg, "x.md:1 (go)")
	require.Contains(t, r.msg, "Later")
}

type failRecorder struct {
	testing.TB
	msg string
}

func (r *failRecorder) Errorf(format string, args ...any) { r.msg += fmt.Sprintf(format, args...) }

func TestBlocksAndMarkers(t *testing.T) {
	dir := t.TempDir()
	md := "# T\n\n<!-- sample: skip shows a shape -->\n```go\nx := 1\n```\n\ntext\n\n```json\n{\"a\": 1}\n```\n" +
		"  <!--sample: from f.go-->\n  ```go\n  a()\n  ```\n"
	require.NoError(t, os.WriteFile(filepath.Join(dir, "x.md"), []byte(md), 0o600))
	got := blocks(t, dir, "x.md")
	require.Len(t, got, 3)
	require.Equal(t, block{file: "x.md", line: 4, lang: "go", marker: "skip shows a shape", text: "x := 1\n"}, got[0])
	require.Equal(t, block{file: "x.md", line: 10, lang: "json", text: "{\"a\": 1}\n"}, got[1])
	require.Equal(t, "from f.go", got[2].marker)

	require.NoError(t, os.WriteFile(filepath.Join(dir, "f.go"), []byte("package f\n\nfunc g() {\n\ta()\n\tb()\n}\n"), 0o600))
	r := &failRecorder{TB: t}
	excerpt(r, dir, block{text: "a()\nb()\n"}, "f.go")
	require.Empty(t, r.msg)
	excerpt(r, dir, block{text: "b()\na()\n"}, "f.go")
	require.Contains(t, r.msg, `line "a()" is not in f.go (in this order)`)
}

// ecssimCommand returns the arguments of an ecssim command line in a shell
// sample ("ecssim run x.yaml", "go run ./cmd/ecssim run"), without its
// comment, or nil for any other line.
func ecssimCommand(line string) []string {
	if i := strings.Index(line, " #"); i >= 0 {
		line = line[:i]
	}
	f := strings.Fields(line)
	switch {
	case len(f) > 0 && f[0] == "ecssim":
		return f[1:]
	case len(f) > 2 && f[0] == "go" && f[1] == "run" && f[2] == "./cmd/ecssim":
		return f[3:]
	}
	return nil
}

// helpText returns `ecssim SUB --help`, kept in help.
func helpText(t *testing.T, bin string, help map[string]string, b block, sub string) (string, bool) {
	if text, ok := help[sub]; ok {
		return text, true
	}
	c := exec.Command(bin, append(strings.Fields(sub), "--help")...)
	o, err := c.CombinedOutput()
	if err != nil || (sub != "" && !strings.Contains(string(o), "ecssim "+sub)) {
		t.Errorf("%s: `ecssim %s` is not a command: %v\n%s", b, sub, err, o)
		return "", false
	}
	help[sub] = string(o)
	return help[sub], true
}

// listsCommand reports whether a help text lists name among its
// available commands.
func listsCommand(help, name string) bool {
	_, cmds, ok := strings.Cut(help, "Available Commands:")
	if !ok {
		return false
	}
	for _, line := range strings.Split(cmds, "\n") {
		if f := strings.Fields(line); len(f) > 0 && strings.HasPrefix(line, "  ") && f[0] == name {
			return true
		}
		if line != "" && !strings.HasPrefix(line, " ") {
			break // the next section
		}
	}
	return false
}

// checkCommands checks every ecssim command line of the shell samples
// against the command itself: its subcommand must exist and each flag it
// uses must be one that `ecssim SUBCOMMAND --help` lists. It returns how
// many lines it checked.
func checkCommands(t *testing.T, root string, samples []block) int {
	if testing.Short() {
		return 0
	}
	bin := filepath.Join(t.TempDir(), "ecssim")
	cmd := exec.Command("go", "build", "-o", bin, "./cmd/ecssim")
	cmd.Dir = root
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s", out)
	help := map[string]string{}
	n := 0
	for _, b := range samples {
		for _, line := range strings.Split(b.text, "\n") {
			args := ecssimCommand(line)
			if args == nil {
				continue
			}
			sub := ""
			if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
				sub = args[0]
			}
			text, ok := helpText(t, bin, help, b, sub)
			if !ok {
				continue
			}
			// A nested command ("sweep merge") has flags of its own.
			if len(args) > 1 && sub != "" && listsCommand(text, args[1]) {
				sub += " " + args[1]
				if text, ok = helpText(t, bin, help, b, sub); !ok {
					continue
				}
			}
			for _, a := range args {
				if !strings.HasPrefix(a, "--") {
					continue
				}
				flag, _, _ := strings.Cut(a, "=")
				if !strings.Contains(text, flag+" ") && !strings.Contains(text, flag+"\n") {
					t.Errorf("%s: `ecssim %s` has no flag %s", b, sub, flag)
				}
			}
			n++
		}
	}
	return n
}
