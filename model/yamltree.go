package model

import (
	"fmt"
	"strings"

	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
)

// A yamlNode is a YAML value with the position of its text in the file, so
// that every error about a model can point at the offending line. Mapping
// keys keep their order: groups, constants and init expressions are ordered.
type yamlNode struct {
	kind    yamlKind
	text    string // scalar text (strings unquoted); empty for null
	line    int    // 1-based line of the value's text
	col     int    // 1-based column of the value's text
	block   bool   // a literal or folded block scalar: text starts on its own line
	entries []yamlEntry
	items   []*yamlNode
}

type yamlKind int

const (
	yamlNull yamlKind = iota
	yamlScalar
	yamlMap
	yamlSeq
)

func (k yamlKind) String() string {
	return [...]string{"nothing", "a value", "a mapping", "a list"}[k]
}

type yamlEntry struct {
	key   string
	line  int
	col   int
	value *yamlNode
}

// get returns the value of key in a mapping, or nil.
func (n *yamlNode) get(key string) *yamlNode {
	if n == nil {
		return nil
	}
	for _, e := range n.entries {
		if e.key == key {
			return e.value
		}
	}
	return nil
}

// parseYAML parses a whole document into a yamlNode tree.
func parseYAML(src []byte) (*yamlNode, error) {
	f, err := parser.ParseBytes(src, 0)
	if err != nil {
		return nil, yamlSyntaxError(err, src)
	}
	if len(f.Docs) == 0 || f.Docs[0].Body == nil {
		return &yamlNode{kind: yamlMap, line: 1, col: 1}, nil
	}
	if len(f.Docs) > 1 {
		return nil, fmt.Errorf("line %d: a model file holds one YAML document, found %d", f.Docs[1].GetToken().Position.Line, len(f.Docs))
	}
	c := &yamlConverter{lines: strings.Split(string(src), "\n"), anchors: map[string]*yamlNode{}}
	return c.convert(f.Docs[0].Body)
}

// A yamlConverter turns goccy's syntax tree into yamlNodes. It keeps the
// anchors seen so far, so that aliases (*name) and merge keys (<<: *name)
// can share one definition between several groups or synapses.
type yamlConverter struct {
	lines   []string
	anchors map[string]*yamlNode
}

// yamlSyntaxError shortens goccy's multi-line report to "line L, column C:
// msg" and shows the line where the parser stopped, and the one before,
// where the cause (an unclosed bracket or quote) often is.
func yamlSyntaxError(err error, src []byte) error {
	msg := err.Error()
	var line, col int
	if _, scanErr := fmt.Sscanf(msg, "[%d:%d]", &line, &col); scanErr == nil {
		first := msg
		if k := strings.IndexByte(first, '\n'); k >= 0 {
			first = first[:k]
		}
		if k := strings.Index(first, "] "); k >= 0 {
			first = first[k+2:]
		}
		return &Error{Line: line, Col: col, Msg: "YAML syntax error: " + first, Context: excerpt(src, line, col)}
	}
	return &Error{Msg: "YAML syntax error: " + msg}
}

// excerpt prints lines line-1 and line of src, numbered, with a caret
// under column col.
func excerpt(src []byte, line, col int) string {
	lines := strings.Split(string(src), "\n")
	if line < 1 || line > len(lines) {
		return ""
	}
	var b strings.Builder
	width := len(fmt.Sprint(line))
	for n := max(line-1, 1); n <= line; n++ {
		fmt.Fprintf(&b, "  %*d | %s\n", width, n, strings.TrimRight(lines[n-1], "\r"))
	}
	fmt.Fprintf(&b, "  %*s   %s^", width, "", strings.Repeat(" ", max(col-1, 0)))
	return b.String()
}

