//! `fix --replace-endpoint OLD=NEW`: point every copy of one Prisma 1 Cloud
//! endpoint at the user's own server (the migration guide's self-hosting
//! step 3). The files are the ones with a `cloud-endpoint` finding; in each,
//! every copy of OLD in any scheme (`http(s)://`, and the `ws(s)://` form
//! subscriptions use) becomes NEW in the matching scheme, keeping sub-paths
//! such as `/management` or `/_admin`. A longer URL that only starts with OLD
//! (`OLD/more`) is another service and is left alone.

use super::context::{Ctx, Sources};
use super::replacement::Hit;
use crate::finding::{Applicability, Edit, Finding, Fix};
use crate::text::Text;

/// The replacement edits for the file of a `cloud-endpoint` finding.
pub fn fix(f: &Finding, ctx: &Ctx<'_>, src: &mut Sources) -> Option<Fix> {
    if ctx.opts.endpoints.is_empty() {
        return None;
    }
    let path = f.location.path.as_ref();
    let text = src.text(path)?;
    // The finding's lines: one finding per rule and line is reported, and a
    // line may hold two copies.
    let from = super::yaml_nav::line_start(&text, f.location.start_byte);
    let to = super::yaml_nav::line_end(&text, f.location.end_byte);
    // Every copy in the file, found once however many findings it has.
    let all = match src.endpoint_hits.get(path) {
        Some(h) => h.clone(),
        None => {
            let mut v: Vec<Hit> = Vec::new();
            for (i, r) in ctx.opts.endpoints.iter().enumerate() {
                v.extend(r.hits(&text).into_iter().map(|(s, e, n)| (s, e, n, i)));
            }
            v.sort();
            let v = std::rc::Rc::new(v);
            src.endpoint_hits.insert(path.to_string(), v.clone());
            v
        }
    };
    // A finding with a copy on its lines gets every copy of the file: the scan
    // may report only the first copies of a file, and all must go together.
    let first = all.partition_point(|h| h.1 <= from);
    // The file's first such finding carries the fix; the rescan settles the others.
    if all.get(first).is_none_or(|h| h.0 >= to) || !src.endpoint_done.insert(path.to_string()) {
        return None;
    }
    let mut edits = Vec::new();
    let mut names = Vec::new();
    for (start, end, replacement, which) in all.iter() {
        let given = &ctx.opts.endpoints[*which].given;
        if !names.contains(given) {
            names.push(given.clone());
        }
        edits.push(Edit {
            path: path.to_string(),
            start: *start,
            end: *end,
            replacement: replacement.clone(),
        });
    }
    if edits.is_empty() {
        return None;
    }
    Some(Fix {
        applicability: Applicability::Requested,
        // The URLs are the ones given on the command line: the user's words.
        description: Text::tool(format!(
            "Point {} at your own server ({})",
            names.join(", "),
            if edits.len() == 1 {
                "1 copy".to_string()
            } else {
                format!("{} copies", edits.len())
            }
        )),
        edits,
        action: None,
        diff: Text::default(),
    })
}
