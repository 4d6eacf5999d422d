//! The rule descriptors of the SARIF log (`tool.driver.rules`): names,
//! descriptions, help, precision, security severity and a help page per rule.

use crate::finding::Severity;
use crate::rules::{Matcher, Rule};
use serde::Serialize;

/// A SARIF message: text alone.
#[derive(Serialize)]
pub(super) struct Text {
    pub(super) text: String,
}

/// The SARIF level of a severity.
pub(super) fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct RuleDescriptor<'a> {
    id: &'a str,
    name: String,
    short_description: Text,
    full_description: Text,
    help: Help,
    #[serde(skip_serializing_if = "Option::is_none")]
    help_uri: Option<String>,
    default_configuration: Configuration,
    properties: RuleProperties,
}

#[derive(Serialize)]
struct Help {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct RuleProperties {
    tags: Vec<String>,
    precision: &'static str,
    #[serde(rename = "security-severity", skip_serializing_if = "Option::is_none")]
    security_severity: Option<String>,
}

/// `cloud-endpoint` -> `CloudEndpoint`: SARIF wants a name distinct from the
/// id, and code scanning shows it in the alert list.
pub(super) fn upper_camel(id: &str) -> String {
    id.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut cs = w.chars();
            cs.next()
                .map(|c| c.to_ascii_uppercase().to_string() + cs.as_str())
                .unwrap_or_default()
        })
        .collect()
}

pub(super) fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// How often a rule's findings are right, in code scanning's terms. Rules
/// that judge an absence (a deploy without a secret in any place we can see)
/// can be wrong where the value comes from somewhere we cannot see.
fn precision(rule: &Rule) -> &'static str {
    let judges_absence = rule.matchers.iter().any(|m| match m {
        Matcher::Command(c) => c.spec.missing_env.is_some(),
        Matcher::ServerConfig(s) => s.without_secret,
        _ => false,
    });
    if judges_absence {
        "medium"
    } else if rule
        .matchers
        .iter()
        .all(|m| matches!(m, Matcher::Suppression(_)))
    {
        "very-high"
    } else {
        "high"
    }
}

/// A stable page per built-in rule: its YAML file (docs and examples) at
/// the tag of this version. Other rules have no page of ours.
fn help_uri(rule: &Rule) -> Option<String> {
    let file = format!("{}.yml", rule.id);
    let builtin = crate::rules::BUILTIN_RULES
        .iter()
        .any(|(name, _)| *name == file && rule.origin == format!("rules/{file}"));
    builtin.then(|| {
        format!(
            "{}/blob/v{}/rules/{file}",
            env!("CARGO_PKG_REPOSITORY"),
            env!("CARGO_PKG_VERSION")
        )
    })
}

pub(super) fn describe<'a>(
    id: &'a str,
    rule: Option<&'a Rule>,
    severity: Severity,
) -> RuleDescriptor<'a> {
    let Some(rule) = rule else {
        return RuleDescriptor {
            id,
            name: upper_camel(id),
            short_description: Text { text: id.into() },
            full_description: Text { text: id.into() },
            help: Help {
                text: id.into(),
                markdown: id.into(),
            },
            help_uri: None,
            default_configuration: Configuration {
                level: level(severity),
            },
            properties: RuleProperties {
                tags: Vec::new(),
                precision: "high",
                security_severity: None,
            },
        };
    };
    let why = one_line(&rule.why);
    let help = one_line(&rule.help);
    let mut text = [why.as_str(), help.as_str()]
        .iter()
        .filter(|s| !s.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join("\n\n");
    let mut markdown = text.clone();
    if !rule.references.is_empty() {
        text.push_str("\n\nReferences:");
        markdown.push_str("\n\n**References**\n");
        for r in &rule.references {
            text.push_str(&format!("\n- {r}"));
            markdown.push_str(&format!("\n- [{r}]({r})"));
        }
    }
    let mut tags = rule.tags.clone();
    // Code scanning files alerts under "security" only when the tag is there;
    // a rule with a score but no tag would otherwise be shown as quality.
    if rule.security_severity.is_some() && !tags.iter().any(|t| t == "security") {
        tags.push("security".into());
    }
    RuleDescriptor {
        id,
        name: upper_camel(id),
        short_description: Text {
            text: one_line(&rule.title),
        },
        full_description: Text {
            text: one_line(&rule.summary),
        },
        help: Help { text, markdown },
        help_uri: help_uri(rule).or_else(|| rule.references.first().cloned()),
        default_configuration: Configuration {
            level: level(severity),
        },
        properties: RuleProperties {
            tags,
            precision: precision(rule),
            security_severity: rule.security_severity.map(|s| format!("{s:.1}")),
        },
    }
}
