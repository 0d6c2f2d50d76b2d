package report

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"net/url"
	"strings"

	"github.com/brcs-toolkit/brcs/brcs"
	"github.com/brcs-toolkit/brcs/internal/textsafe"
)

// jsonFinding is one element of the JSON format's array.
type jsonFinding struct {
	Path      string      `json:"path"`
	Line      int         `json:"line"`
	Column    int         `json:"column"`
	EndLine   int         `json:"end_line"`
	EndColumn int         `json:"end_column"`
	Severity  string      `json:"severity"`
	Rule      string      `json:"rule"`
	Message   string      `json:"message"`
	Fix       []brcs.Edit `json:"fix"`
}

func writeJSON(w io.Writer, ds []brcs.Diagnostic) error {
	out := make([]jsonFinding, 0, len(ds))
	for _, d := range ds {
		out = append(out, jsonFinding{
			Path: d.File, Line: d.Start.Line, Column: d.Start.Column, EndLine: d.End.Line, EndColumn: d.End.Column,
			Severity: d.Severity.String(), Rule: d.Rule, Message: d.Message, Fix: edits(d),
		})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// SARIF 2.1.0, the parts this tool fills.
type (
	sarifLog struct {
		Schema  string     `json:"$schema"`
		Version string     `json:"version"`
		Runs    []sarifRun `json:"runs"`
	}
	sarifRun struct {
		Tool       sarifTool     `json:"tool"`
		Results    []sarifResult `json:"results"`
		ColumnKind string        `json:"columnKind"`
	}
	sarifTool struct {
		Driver sarifDriver `json:"driver"`
	}
	sarifDriver struct {
		Name           string      `json:"name"`
		Version        string      `json:"version,omitempty"`
		InformationURI string      `json:"informationUri,omitempty"`
		Rules          []sarifRule `json:"rules"`
	}
	sarifText struct {
		Text     string `json:"text"`
		Markdown string `json:"markdown,omitempty"`
	}
	sarifRule struct {
		ID                   string          `json:"id"`
		Name                 string          `json:"name"`
		ShortDescription     sarifText       `json:"shortDescription"`
		FullDescription      sarifText       `json:"fullDescription"`
		Help                 sarifText       `json:"help"`
		DefaultConfiguration sarifRuleConfig `json:"defaultConfiguration"`
	}
	sarifRuleConfig struct {
		Level string `json:"level"`
	}
	sarifResult struct {
		RuleID    string          `json:"ruleId"`
		RuleIndex int             `json:"ruleIndex"`
		Level     string          `json:"level"`
		Message   sarifText       `json:"message"`
		Locations []sarifLocation `json:"locations"`
	}
	sarifLocation struct {
		PhysicalLocation sarifPhysical `json:"physicalLocation"`
	}
	sarifPhysical struct {
		ArtifactLocation sarifArtifact `json:"artifactLocation"`
		Region           sarifRegion   `json:"region"`
	}
	sarifArtifact struct {
		URI string `json:"uri"`
	}
	sarifRegion struct {
		StartLine   int `json:"startLine"`
		StartColumn int `json:"startColumn"`
		EndLine     int `json:"endLine"`
		EndColumn   int `json:"endColumn"`
	}
)

func sarifLevel(s brcs.Severity) string {
	switch s {
	case brcs.Error:
		return "error"
	case brcs.Warning:
		return "warning"
	}
	return "note"
}

// uriOf turns a slash path into a relative URI reference.
func uriOf(path string) string {
	return (&url.URL{Path: strings.ReplaceAll(path, "\\", "/")}).String()
}

func writeSARIF(w io.Writer, ds []brcs.Diagnostic, tool Tool) error {
	rules := brcs.Rules()
	index := map[string]int{}
	driver := sarifDriver{Name: tool.Name, Version: tool.Version, InformationURI: tool.URI, Rules: make([]sarifRule, 0, len(rules))}
	for i, r := range rules {
		index[r.Name] = i
		help := fmt.Sprintf("%s\n\nWrong:\n%s\n\nRight:\n%s", r.Help, r.Bad, r.Good)
		md := fmt.Sprintf("%s\n\nWrong:\n\n```\n%s\n```\n\nRight:\n\n```\n%s\n```", r.Help, r.Bad, r.Good)
		driver.Rules = append(driver.Rules, sarifRule{
			ID: r.Name, Name: r.Name,
			ShortDescription:     sarifText{Text: r.Summary},
			FullDescription:      sarifText{Text: r.Help},
			Help:                 sarifText{Text: help, Markdown: md},
			DefaultConfiguration: sarifRuleConfig{Level: sarifLevel(r.Severity)},
		})
	}
	results := make([]sarifResult, 0, len(ds))
	for _, d := range ds {
		region := sarifRegion{StartLine: max(1, d.Start.Line), StartColumn: max(1, d.Start.Column), EndLine: max(1, d.End.Line), EndColumn: max(1, d.End.Column)}
		if region.EndLine < region.StartLine || region.EndLine == region.StartLine && region.EndColumn <= region.StartColumn {
			// An empty span: mark the one character it stands before.
			region.EndLine, region.EndColumn = region.StartLine, region.StartColumn+1
		}
		results = append(results, sarifResult{
			RuleID: d.Rule, RuleIndex: index[d.Rule], Level: sarifLevel(d.Severity),
			Message:   sarifText{Text: d.Message},
			Locations: []sarifLocation{{PhysicalLocation: sarifPhysical{ArtifactLocation: sarifArtifact{URI: uriOf(d.File)}, Region: region}}},
		})
	}
	log := sarifLog{
		Schema:  "https://json.schemastore.org/sarif-2.1.0.json",
		Version: "2.1.0",
		Runs:    []sarifRun{{Tool: sarifTool{Driver: driver}, Results: results, ColumnKind: "unicodeCodePoints"}},
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(log)
}

// escapeData and escapeProperty escape as the GitHub Actions toolkit does
// (@actions/core, command.ts).
func escapeData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

func escapeProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}

// gitHubPath escapes what could disguise a path in GitHub's page (ESC,
// bidi controls, look-alike spaces) and keeps CR and LF, which
// escapeProperty carries faithfully (%0D, %0A), so that the annotation
// still names the real file and no line can start a workflow command.
func gitHubPath(p string) string {
	var b strings.Builder
	for _, part := range strings.SplitAfter(p, "\n") {
		line, nl := strings.CutSuffix(part, "\n")
		for i, seg := range strings.Split(line, "\r") {
			if i > 0 {
				b.WriteByte('\r')
			}
			b.WriteString(textsafe.Escape(seg))
		}
		if nl {
			b.WriteByte('\n')
		}
	}
	return b.String()
}

func writeGitHub(w io.Writer, ds []brcs.Diagnostic, tool Tool) error {
	for _, d := range ds {
		cmd := map[brcs.Severity]string{brcs.Error: "error", brcs.Warning: "warning", brcs.Info: "notice"}[d.Severity]
		title := d.Rule
		if tool.Name != "" {
			title = tool.Name + ": " + d.Rule
		}
		_, err := fmt.Fprintf(w, "::%s file=%s,line=%d,col=%d,endLine=%d,endColumn=%d,title=%s::%s\n", cmd,
			escapeProperty(gitHubPath(d.File)), d.Start.Line, d.Start.Column, d.End.Line, d.End.Column, escapeProperty(title), escapeData(textsafe.Escape(d.Message)))
		if err != nil {
			return err
		}
	}
	return nil
}

type (
	checkstyleXML struct {
		XMLName xml.Name         `xml:"checkstyle"`
		Version string           `xml:"version,attr"`
		Files   []checkstyleFile `xml:"file"`
	}
	checkstyleFile struct {
		Name   string            `xml:"name,attr"`
		Errors []checkstyleError `xml:"error"`
	}
	checkstyleError struct {
		Line     int    `xml:"line,attr"`
		Column   int    `xml:"column,attr"`
		Severity string `xml:"severity,attr"`
		Message  string `xml:"message,attr"`
		Source   string `xml:"source,attr"`
	}
)

func writeCheckstyle(w io.Writer, ds []brcs.Diagnostic, files []File, tool Tool) error {
	prefix := tool.Name
	if prefix == "" {
		prefix = "brcs"
	}
	out := checkstyleXML{Version: "4.3"}
	byPath := map[string]int{}
	for _, p := range sortedPaths(files, ds) {
		byPath[p] = len(out.Files)
		out.Files = append(out.Files, checkstyleFile{Name: p})
	}
	for _, d := range ds {
		f := &out.Files[byPath[d.File]]
		f.Errors = append(f.Errors, checkstyleError{Line: d.Start.Line, Column: d.Start.Column, Severity: d.Severity.String(), Message: d.Message, Source: prefix + "." + d.Rule})
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(out); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}
