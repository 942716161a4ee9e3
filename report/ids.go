package report

import (
	"crypto/sha256"
	"regexp"
	"strconv"
	"strings"

	"github.com/ecssim/ecssim/sim"
)

// EventID returns a record's event id: a version-4-shaped UUID made from
// the SHA-256 of its canonical line, a newline and its sequence number.
// Two runs with the same trace give the same ids, and two identical lines
// at different positions get different ones.
func EventID(r sim.Record) string {
	h := sha256.New()
	h.Write(r.Line)
	h.Write([]byte{'\n'})
	h.Write(strconv.AppendInt(nil, int64(r.Seq), 10))
	var u [16]byte
	copy(u[:], h.Sum(nil))
	u[6] = u[6]&0x0f | 0x40 // version 4
	u[8] = u[8]&0x3f | 0x80 // RFC 4122 variant
	const hex = "0123456789abcdef"
	var b strings.Builder
	b.Grow(36)
	for i, c := range u {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			b.WriteByte('-')
		}
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&0xf])
	}
	return b.String()
}

// ShortID shortens a 32-digit task ID to its first 8 digits and an
// ellipsis, the way the timeline prints it; other strings are returned
// unchanged.
func ShortID(id string) string {
	if len(id) == 32 && isHex(id) {
		return id[:8] + "…"
	}
	return id
}

func isHex(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

var taskIDRE = regexp.MustCompile(`\b[0-9a-f]{32}\b`)

// shortenTasks shortens every task ID (32 hex digits) in a service event
// message, as [ShortID] does.
func shortenTasks(msg string) string {
	return taskIDRE.ReplaceAllStringFunc(msg, ShortID)
}

// taskRunRE matches a run of task references: "(task a) (task b) …".
var taskRunRE = regexp.MustCompile(`\(task [^()\s]+\)(?: \(task [^()\s]+\))*`)

// maxTaskRefs is how many task references a timeline line lists before
// it says how many more there are.
const maxTaskRefs = 5

// compactTasks keeps the first few references of a long run of task
// references and counts the rest: "(task a) … (task e) (and 295 more)".
func compactTasks(msg string) string {
	return taskRunRE.ReplaceAllStringFunc(msg, func(run string) string {
		refs := strings.SplitAfter(run, ")")
		n := 0
		for _, r := range refs {
			if strings.TrimSpace(r) != "" {
				n++
			}
		}
		if n <= maxTaskRefs+1 {
			return run
		}
		return strings.Join(refs[:maxTaskRefs], "") + " (and " + strconv.Itoa(n-maxTaskRefs) + " more)"
	})
}
