package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/ecssim/ecssim/lint"
)

// FuzzValidate feeds arbitrary bytes to the validate command's check of
// one document, as "ecssim validate -" reads it from standard input: it
// must give a result with a known status and, unless ok, a message; never
// panic.
func FuzzValidate(f *testing.F) {
	for _, pattern := range []string{"testdata/validate/*.json", "../../ecs/testdata/taskdefs/*.json", "testdata/run/errors/*.yaml", "../../scenario/examples/*.yaml"} {
		files, _ := filepath.Glob(pattern)
		for _, file := range files {
			if b, err := os.ReadFile(file); err == nil {
				f.Add(b)
			}
		}
	}
	for _, s := range []string{"", "{}", "[]", "null", `{"family":"a"}`, `{"serviceName":"a"}`, `{"PolicyName":"p"}`,
		`{"operation":"RegisterTaskDefinition","input":{"family":"x"}}`, `{"taskDefinition":{"family":"x"}}`, "steps: []", "duration: 1d2562047h47m16s\nsteps: []"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r := validateFile("-", "", bytes.NewReader(data))
		switch r.Status {
		case statusOK:
		case statusInvalid, statusUnreadable:
			if r.Message == "" {
				t.Fatalf("%s without a message: %+v", r.Status, r)
			}
		default:
			t.Fatalf("unknown status %q", r.Status)
		}
		_ = r.line()
	})
}

// FuzzLint feeds arbitrary bytes to the lint command's check of one
// document read from standard input: every finding names a rule and a
// message, the SARIF log of the run can be built, and nothing panics.
func FuzzLint(f *testing.F) {
	for _, pattern := range []string{"testdata/lint/*.json", "testdata/lint/*.yaml", "../../scenario/examples/*.yaml"} {
		files, _ := filepath.Glob(pattern)
		for _, file := range files {
			if b, err := os.ReadFile(file); err == nil {
				f.Add(b)
			}
		}
	}
	for _, s := range []string{"", "{}", "[]", `{"family":"a","containerDefinitions":[{}]}`, `{"serviceName":"a","deploymentConfiguration":{}}`,
		`{"PolicyName":"p","TargetTrackingScalingPolicyConfiguration":null}`, `{"operation":"CreateService","input":{"serviceName":"x"}}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		lf, findings := lintFile("-", bytes.NewReader(data), lint.Options{})
		if lf.Status != statusLinted && lf.Status != statusInvalid && lf.Status != statusUnreadable {
			t.Fatalf("unknown status %q", lf.Status)
		}
		for _, f := range findings {
			if f.RuleID == "" || f.Message == "" {
				t.Fatalf("a finding without a rule or message: %+v", f)
			}
		}
		_ = sarifLog(lintReport{Files: []lintedFile{lf}, Findings: findings})
	})
}
