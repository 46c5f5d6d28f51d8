//! Parsing and filling one template.

use std::collections::BTreeSet;

use desk_model::document::line_col;

/// A parsed template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    nodes: Vec<Node>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Node {
    Text(String),
    Field(String),
    /// Kept when the field has text (`{{#f}}`), or when it has none (`{{^f}}`).
    Section { field: String, when_empty: bool, body: Vec<Node> },
}

/// What is wrong with a template, and where (1-based line and column, in characters).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}, column {column}: {message}")]
pub struct TemplateError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl Template {
    /// Parses a template. `known` lists the fields that exist; any other name
    /// is an error, so a typo cannot silently print nothing. Returns the first
    /// problem; [`Template::parse_all`] returns every one.
    pub fn parse(source: &str, known: &[&str]) -> Result<Template, TemplateError> {
        let (template, problems) = Template::parse_all(source, known);
        match problems.into_iter().next() {
            None => Ok(template),
            Some(p) => {
                let (line, column) = line_col(source, p.start);
                Err(TemplateError { line, column, message: p.message })
            }
        }
    }

    /// Parses a template and returns every problem found, in the order found,
    /// with byte ranges into `source` (not the first one only: the editor
    /// flags them all as they are typed). The template is usable only when
    /// the list is empty.
    pub fn parse_all(source: &str, known: &[&str]) -> (Template, Vec<Problem>) {
        let stripped = Stripped::new(source);
        let (nodes, mut problems) = parse_recovering(&stripped.text, known);
        for p in &mut problems {
            p.start = stripped.to_original(p.start);
            p.end = stripped.to_original_end(p.end).max(p.start);
        }
        (Template { nodes }, problems)
    }

    /// Fills the template. `value` returns a field's text (empty when unset).
    pub fn fill(&self, value: &dyn Fn(&str) -> String) -> String {
        let mut out = String::new();
        fill_nodes(&self.nodes, value, &mut out);
        out
    }

    /// The fields the template uses, anywhere.
    pub fn fields_used(&self) -> BTreeSet<String> {
        let mut set = BTreeSet::new();
        collect(&self.nodes, &mut set);
        set
    }
}

fn push_text(nodes: &mut Vec<Node>, text: &str) {
    if text.is_empty() {
        return;
    }
    if let Some(Node::Text(t)) = nodes.last_mut() {
        t.push_str(text);
    } else {
        nodes.push(Node::Text(text.to_string()));
    }
}

fn fill_nodes(nodes: &[Node], value: &dyn Fn(&str) -> String, out: &mut String) {
    for node in nodes {
        match node {
            Node::Text(t) => out.push_str(t),
            Node::Field(f) => out.push_str(&value(f)),
            Node::Section { field, when_empty, body } => {
                let empty = value(field).trim().is_empty();
                if empty == *when_empty {
                    fill_nodes(body, value, out);
                }
            }
        }
    }
}

fn collect(nodes: &[Node], set: &mut BTreeSet<String>) {
    for node in nodes {
        match node {
            Node::Text(_) => {}
            Node::Field(f) => {
                set.insert(f.clone());
            }
            Node::Section { field, body, .. } => {
                set.insert(field.clone());
                collect(body, set);
            }
        }
    }
}

/// A problem in a template: a byte range of the source and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub start: usize,
    pub end: usize,
    pub message: String,
}

/// The source with standalone section-tag lines reduced to their tag, and a
/// map back to the original offsets (so problems name the line as written).
struct Stripped {
    text: String,
    /// (offset in `text`, offset in the original) at the start of each piece.
    map: Vec<(usize, usize)>,
}

impl Stripped {
    /// A line holding nothing but a section tag (`{{#cause}}`, `{{/cause}}`) is
    /// removed with its line break, so templates can put tags on lines of their own.
    fn new(source: &str) -> Stripped {
        let mut text = String::with_capacity(source.len());
        let mut map = Vec::new();
        let mut at = 0;
        for line in source.split_inclusive('\n') {
            let t = line.trim();
            let standalone = t.starts_with("{{")
                && t.ends_with("}}")
                && t.matches("{{").count() == 1
                && matches!(t[2..].trim_start().chars().next(), Some('#' | '^' | '/'));
            if standalone {
                // Keep the tag, drop the surrounding whitespace and the line break.
                let lead = line.len() - line.trim_start().len();
                map.push((text.len(), at + lead));
                text.push_str(t);
            } else {
                map.push((text.len(), at));
                text.push_str(line);
            }
            at += line.len();
        }
        map.push((text.len(), at));
        Stripped { text, map }
    }

