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
    /// is an error, so a typo cannot silently print nothing.
    pub fn parse(source: &str, known: &[&str]) -> Result<Template, TemplateError> {
        let source = strip_standalone_section_lines(source);
        let mut stack: Vec<(String, bool, Vec<Node>, usize)> = Vec::new();
        let mut nodes: Vec<Node> = Vec::new();
        let mut rest = source.as_str();
        let mut offset = 0;
        let err = |at: usize, message: String| {
            let (line, column) = line_col(&source, at);
            TemplateError { line, column, message }
        };
        while let Some(open) = rest.find("{{") {
            if open > 0 {
                push_text(current(&mut stack, &mut nodes), &rest[..open]);
            }
            let tag_at = offset + open;
            let after = &rest[open + 2..];
            let Some(close) = after.find("}}") else {
                return Err(err(tag_at, "`{{` is never closed with `}}`".into()));
            };
            let inner = &after[..close];
            if inner.contains("{{") {
                return Err(err(tag_at, "`{{` is never closed with `}}`".into()));
            }
            let tag = inner.trim();
            let (sigil, name) = match tag.chars().next() {
                Some(c @ ('#' | '^' | '/')) => (Some(c), tag[1..].trim()),
                _ => (None, tag),
            };
            if name.is_empty() {
                return Err(err(tag_at, "an empty `{{}}` names no field".into()));
            }
            if !known.contains(&name) {
                return Err(err(
                    tag_at,
                    format!("`{name}` is not a field; the fields are: {}", known.join(", ")),
                ));
            }
            match sigil {
                None => current(&mut stack, &mut nodes).push(Node::Field(name.to_string())),
                Some(c @ ('#' | '^')) => stack.push((name.to_string(), c == '^', Vec::new(), tag_at)),
                Some(_) => match stack.pop() {
                    Some((open_name, when_empty, body, _)) if open_name == name => {
                        current(&mut stack, &mut nodes).push(Node::Section { field: open_name, when_empty, body });
                    }
                    Some((open_name, ..)) => {
                        return Err(err(tag_at, format!("`{{{{/{name}}}}}` closes `{open_name}`, which is still open; close `{open_name}` first")));
                    }
                    None => return Err(err(tag_at, format!("`{{{{/{name}}}}}` closes a section that was never opened"))),
                },
            }
            let consumed = open + 2 + close + 2;
            rest = &rest[consumed..];
            offset += consumed;
        }
        if rest.contains("}}") {
            let at = offset + rest.find("}}").unwrap_or(0);
            return Err(err(at, "`}}` without a matching `{{`".into()));
        }
        push_text(current(&mut stack, &mut nodes), rest);
        if let Some((name, _, _, at)) = stack.pop() {
            return Err(err(at, format!("the section `{name}` is never closed with `{{{{/{name}}}}}`")));
        }
        Ok(Template { nodes })
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

fn current<'a>(stack: &'a mut [(String, bool, Vec<Node>, usize)], nodes: &'a mut Vec<Node>) -> &'a mut Vec<Node> {
    match stack.last_mut() {
        Some(top) => &mut top.2,
        None => nodes,
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

/// A line holding nothing but a section tag (`{{#cause}}`, `{{/cause}}`) is
/// removed with its line break, so templates can put tags on lines of their own.
fn strip_standalone_section_lines(source: &str) -> String {
    let mut out = String::with_capacity(source.len());
    for line in source.split_inclusive('\n') {
        let t = line.trim();
        let standalone = t.starts_with("{{")
            && t.ends_with("}}")
            && t.matches("{{").count() == 1
            && matches!(t[2..].trim_start().chars().next(), Some('#' | '^' | '/'));
        if standalone {
            // Keep the tag, drop the surrounding whitespace and the line break.
            out.push_str(t);
        } else {
            out.push_str(line);
        }
    }
    out
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
