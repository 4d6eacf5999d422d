//! Message templates: `{name}` and `{name|fallback}` placeholders.

use crate::text::Text;

/// A parsed message template.
#[derive(Debug, Clone)]
pub struct Template {
    parts: Vec<Part>,
}

#[derive(Debug, Clone)]
enum Part {
    Text(String),
    Var { name: String, fallback: String },
}

impl Template {
    /// Parses `text`; `{{` and `}}` are literal braces.
    pub fn parse(text: &str) -> Result<Template, String> {
        let mut parts = Vec::new();
        let mut lit = String::new();
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '{' if chars.peek() == Some(&'{') => {
                    chars.next();
                    lit.push('{');
                }
                '}' if chars.peek() == Some(&'}') => {
                    chars.next();
                    lit.push('}');
                }
                '{' => {
                    let mut inner = String::new();
                    loop {
                        match chars.next() {
                            Some('}') => break,
                            Some(ch) => inner.push(ch),
                            None => {
                                return Err(format!("unclosed `{{` in message template {text:?}"))
                            }
                        }
                    }
                    let (name, fallback) = inner.split_once('|').unwrap_or((&inner, ""));
                    let name = name.trim();
                    if name.is_empty()
                        || !name
                            .chars()
                            .all(|ch| ch.is_ascii_alphanumeric() || ch == '_')
                    {
                        return Err(format!("bad placeholder `{{{inner}}}` in message template"));
                    }
                    if !lit.is_empty() {
                        parts.push(Part::Text(std::mem::take(&mut lit)));
                    }
                    parts.push(Part::Var {
                        name: name.to_string(),
                        fallback: fallback.to_string(),
                    });
                }
                '}' => return Err(format!("stray `}}` in message template {text:?}")),
                _ => lit.push(c),
            }
        }
        if !lit.is_empty() {
            parts.push(Part::Text(lit));
        }
        Ok(Template { parts })
    }

    /// The placeholder names, for validation against what a matcher provides.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.parts.iter().filter_map(|p| match p {
            Part::Var { name, .. } => Some(name.as_str()),
            Part::Text(_) => None,
        })
    }

    /// Renders with `lookup`; an empty or missing value takes the fallback.
    pub fn render<'a>(&self, lookup: impl Fn(&str) -> Option<&'a str>) -> String {
        let mut out = String::new();
        for part in &self.parts {
            match part {
                Part::Text(t) => out.push_str(t),
                Part::Var { name, fallback } => match lookup(name) {
                    Some(v) if !v.is_empty() => out.push_str(v),
                    _ => out.push_str(fallback),
                },
            }
        }
        out
    }
}

impl Template {
    /// Renders with `lookup` into [`Text`]: the template's own wording is
    /// the tool's, the values are whatever `lookup` says they are (captured
    /// repository text, or the tool's own words such as a recognised host).
    pub fn render_text(&self, lookup: impl Fn(&str) -> Option<Text>) -> Text {
        let mut out = Text::default();
        for part in &self.parts {
            match part {
                Part::Text(t) => out.push_tool(t),
                Part::Var { name, fallback } => match lookup(name) {
                    Some(v) if !v.is_empty() => out.push(v),
                    _ => out.push_tool(fallback),
                },
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fallbacks_fill_missing_values() {
        let t = Template::parse("service {service|default} at {host}").ok();
        let out = t.map(|t| {
            t.render(|n| {
                if n == "host" {
                    Some("eu1.prisma.sh")
                } else {
                    None
                }
            })
        });
        assert_eq!(out.as_deref(), Some("service default at eu1.prisma.sh"));
    }

    #[test]
    fn rejects_unclosed_placeholders() {
        assert!(Template::parse("oops {host").is_err());
        assert!(Template::parse("oops }").is_err());
        assert!(Template::parse("{bad name}").is_err());
    }
}
