//! The audit as one self-contained HTML file: inline CSS and JavaScript, no
//! external assets, sortable tables and small SVG bar charts.

use super::model::{Audit, Part, RepoAudit, Text};
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// Text as HTML text or attribute value. Repository text in the audit is
/// typed ([`crate::text::Text`]): its `Display` is the masked text. Through
/// `display::printable` next: a line break or a runner command from the
/// repository stays on its line.
fn esc(s: &(impl std::fmt::Display + ?Sized)) -> String {
    crate::display::printable(&s.to_string())
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// The audit's Markdown (plan steps, checklist items) as HTML: `code` spans
/// and, at the start, a `[ ]` / `[x]` task box. Everything else is text.
fn inline_md(s: &str) -> String {
    let (task, text) = match s.strip_prefix("[ ] ") {
        Some(rest) => (Some(false), rest),
        None => match s.strip_prefix("[x] ").or_else(|| s.strip_prefix("[X] ")) {
            Some(rest) => (Some(true), rest),
            None => (None, s),
        },
    };
    let mut out = match task {
        Some(true) => "<input type=\"checkbox\" checked disabled> ".to_string(),
        Some(false) => "<input type=\"checkbox\" disabled> ".to_string(),
        None => String::new(),
    };
    let parts: Vec<&str> = text.split('`').collect();
    // An odd number of parts means every backtick is paired.
    let paired = parts.len() % 2 == 1;
    for (i, part) in parts.iter().enumerate() {
        if i % 2 == 1 && paired {
            let _ = write!(out, "<code>{}</code>", esc(part));
        } else {
            if i > 0 && !paired {
                out.push('`');
            }
            out.push_str(&esc(part));
        }
    }
    out
}

/// A plan step or checklist item: our words through [`inline_md`], the
/// repository's escaped.
fn text(t: &Text) -> String {
    t.0.iter()
        .map(|p| match p {
            Part::Ours(s) => inline_md(s),
            Part::Repo(s) => esc(s),
            Part::Code(s) => format!("<code>{}</code>", esc(s)),
        })
        .collect()
}

const STYLE: &str = "body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;margin:2rem auto;max-width:1200px;padding:0 1rem;color:#1f2328}\
h1{font-size:1.6rem}h2{border-bottom:1px solid #d0d7de;padding-bottom:.3rem;margin-top:2.5rem}\
table{border-collapse:collapse;margin:.5rem 0 1.2rem;width:100%}th,td{border:1px solid #d0d7de;padding:.3rem .5rem;text-align:left;vertical-align:top}\
th{background:#f6f8fa;cursor:pointer;user-select:none}th.sorted-asc::after{content:' \\25B2'}th.sorted-desc::after{content:' \\25BC'}\
code{font:12px ui-monospace,SFMono-Regular,Menlo,monospace;background:#f6f8fa;padding:0 .2rem;border-radius:3px}\
.yes{color:#cf222e;font-weight:600}.no{color:#1a7f37;font-weight:600}.cannot-tell{color:#9a6700;font-weight:600}\
.charts{display:flex;gap:2rem;flex-wrap:wrap}.chart h3{margin:.2rem 0}svg text{font:12px system-ui,sans-serif}\
ol li,ul li{margin:.2rem 0}td code{word-break:break-all}ul.tasks{list-style:none;padding-left:1rem}";

const SCRIPT: &str = "document.querySelectorAll('table.sortable').forEach(function(t){\
t.querySelectorAll('th').forEach(function(th,i){th.addEventListener('click',function(){\
var asc=!th.classList.contains('sorted-asc');t.querySelectorAll('th').forEach(function(h){h.classList.remove('sorted-asc','sorted-desc')});\
th.classList.add(asc?'sorted-asc':'sorted-desc');var body=t.tBodies[0];var rows=Array.prototype.slice.call(body.rows);\
rows.sort(function(a,b){var x=a.cells[i].textContent.trim(),y=b.cells[i].textContent.trim();var nx=parseFloat(x),ny=parseFloat(y);\
var c=(!isNaN(nx)&&!isNaN(ny))?nx-ny:x.localeCompare(y);return asc?c:-c;});rows.forEach(function(r){body.appendChild(r)});});});});";

/// A horizontal bar chart of `data` as inline SVG.
fn bar_chart(title: &str, data: &BTreeMap<String, usize>) -> String {
    if data.is_empty() {
        return String::new();
    }
    let max = data.values().copied().max().unwrap_or(1).max(1);
    // Room for the longest label at about 7 px a character.
    let longest = data.keys().map(|k| k.chars().count()).max().unwrap_or(10);
    let (label_w, bar_w, row_h) = ((longest * 7 + 12).clamp(120, 420), 240, 22);
    let h = data.len() * row_h + 10;
    let mut s = format!("<div class=\"chart\"><h3>{}</h3><svg role=\"img\" aria-label=\"{}\" width=\"{}\" height=\"{h}\" xmlns=\"http://www.w3.org/2000/svg\">", esc(title), esc(title), label_w + bar_w + 50);
    for (i, (k, v)) in data.iter().enumerate() {
        let y = i * row_h + 5;
        let w = (v * bar_w / max).max(2);
        let _ = write!(
            s,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text><rect x=\"{}\" y=\"{y}\" width=\"{w}\" height=\"16\" fill=\"#0969da\"></rect><text x=\"{}\" y=\"{}\">{v}</text>",
            label_w - 6,
            y + 13,
            esc(k),
            label_w,
            label_w + w + 4,
            y + 13
        );
    }
    s.push_str("</svg></div>");
    s
}

pub fn render(a: &Audit) -> String {
    let mut o = String::new();
    let _ = write!(o, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>Prisma 1 Cloud migration audit</title>\n<style>{STYLE}</style>\n</head>\n<body>\n");
    let _ = writeln!(o, "<h1>Prisma 1 Cloud migration audit</h1>\n<p>Prisma 1 Cloud was shut down on 2022-09-01. This inventory lists what each repository still depends on, and a plan that follows the migration guide. Click a column header to sort.</p>");
    let t = &a.totals;
    let _ = writeln!(o, "<table class=\"sortable\" id=\"totals\"><thead><tr><th>Repositories</th><th>Using Prisma 1</th><th>Using Prisma 1 Cloud</th><th>Cannot tell</th><th>Services</th><th>Cloud services</th><th>Errors</th><th>Warnings</th><th>Notes</th></tr></thead><tbody><tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr></tbody></table>", t.repositories, t.using_prisma1, t.using_prisma1_cloud, t.cannot_tell, t.services, t.cloud_services, t.errors, t.warnings, t.notes);
    let _ = writeln!(o, "<table class=\"sortable\" id=\"repositories\"><thead><tr><th>Repository</th><th>Uses Prisma 1</th><th>Uses Prisma 1 Cloud</th><th>Services</th><th>Errors</th><th>Warnings</th><th>Notes</th></tr></thead><tbody>");
    for (i, r) in a.repositories.iter().enumerate() {
        let v = r.uses_prisma1_cloud;
        let (uses, cloud) = match r.failed {
            Some(_) => ("not audited", "not audited"),
            None => (if r.uses_prisma1 { "yes" } else { "no" }, v.label()),
        };
        let _ = writeln!(o, "<tr><td><a href=\"#repo-{i}\">{}</a></td><td>{uses}</td><td class=\"{}\">{cloud}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>", esc(&r.name), v.label().replace(' ', "-"), r.services.len(), r.errors, r.warnings, r.notes);
    }
    o.push_str("</tbody></table>\n");
    let mut by_rule: BTreeMap<String, usize> = BTreeMap::new();
    let mut by_server: BTreeMap<String, usize> = BTreeMap::new();
    for r in &a.repositories {
        for (k, v) in &r.findings {
            *by_rule.entry(k.clone()).or_default() += v;
        }
        for s in &r.services {
            *by_server
                .entry(format!(
                    "{} ({})",
                    if s.host.is_empty() {
                        "unresolved"
                    } else {
                        &s.host
                    },
                    s.class
                ))
                .or_default() += 1;
        }
    }
    let _ = writeln!(
        o,
        "<div class=\"charts\">{}{}</div>",
        bar_chart("Findings by rule", &by_rule),
        bar_chart("Services by server", &by_server)
    );
    for (i, r) in a.repositories.iter().enumerate() {
        repo(&mut o, i, r);
    }
    let _ = write!(o, "<script>{SCRIPT}</script>\n</body>\n</html>\n");
    o
}

fn repo(o: &mut String, i: usize, r: &RepoAudit) {
    let v = r.uses_prisma1_cloud;
    if let Some(why) = &r.failed {
        let _ = writeln!(o, "<section id=\"repo-{i}\"><h2>{}</h2>\n<p><code>{}</code> — <b>not audited</b>: {}</p></section>", esc(&r.name), esc(&r.path), esc(why));
        return;
    }
    let _ = writeln!(o, "<section id=\"repo-{i}\"><h2>{}</h2>\n<p><code>{}</code> — uses Prisma 1: <b>{}</b>; uses Prisma 1 Cloud: <span class=\"{}\">{}</span></p>", esc(&r.name), esc(&r.path), if r.uses_prisma1 { "yes" } else { "no" }, v.label().replace(' ', "-"), v.label());
    if !r.evidence.is_empty() {
        o.push_str("<p>Evidence:</p><ul>");
        for e in &r.evidence {
            let _ = write!(
                o,
                "<li><code>{}:{}</code> {}</li>",
                esc(&e.path),
                e.line,
                inline_md(&e.text.masked())
            );
        }
        o.push_str("</ul>\n");
    }
    if !r.servers.is_empty() {
        o.push_str("<h3>Servers</h3><table class=\"sortable servers\"><thead><tr><th>Server</th><th>Class</th><th>Services</th></tr></thead><tbody>");
        for s in &r.servers {
            let _ = write!(
                o,
                "<tr><td><code>{}</code></td><td>{}</td><td>{}</td></tr>",
                esc(&s.host),
                esc(&s.class),
                esc(&s.services.join(", "))
            );
        }
        o.push_str("</tbody></table>\n");
    }
    if !r.services.is_empty() {
        o.push_str("<h3>Services</h3><table class=\"sortable services\"><thead><tr><th>Service</th><th>Stage</th><th>Workspace</th><th>Endpoint</th><th>Server</th><th>Defined in</th><th>Used from</th><th>Secret reaches commands</th><th>Export/import</th><th>Data browser</th></tr></thead><tbody>");
        for s in &r.services {
            let defined = s
                .defined_in
                .iter()
                .map(|p| format!("<code>{}:{}</code>", esc(&p.path), p.line))
                .collect::<Vec<_>>()
                .join("<br>");
            let used = s
                .used_from
                .iter()
                .map(|u| {
                    format!(
                        "<code>{}:{}</code> {}",
                        esc(&u.path),
                        u.line,
                        esc(&u.command)
                    )
                })
                .collect::<Vec<_>>()
                .join("<br>");
            let secret = s
                .used_from
                .iter()
                .map(|u| u.management_secret.as_str())
                .collect::<Vec<_>>()
                .join(", ");
            let _ = write!(
                o,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td><code>{}</code></td><td>{}</td><td>{defined}</td><td>{used}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(&s.name), esc(&s.stage), esc(&s.workspace), esc(&s.endpoint), esc(&s.class), esc(&secret), if s.data_export { "yes" } else { "no" }, if s.data_browser { "yes" } else { "no" }
            );
        }
        o.push_str("</tbody></table>\n");
    }
    let work: Vec<_> = r
        .services
        .iter()
        .filter_map(|s| s.schema_work.as_ref().map(|w| (s, w)))
        .collect();
    if !work.is_empty() {
        o.push_str("<h3>Schema work of the upgrade to Prisma ORM</h3><table class=\"sortable schema-work\"><thead><tr><th>Service</th><th>Stage</th><th>Datamodel of</th><th>Database</th><th>Datamodel</th><th>Incompatibilities</th><th>SQL statements</th><th>By kind</th></tr></thead><tbody>");
        for (s, w) in work {
            let kinds: Vec<String> = w
                .by_kind
                .iter()
                .map(|(k, n)| format!("{} {n}", esc(k)))
                .collect();
            let _ = writeln!(
                o,
                "<tr><td>{}</td><td>{}</td><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(&s.name), esc(&s.stage), esc(&w.project), esc(w.connector.as_deref().unwrap_or("unknown")), esc(&w.datamodel_version), w.incompatibilities,
                w.statements.map_or("unknown".to_string(), |n| n.to_string()), kinds.join(", ")
            );
        }
        o.push_str("</tbody></table>\n");
    }
    let c = &r.code;
    if !c.packages.is_empty() || !c.datamodels.is_empty() || c.cli_invocations > 0 {
        o.push_str("<h3>Code surface</h3><ul>");
        if !c.packages.is_empty() {
            let _ = write!(
                o,
                "<li>Prisma 1 packages: {}</li>",
                c.packages
                    .iter()
                    .map(|p| format!("<code>{}</code>", esc(&p.text)))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        }
        for d in &c.datamodels {
            let _ = match &d.note {
                None => write!(
                    o,
                    "<li>Datamodel <code>{}</code>: {} type(s)</li>",
                    esc(&d.path),
                    d.types
                ),
                Some(n) => write!(
                    o,
                    "<li>Datamodel <code>{}</code>: not read ({})</li>",
                    esc(&d.path),
                    esc(n)
                ),
            };
        }
        let _ = writeln!(o, "<li>Generated Prisma 1 clients: {}</li><li>prisma-binding / prisma-client-lib imports: {}</li><li>Prisma 1 CLI calls: {}</li></ul>", c.generated_clients.len(), c.binding_imports, c.cli_invocations);
    }
    if !r.secrets.is_empty() {
        o.push_str("<h3>Hard-coded secrets</h3><ul>");
        for s in &r.secrets {
            let _ = write!(
                o,
                "<li><code>{}:{}</code> {}</li>",
                esc(&s.path),
                s.line,
                esc(&s.text)
            );
        }
        o.push_str("</ul>\n");
    }
    if !r.findings.is_empty() {
        o.push_str("<h3>Findings by rule</h3><table class=\"sortable findings\"><thead><tr><th>Rule</th><th>Findings</th></tr></thead><tbody>");
        for (k, n) in &r.findings {
            let _ = write!(o, "<tr><td><code>{}</code></td><td>{n}</td></tr>", esc(k));
        }
        o.push_str("</tbody></table>\n");
    }
    if !r.plan.is_empty() {
        o.push_str("<h3>Plan</h3>");
        for p in &r.plan {
            let _ = write!(o, "<p><b>{}</b></p><ol>", esc(&p.target));
            for s in &p.steps {
                let _ = write!(o, "<li>{}</li>", text(s));
            }
            o.push_str("</ol>\n");
        }
    }
    if r.uses_prisma1 {
        o.push_str(
            "<h3>Checklist before closing the Prisma 1 Cloud account</h3><ul class=\"tasks\">",
        );
        for c in &r.checklist {
            let _ = write!(o, "<li>{}</li>", text(c));
        }
        o.push_str("</ul>\n");
    }
    o.push_str("</section>\n");
}

#[cfg(test)]
mod tests {
    use super::inline_md;

    #[test]
    fn plan_and_checklist_markdown_is_rendered_not_printed() {
        assert_eq!(
            inline_md("[ ] run `prisma1 export` <now>"),
            "<input type=\"checkbox\" disabled> run <code>prisma1 export</code> &lt;now&gt;"
        );
        assert_eq!(
            inline_md("[x] done"),
            "<input type=\"checkbox\" checked disabled> done"
        );
        assert_eq!(inline_md("a ` lone tick"), "a ` lone tick");
    }
}