func (c *yamlConverter) convert(n ast.Node) (*yamlNode, error) {
	lines := c.lines
	tk := n.GetToken()
	pos := tk.Position
	out := &yamlNode{line: pos.Line, col: pos.Column}
	switch v := n.(type) {
	case *ast.NullNode:
		out.kind = yamlNull
	case *ast.StringNode:
		out.kind = yamlScalar
		out.text = v.Value
		if tk.Type.String() != "String" && pos.Column > 0 && pos.Line-1 < len(lines) {
			// quoted: the text starts after the quote
			if c := lines[pos.Line-1]; pos.Column-1 < len(c) && (c[pos.Column-1] == '"' || c[pos.Column-1] == '\'') {
				out.col++
			}
		}
	case *ast.LiteralNode:
		out.kind = yamlScalar
		out.text = v.Value.Value
		out.block = true
		out.line = v.Value.GetToken().Position.Line
		out.col = 1
		if out.line-1 < len(lines) {
			l := lines[out.line-1]
			out.col = len(l) - len(strings.TrimLeft(l, " \t")) + 1
		}
	case *ast.IntegerNode, *ast.FloatNode, *ast.BoolNode, *ast.InfinityNode, *ast.NanNode:
		out.kind = yamlScalar
		out.text = tk.Value
	case *ast.MappingNode:
		out.kind = yamlMap
		if err := c.addEntries(out, v.Values); err != nil {
			return nil, err
		}
	case *ast.MappingValueNode:
		out.kind = yamlMap
		if err := c.addEntries(out, []*ast.MappingValueNode{v}); err != nil {
			return nil, err
		}
	case *ast.SequenceNode:
		out.kind = yamlSeq
		for _, item := range v.Values {
			it, err := c.convert(item)
			if err != nil {
				return nil, err
			}
			out.items = append(out.items, it)
		}
	case *ast.TagNode:
		return c.convert(v.Value)
	case *ast.AnchorNode:
		val, err := c.convert(v.Value)
		if err != nil {
			return nil, err
		}
		c.anchors[v.Name.GetToken().Value] = val
		return val, nil
	case *ast.AliasNode:
		name := v.Value.GetToken().Value
		val, ok := c.anchors[name]
		if !ok {
			return nil, &Error{Line: pos.Line, Col: pos.Column, Msg: fmt.Sprintf("alias *%s names no anchor &%s defined above it", name, name)}
		}
		return val, nil
	default:
		return nil, &Error{Line: pos.Line, Col: pos.Column, Msg: fmt.Sprintf("unsupported YAML construct %s", n.Type())}
	}
	return out, nil
}

// addEntries adds a mapping's entries to m. A merge key (<<: *name, or a
// list of aliases) copies the entries of the named mappings that m does not
// set itself, where the merge key stands; of several merged mappings the
// first that sets a key wins, as in YAML's merge-key convention.
func (c *yamlConverter) addEntries(m *yamlNode, values []*ast.MappingValueNode) error {
	type merge struct {
		at   int
		from []*yamlNode
	}
	var merges []merge
	for _, mv := range values {
		if _, isMerge := mv.Key.(*ast.MergeKeyNode); isMerge {
			from, err := c.mergeSources(mv)
			if err != nil {
				return err
			}
			merges = append(merges, merge{at: len(m.entries), from: from})
			continue
		}
		if err := c.addEntry(m, mv); err != nil {
			return err
		}
	}
	if len(merges) == 0 {
		return nil
	}
	set := map[string]bool{}
	for _, e := range m.entries {
		set[e.key] = true
	}
	var out []yamlEntry
	next := 0
	for _, mg := range merges {
		out = append(out, m.entries[next:mg.at]...)
		next = mg.at
		for _, src := range mg.from {
			for _, e := range src.entries {
				if !set[e.key] {
					set[e.key] = true
					out = append(out, e)
				}
			}
		}
	}
	m.entries = append(out, m.entries[next:]...)
	if len(m.entries) > 0 {
		m.line, m.col = m.entries[0].line, m.entries[0].col
	}
	return nil
}

// mergeSources returns the mappings a merge key names.
func (c *yamlConverter) mergeSources(mv *ast.MappingValueNode) ([]*yamlNode, error) {
	kt := mv.Key.GetToken()
	bad := &Error{Line: kt.Position.Line, Col: kt.Position.Column, Msg: "a merge key (<<) takes a mapping or a list of mappings, e.g. <<: *lif"}
	if mv.Value == nil {
		return nil, bad
	}
	v, err := c.convert(mv.Value)
	if err != nil {
		return nil, err
	}
	switch v.kind {
	case yamlMap:
		return []*yamlNode{v}, nil
	case yamlSeq:
		for _, it := range v.items {
			if it.kind != yamlMap {
				return nil, bad
			}
		}
		return v.items, nil
	}
	return nil, bad
}

func (c *yamlConverter) addEntry(m *yamlNode, mv *ast.MappingValueNode) error {
	kt := mv.Key.GetToken()
	key := kt.Value
	if s, ok := mv.Key.(*ast.StringNode); ok {
		key = s.Value
	}
	for _, e := range m.entries {
		if e.key == key {
			return &Error{Line: kt.Position.Line, Col: kt.Position.Column, Msg: fmt.Sprintf("duplicate key '%s' (first at line %d)", key, e.line)}
		}
	}
	var value *yamlNode
	if mv.Value == nil {
		value = &yamlNode{kind: yamlNull, line: kt.Position.Line, col: kt.Position.Column}
	} else {
		var err error
		if value, err = c.convert(mv.Value); err != nil {
			return err
		}
		if value.kind == yamlNull {
			value.line, value.col = kt.Position.Line, kt.Position.Column
		}
	}
	if len(m.entries) == 0 {
		m.line, m.col = kt.Position.Line, kt.Position.Column
	}
	m.entries = append(m.entries, yamlEntry{key: key, line: kt.Position.Line, col: kt.Position.Column, value: value})
	return nil
}
