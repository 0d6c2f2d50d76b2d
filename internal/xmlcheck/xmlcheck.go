// Package xmlcheck checks that an export loses nothing of the XML it was
// decoded from: every leaf value (the text of an element without child
// elements) and every attribute value inside the items of an answer
// appears among the values of the JSON export. Tests of the report decoders use it on golden and fuzzed
// answers.
//
// A value appears when it equals (both trimmed of white space) a JSON
// string, or a leaf of XML kept whole inside a JSON string (an unknown
// element's "xml"), or, for a number, a JSON number of the same value,
// or, for a boolean (1, true, ...), a JSON boolean of the same value (a
// false one may be left out, as the default). Namespace declarations are
// not values: elements are matched by local name in any namespace.
package xmlcheck

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// Lost returns the values of the items (children named item of the root
// element) of answer that do not appear in export, a JSON document, each
// as "path: value". A malformed answer or export is an error.
func Lost(answer []byte, item string, export []byte) ([]string, error) {
	leaves, err := itemLeaves(answer, item)
	if err != nil {
		return nil, err
	}
	have, err := exported(export)
	if err != nil {
		return nil, err
	}
	var lost []string
	for _, l := range leaves {
		if !have.holds(l.value) {
			lost = append(lost, l.path+": "+strconv.Quote(l.value))
		}
	}
	return lost, nil
}

type leaf struct{ path, value string }

// itemLeaves walks the answer's tokens and collects the values inside
// items: attributes, and the text of elements without child elements
// (text between child elements is layout, not a value).
func itemLeaves(answer []byte, item string) ([]leaf, error) {
	d := xml.NewDecoder(bytes.NewReader(answer))
	var path []string
	var text []string // per open element
	var parent []bool // per open element: has a child element
	var out []leaf
	inItem := func() bool { return len(path) >= 2 && path[1] == item }
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if len(parent) > 0 {
				parent[len(parent)-1] = true
			}
			path = append(path, t.Name.Local)
			text = append(text, "")
			parent = append(parent, false)
			if !inItem() {
				continue
			}
			for _, a := range t.Attr {
				if a.Name.Space == "xmlns" || (a.Name.Space == "" && a.Name.Local == "xmlns") {
					continue
				}
				if v := strings.TrimSpace(a.Value); v != "" {
					out = append(out, leaf{strings.Join(path, "/") + "/@" + a.Name.Local, v})
				}
			}
		case xml.EndElement:
			last := len(path) - 1
			if v := strings.TrimSpace(text[last]); v != "" && !parent[last] && inItem() {
				out = append(out, leaf{strings.Join(path, "/"), v})
			}
			path, text, parent = path[:last], text[:last], parent[:last]
		case xml.CharData:
			if len(text) > 0 {
				text[len(text)-1] += string(t)
			}
		}
	}
}

// values are what a JSON export holds.
type values struct {
	strings map[string]bool
	numbers []float64
	isTrue  bool
}

func exported(doc []byte) (*values, error) {
	v := &values{strings: map[string]bool{}}
	d := json.NewDecoder(bytes.NewReader(doc))
	d.UseNumber()
	var x any
	if err := d.Decode(&x); err != nil {
		return nil, fmt.Errorf("the export is not JSON: %w", err)
	}
	v.add(x)
	return v, nil
}

func (v *values) add(x any) {
	switch x := x.(type) {
	case map[string]any:
		for _, e := range x {
			v.add(e)
		}
	case []any:
		for _, e := range x {
			v.add(e)
		}
	case string:
		v.strings[strings.TrimSpace(x)] = true
		if strings.ContainsAny(x, "<&") {
			v.addXML(x)
		}
	case json.Number:
		if f, err := x.Float64(); err == nil {
			v.numbers = append(v.numbers, f)
		}
		v.strings[x.String()] = true
	case bool:
		v.isTrue = v.isTrue || x
	}
}

// addXML adds the values of XML kept whole in a string.
func (v *values) addXML(s string) {
	d := xml.NewDecoder(strings.NewReader("<x>" + s + "</x>"))
	for {
		tok, err := d.Token()
		if err != nil {
			return
		}
		switch t := tok.(type) {
		case xml.StartElement:
			for _, a := range t.Attr {
				v.strings[strings.TrimSpace(a.Value)] = true
			}
		case xml.CharData:
			v.strings[strings.TrimSpace(string(t))] = true
		}
	}
}

func (v *values) holds(s string) bool {
	if v.strings[s] {
		return true
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil && !math.IsNaN(f) {
		for _, n := range v.numbers {
			if n == f {
				return true
			}
		}
	}
	if b, err := strconv.ParseBool(s); err == nil {
		return !b || v.isTrue
	}
	return false
}