    fn to_original(&self, at: usize) -> usize {
        let i = self.map.partition_point(|(s, _)| *s <= at).saturating_sub(1);
        let (s, o) = self.map.get(i).copied().unwrap_or((0, 0));
        o + (at - s)
    }

    /// An exclusive end: mapped through its last byte, so a range never
    /// swallows a removed line break.
    fn to_original_end(&self, end: usize) -> usize {
        if end == 0 {
            0
        } else {
            self.to_original(end - 1) + 1
        }
    }
}

type Open = (String, bool, Vec<Node>, usize, usize);

/// How deep sections may nest. Real templates use one or two levels.
pub const MAX_DEPTH: usize = 16;

/// The parser: keeps going after a problem so that every problem is found.
fn parse_recovering(source: &str, known: &[&str]) -> (Vec<Node>, Vec<Problem>) {
    let mut problems = Vec::new();
    let mut stack: Vec<Open> = Vec::new();
    let mut nodes: Vec<Node> = Vec::new();
    let mut at = 0;
    let mut problem = |start: usize, end: usize, message: String| problems.push(Problem { start, end, message });
    let line_end = |from: usize| source[from..].find('\n').map_or(source.len(), |i| from + i);
    while at < source.len() {
        let rest = &source[at..];
        let Some(open) = rest.find("{{") else {
            stray_closers(rest, at, &mut problem);
            push_text(current(&mut stack, &mut nodes), rest);
            break;
        };
        stray_closers(&rest[..open], at, &mut problem);
        push_text(current(&mut stack, &mut nodes), &rest[..open]);
        let tag_at = at + open;
        let after = &rest[open + 2..];
        let close = after.find("}}");
        let reopen = after.find("{{");
        let close = match (close, reopen) {
            (Some(c), Some(r)) if r < c => None,
            (c, _) => c,
        };
        let Some(close) = close else {
            problem(tag_at, line_end(tag_at).max(tag_at + 2), "`{{` is never closed with `}}`".into());
            // Read the braces as text and go on after them.
            push_text(current(&mut stack, &mut nodes), "{{");
            at = tag_at + 2;
            continue;
        };
        let tag_end = tag_at + 2 + close + 2;
        let tag = after[..close].trim();
        let (sigil, name) = match tag.chars().next() {
            Some(c @ ('#' | '^' | '/')) => (Some(c), tag[1..].trim()),
            _ => (None, tag),
        };
        at = tag_end;
        if name.is_empty() {
            problem(tag_at, tag_end, "an empty `{{}}` names no field".into());
            continue;
        }
        if name.starts_with('{') {
            problem(
                tag_at,
                tag_end,
                "`{{{` is not supported: values are always inserted as plain text; write `{{field}}`".into(),
            );
            continue;
        }
        if !known.contains(&name) {
            problem(tag_at, tag_end, format!("`{name}` is not a field; the fields are: {}", known.join(", ")));
        }
        match sigil {
            None => current(&mut stack, &mut nodes).push(Node::Field(name.to_string())),
            Some(c @ ('#' | '^')) => {
                if stack.len() == MAX_DEPTH {
                    problem(tag_at, tag_end, format!("sections nest more than {MAX_DEPTH} deep"));
                }
                stack.push((name.to_string(), c == '^', Vec::new(), tag_at, tag_end))
            }
            // Look a bounded way down, so hostile input cannot make this quadratic.
            Some(_) => match stack.iter().rev().take(MAX_DEPTH + 1).position(|(open_name, ..)| open_name == name).map(|k| stack.len() - 1 - k) {
                Some(i) => {
                    if i + 1 != stack.len() {
                        let open_name = &stack[stack.len() - 1].0;
                        problem(tag_at, tag_end, format!("`{{{{/{name}}}}}` closes `{open_name}`, which is still open; close `{open_name}` first"));
                    }
                    // Close everything down to the named section.
                    while stack.len() > i + 1 {
                        let (_, _, body, ..) = stack.pop().expect("deeper than i");
                        current(&mut stack, &mut nodes).extend(body);
                    }
                    let (field, when_empty, body, ..) = stack.pop().expect("found at i");
                    if i < MAX_DEPTH {
                        current(&mut stack, &mut nodes).push(Node::Section { field, when_empty, body });
                    } else {
                        // Too deep (already reported): never build it, so nothing recurses that far.
                        current(&mut stack, &mut nodes).extend(body);
                    }
                }
                None => match stack.last() {
                    Some((open_name, ..)) => problem(tag_at, tag_end, format!("`{{{{/{name}}}}}` closes `{open_name}`, which is still open; close `{open_name}` first")),
                    None => problem(tag_at, tag_end, format!("`{{{{/{name}}}}}` closes a section that was never opened")),
                },
            },
        }
    }
    while let Some((name, _, body, start, end)) = stack.pop() {
        problem(start, end, format!("the section `{name}` is never closed with `{{{{/{name}}}}}`"));
        current(&mut stack, &mut nodes).extend(body);
    }
    (nodes, problems)
}

