package main

import (
	"path/filepath"
	"strings"

	"github.com/ecssim/ecssim/lint"
)

// The SARIF 2.1.0 output of the lint command, which code-scanning tools
// read to show findings on pull requests. Only the members ecssim fills
// are declared. https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html

const (
	sarifVersion = "2.1.0"
	sarifSchema  = "https://json.schemastore.org/sarif-2.1.0.json"
)

type sarifDoc struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool        sarifTool         `json:"tool"`
	Invocations []sarifInvocation `json:"invocations"`
	Results     []sarifResult     `json:"results"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	InformationURI string      `json:"informationUri"`
	Rules          []sarifRule `json:"rules"`
}

type sarifText struct {
	Text string `json:"text"`
}

type sarifRule struct {
	ID                   string            `json:"id"`
	Name                 string            `json:"name"`
	ShortDescription     sarifText         `json:"shortDescription"`
	FullDescription      sarifText         `json:"fullDescription"`
	Help                 sarifText         `json:"help"`
	HelpURI              string            `json:"helpUri,omitempty"`
	DefaultConfiguration sarifRuleConfig   `json:"defaultConfiguration"`
	Properties           map[string]string `json:"properties"`
}

type sarifRuleConfig struct {
	Level string `json:"level"`
}

type sarifInvocation struct {
	ExecutionSuccessful        bool                `json:"executionSuccessful"`
	ToolExecutionNotifications []sarifNotification `json:"toolExecutionNotifications,omitempty"`
}

type sarifNotification struct {
	Level     string          `json:"level"`
	Message   sarifText       `json:"message"`
	Locations []sarifLocation `json:"locations,omitempty"`
}

type sarifResult struct {
	RuleID    string          `json:"ruleId"`
	RuleIndex int             `json:"ruleIndex"`
	Level     string          `json:"level"`
	Message   sarifText       `json:"message"`
	Locations []sarifLocation `json:"locations"`
}

type sarifLocation struct {
	PhysicalLocation sarifPhysical `json:"physicalLocation"`
}

type sarifPhysical struct {
	ArtifactLocation sarifArtifact `json:"artifactLocation"`
	Region           *sarifRegion  `json:"region,omitempty"`
}

type sarifArtifact struct {
	URI string `json:"uri"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn,omitempty"`
}

// sarifLevel maps a severity to a SARIF result level.
func sarifLevel(s string) string {
	if s == lint.Info.String() {
		return "note"
	}
	return s // "warning" and "error" are SARIF levels too
}

// sarifRules lists ECS000 and every rule, in ID order; a result's
// ruleIndex is its rule's position here.
func sarifRules() []*lint.Rule { return append([]*lint.Rule{lint.InvalidInput}, lint.Rules()...) }

func sarifLog(rep lintReport) sarifDoc {
	all := sarifRules()
	index := map[string]int{}
	driver := sarifDriver{Name: "ecssim lint", InformationURI: "https://github.com/ecssim/ecssim/blob/main/docs/lint.md"}
	for i, r := range all {
		index[r.ID] = i
		rule := sarifRule{
			ID: r.ID, Name: r.Name,
			ShortDescription:     sarifText{Text: r.Reason},
			FullDescription:      sarifText{Text: r.Reason + " Fix: " + r.Fix},
			Help:                 sarifText{Text: r.Fix},
			DefaultConfiguration: sarifRuleConfig{Level: sarifLevel(r.Severity.String())},
			Properties:           map[string]string{"source": r.Source},
		}
		if i := strings.Index(r.Source, "https://"); i >= 0 {
			rule.HelpURI, _, _ = strings.Cut(r.Source[i:], ";")
		}
		driver.Rules = append(driver.Rules, rule)
	}
	inv := sarifInvocation{ExecutionSuccessful: true}
	for _, f := range rep.Files {
		if f.Status == statusUnreadable {
			inv.ExecutionSuccessful = false
			inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications, sarifNotification{
				Level: "error", Message: sarifText{Text: "cannot read: " + f.Message},
				Locations: []sarifLocation{{PhysicalLocation: sarifPhysical{ArtifactLocation: sarifArtifact{URI: sarifURI(f.File)}}}},
			})
		}
	}
	results := []sarifResult{}
	for _, f := range rep.Findings {
		loc := sarifPhysical{ArtifactLocation: sarifArtifact{URI: sarifURI(f.File)}}
		if f.Line > 0 {
			loc.Region = &sarifRegion{StartLine: f.Line, StartColumn: f.Column}
		}
		msg := f.Message
		if f.Path != "" {
			msg += " (at " + f.Path + ")"
		}
		results = append(results, sarifResult{RuleID: f.RuleID, RuleIndex: index[f.RuleID], Level: sarifLevel(f.Severity),
			Message: sarifText{Text: msg + ". " + f.Fix}, Locations: []sarifLocation{{PhysicalLocation: loc}}})
	}
	return sarifDoc{Schema: sarifSchema, Version: sarifVersion, Runs: []sarifRun{{
		Tool: sarifTool{Driver: driver}, Invocations: []sarifInvocation{inv}, Results: results,
	}}}
}

// sarifURI turns a file name into a URI reference: relative for a
// relative name, file:// for an absolute one, with forward slashes and the
// characters that URIs reserve escaped.
func sarifURI(file string) string {
	u := strings.NewReplacer("%", "%25", " ", "%20", "#", "%23", "?", "%3F", "<", "%3C", ">", "%3E").Replace(filepath.ToSlash(file))
	if filepath.IsAbs(file) {
		if !strings.HasPrefix(u, "/") {
			u = "/" + u // a Windows drive letter
		}
		return "file://" + u
	}
	return u
}
