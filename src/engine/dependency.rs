//! The dependency matcher: package.json entries naming Prisma 1 packages.

use super::active::ActiveRule;
use crate::facts::package_json::{only_below, PackageJson};
use crate::finding::Finding;
use crate::rules::DependencyMatcher;
use crate::text::{RepoText, Text};

pub fn apply(
    ar: &ActiveRule<'_>,
    dm: &DependencyMatcher,
    pkg: &PackageJson,
    text: &[u8],
    spans: &[crate::mask::Span],
    out: &mut Vec<Finding>,
) {
    let template = dm.message.as_ref().unwrap_or(&ar.rule.message);
    for dep in &pkg.dependencies {
        if !dm.sections.contains(&dep.section) {
            continue;
        }
        let Some(spec) = dm.packages.iter().find(|p| p.name == dep.name) else {
            continue;
        };
        if let Some(limit) = &spec.below {
            if !only_below(&dep.range, limit) {
                continue;
            }
        }
        // The package is one the rule names, the section one it knows: its
        // own words. The range is the repository's.
        let lookup = |n: &str| match n {
            "package" => Some(Text::tool(dep.name.as_str())),
            "version" => Some(Text::repo(RepoText::name(&dep.range))),
            "section" => Some(Text::tool(dep.section.as_str())),
            _ => None,
        };
        let message = template.render_text(lookup);
        let label = dm
            .label
            .as_ref()
            .unwrap_or(&ar.rule.label)
            .render_text(lookup);
        let loc = &dep.location;
        // Clipped: a minified package.json is one multi-megabyte line.
        let (ls, le) = crate::engine::regex::clip(text, loc.start_byte, loc.end_byte);
        out.push(Finding {
            location: loc.clone(),
            rule: ar.rule.id.clone(),
            severity: ar.severity,
            message,
            snippet: RepoText::from_file(text, ls, le, spans),
            matched: {
                let mut m = Text::tool(format!("{} {} ", dep.section, dep.name));
                m.push_repo(RepoText::name(&dep.range));
                m
            },
            related: Vec::new(),
            suppressed: None,
            mention: false,
            label,
            snippet_span: None,
            notes: Vec::new(),
            confidence: None,
            origin: crate::finding::Origin::Code,
            fix: None,
        });
    }
}