/// `}}` in plain text closes nothing: flag each.
fn stray_closers(text: &str, base: usize, problem: &mut impl FnMut(usize, usize, String)) {
    let mut from = 0;
    while let Some(i) = text[from..].find("}}") {
        let start = base + from + i;
        problem(start, start + 2, "`}}` without a matching `{{`".into());
        from += i + 2;
    }
}

fn current<'a>(stack: &'a mut [Open], nodes: &'a mut Vec<Node>) -> &'a mut Vec<Node> {
    match stack.last_mut() {
        Some(top) => &mut top.2,
        None => nodes,
    }
}
#[cfg(test)]
mod tests {
    use super::*;

    const KNOWN: &[&str] = &["title", "cause", "symptoms"];

    fn fill(src: &str, vals: &[(&str, &str)]) -> String {
        let t = Template::parse(src, KNOWN).unwrap();
        t.fill(&|f| vals.iter().find(|(k, _)| *k == f).map(|(_, v)| v.to_string()).unwrap_or_default())
    }

    #[test]
    fn substitutes_fields() {
        assert_eq!(fill("障害: {{title}}。", &[("title", "ログイン")]), "障害: ログイン。");
    }

    #[test]
    fn omits_sections_whose_field_is_empty() {
        let src = "A\n{{#cause}}\n■ 原因\n{{cause}}\n{{/cause}}\nB\n";
        assert_eq!(fill(src, &[]), "A\nB\n");
        assert_eq!(fill(src, &[("cause", "証明書の期限切れ")]), "A\n■ 原因\n証明書の期限切れ\nB\n");
    }

    #[test]
    fn inverted_sections_show_only_when_empty() {
        let src = "{{^cause}}原因は調査中です。{{/cause}}{{#cause}}{{cause}}{{/cause}}";
        assert_eq!(fill(src, &[]), "原因は調査中です。");
        assert_eq!(fill(src, &[("cause", "設定の誤り")]), "設定の誤り");
    }

    #[test]
    fn whitespace_only_values_count_as_empty() {
        assert_eq!(fill("{{#cause}}x{{/cause}}", &[("cause", "  \n")]), "");
    }

    #[test]
    fn unknown_fields_are_errors_with_their_place() {
        let e = Template::parse("ok\n  {{casue}}", KNOWN).unwrap_err();
        assert_eq!((e.line, e.column), (2, 3));
        assert!(e.message.contains("casue"));
    }

    #[test]
    fn unbalanced_markers_are_errors() {
        for (src, needle) in [
            ("{{#cause}}x", "never closed"),
            ("x{{/cause}}", "never opened"),
            ("{{#cause}}{{#symptoms}}{{/cause}}{{/symptoms}}", "still open"),
            ("{{title", "never closed"),
            ("title}}", "without a matching"),
            ("{{}}", "empty"),
        ] {
            let e = Template::parse(src, KNOWN).unwrap_err();
            assert!(e.message.contains(needle), "{src}: {e}");
        }
    }

    #[test]
    fn values_are_never_interpreted() {
        // A value that looks like a tag is printed as it is, not expanded.
        assert_eq!(fill("{{title}}", &[("title", "{{cause}}")]), "{{cause}}");
    }

    #[test]
    fn reports_the_fields_used() {
        let t = Template::parse("{{title}}{{#cause}}{{symptoms}}{{/cause}}", KNOWN).unwrap();
        assert_eq!(t.fields_used().into_iter().collect::<Vec<_>>(), ["cause", "symptoms", "title"]);
    }
}
