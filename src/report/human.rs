//! Human output: a header, one miette report per finding (file, source line,
//! the rule's label under the match, message, help once per rule, rule id),
//! then a summary line with per-rule counts.
//!
//! The source shown is the finding's own snippet, masked, never the file
//! re-read from disk, so a secret cannot reach the terminal.

use super::summary::{fixable_line, fixable_marker, plural, summary_line, write_statistics};
use super::{Report, Style};
use crate::display::{printable, printable_lines};
use crate::finding::{Finding, Location, Severity};
use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError,
    MietteSpanContents, SourceCode, SourceSpan, SpanContents,
};
use std::collections::BTreeSet;
use std::fmt;

/// Width used when nothing says otherwise and the output is not a terminal:
/// large enough that no paragraph is ever wrapped.
const NO_WRAP: usize = 100_000;

/// A snippet that knows which file line it starts at.
#[derive(Debug)]
struct Snippet {
    name: String,
    text: String,
    first_line: usize,
}

impl SourceCode for Snippet {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let inner = self.text.read_span(span, before, after)?;
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            *inner.span(),
            inner.line() + self.first_line - 1,
            inner.column(),
            inner.line_count(),
        )))
    }
}

#[derive(Debug)]
struct FindingDiagnostic {
    message: String,
    code: String,
    severity: Severity,
    source: Snippet,
    labels: Vec<LabeledSpan>,
    related: Vec<FindingDiagnostic>,
}

impl fmt::Display for FindingDiagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for FindingDiagnostic {}

impl Diagnostic for FindingDiagnostic {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        (!self.code.is_empty()).then(|| Box::new(&self.code) as Box<dyn fmt::Display>)
    }
    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Note => miette::Severity::Advice,
        })
    }
    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.source)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(self.labels.iter().cloned()))
    }
}

/// The byte span to underline in `snippet`: the finding's own span when the
/// scan recorded one, else the columns of `loc` on the first line.
fn label_span(snippet: &str, loc: &Location, known: Option<(usize, usize)>) -> (usize, usize) {
    if let Some((s, e)) = known.filter(|(s, e)| s <= e && *e <= snippet.len()) {
        if snippet.is_char_boundary(s) && snippet.is_char_boundary(e) {
            return (
                s,
                (e - s).max(1).min(snippet.len().saturating_sub(s).max(1)),
            );
        }
    }
    let first = snippet.split('\n').next().unwrap_or("");
    let clipped = first.chars().count() + 1 < loc.end_column;
    if !loc.is_single_line() || clipped {
        return (0, first.len().max(1).min(snippet.len().max(1)));
    }
    let byte_at = |col: usize| {
        first
            .char_indices()
            .nth(col.saturating_sub(1))
            .map_or(first.len(), |(i, _)| i)
    };
    let s = byte_at(loc.column);
    let e = byte_at(loc.end_column).max(s);
    (s, (e - s).max(1))
}

/// A finding's snippet as shown: masked, then [`printable_lines`] (a raw CR
/// or ESC from the file would reach the terminal and the CI log), with the
/// byte span of the underline (in the unmasked snippet) moved to match.
fn shown_snippet(
    raw: &crate::text::RepoText,
    span: Option<(usize, usize)>,
) -> (String, Option<(usize, usize)>) {
    let masked = raw.masked();
    let known = span.map(|s| raw.masked_range(s));
    let shown = printable_lines(&masked).into_owned();
    if shown == masked {
        return (shown, known);
    }
    let moved = known
        .filter(|&(s, e)| s <= e && e <= masked.len())
        .filter(|&(s, e)| masked.is_char_boundary(s) && masked.is_char_boundary(e))
        .map(|(s, e)| {
            let at = |i: usize| printable_lines(&masked[..i]).len();
            (at(s), at(e))
        });
    (shown, moved)
}

/// `width`: the terminal's, to fit source lines and labels to (see
/// [`super::fit`]); `None` when piped, where nothing is cut or wrapped.
fn diagnostic(f: &Finding, prefix: &str, width: Option<usize>) -> FindingDiagnostic {
    let (snippet, known) = shown_snippet(&f.snippet, f.snippet_span);
    let (s, len) = label_span(&snippet, &f.location, known);
    let label = match &f.suppressed {
        Some(sup) => format!("suppressed: {}", printable(&sup.justification.masked())),
        None if !f.label.is_empty() => printable(&f.label.masked()).into_owned(),
        None => f.severity.as_str().to_string(),
    };
    let (snippet, (s, len), label) = match width {
        Some(w) => super::fit::fit(snippet, (s, len), label, f.location.line, w),
        None => (snippet, (s, len), label),
    };
    let related = f
        .related
        .iter()
        .map(|r| {
            let (text, _) = shown_snippet(&r.snippet, None);
            let (rs, rlen) = label_span(&text, &r.location, None);
            let message = printable(&r.message.masked()).into_owned();
            let (text, (rs, rlen), rlabel) = match width {
                Some(w) => super::fit::fit(text, (rs, rlen), message.clone(), r.location.line, w),
                None => (text, (rs, rlen), message.clone()),
            };
            FindingDiagnostic {
                message: message.clone(),
                code: String::new(),
                severity: Severity::Note,
                labels: vec![LabeledSpan::new(Some(rlabel), rs, rlen)],
                source: Snippet {
                    name: format!(
                        "{}:{}:{}",
                        printable(&format!("{prefix}{}", r.location.path)),
                        r.location.line,
                        r.location.column
                    ),
                    text,
                    first_line: r.location.line,
                },
                related: Vec::new(),
            }
        })
        .collect();
    FindingDiagnostic {
        message: format!("{}{}", fixable_marker(f), printable(&f.message.masked())),
        code: f.rule.clone(),
        severity: f.severity,
        labels: vec![LabeledSpan::new(Some(label), s, len)],
        source: Snippet {
            name: format!(
                "{}:{}:{}",
                printable(&format!("{prefix}{}", f.location.path)),
                f.location.line,
                f.location.column
            ),
            text: snippet,
            first_line: f.location.line,
        },
        related,
    }
}

/// The miette handler for `style`: wraps at spaces only, so a URL or a path
/// is never cut, and not at all when the output is not a terminal.
fn handler(style: &Style) -> GraphicalReportHandler {
    let theme = if style.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    GraphicalReportHandler::new_themed(theme)
        .with_width(style.width.unwrap_or(NO_WRAP))
        .with_wrap_lines(style.width.is_some())
        .with_break_words(false)
        .with_word_separator(textwrap::WordSeparator::AsciiSpace)
        .with_word_splitter(textwrap::WordSplitter::NoHyphenation)
        .with_links(false)
        .without_primary_span_start()
}

/// Wraps `text` to `width` at spaces (never inside a word, URL or path),
/// indenting continuation lines by `indent` spaces.
pub fn wrap(text: &str, width: Option<usize>, indent: usize) -> String {
    let Some(width) = width else {
        return text.to_string();
    };
    let pad = " ".repeat(indent);
    let opts = textwrap::Options::new(width.max(indent + 20))
        .subsequent_indent(&pad)
        .break_words(false)
        .word_separator(textwrap::WordSeparator::AsciiSpace)
        .word_splitter(textwrap::WordSplitter::NoHyphenation);
    textwrap::fill(text, opts)
}

/// `prisma1-lint 0.1.0: 15 findings in 6 files`: says what wrote the output,
/// and lets a later scan recognise a saved report (see `crate::sniff`).
pub fn header(report: &Report<'_>) -> Option<String> {
    let n = report.active_findings().count();
    if n == 0 {
        return None;
    }
    let files: BTreeSet<&str> = report
        .active_findings()
        .map(|f| f.location.path.as_ref())
        .collect();
    Some(format!(
        "{}{}: {} in {}",
        crate::sniff::HUMAN_HEADER,
        env!("CARGO_PKG_VERSION"),
        plural(n, "finding"),
        plural(files.len(), "file")
    ))
}

pub fn write(
    report: &Report<'_>,
    out: &mut dyn std::io::Write,
    style: &Style,
) -> std::io::Result<()> {
    if let Some(h) = header(report).filter(|_| !style.quiet) {
        writeln!(out, "{h}\n")?;
    }
    if style.statistics {
        write_statistics(report, out)?;
    } else {
        write_findings(report, out, style)?;
    }
    for p in &report.problems {
        writeln!(
            out,
            "{}",
            wrap(
                &format!(
                    "note: {}: {}",
                    printable(&format!("{}{}", report.prefix, p.path)),
                    printable(&p.message)
                ),
                style.width,
                6
            )
        )?;
    }
    if !style.quiet {
        writeln!(out, "{}", wrap(&summary_line(report), style.width, 0))?;
        if let Some(l) = fixable_line(report) {
            writeln!(out, "{l}")?;
        }
    }
    Ok(())
}

fn write_findings(
    report: &Report<'_>,
    out: &mut dyn std::io::Write,
    style: &Style,
) -> std::io::Result<()> {
    let handler = handler(style);
    // A rule's help is printed once, under its first finding.
    let mut helped: BTreeSet<&str> = BTreeSet::new();
    for f in report.active_findings() {
        let full = report.help(&f.rule);
        let help = if full.is_empty() {
            String::new()
        } else if helped.insert(f.rule.as_str()) {
            full.to_string()
        } else {
            format!(
                "see the first {} finding above, or `prisma1-lint explain {}`",
                f.rule, f.rule
            )
        };
        // The help goes after the related places, which are drawn by us right
        // under their finding: miette would head them "Advice:" or, nested,
        // wrap their source lines.
        let d = diagnostic(f, &report.prefix, style.width);
        let mut s = String::new();
        if handler.render_report(&mut s, &d).is_err() {
            s = format!("{}\n", super::concise::line(f, &report.prefix));
        }
        // rustc's `= note:` lines: the evidence under the headline's frame.
        for n in &f.notes {
            let text = wrap(
                &printable(&n.masked()),
                style.width.map(|w| w.saturating_sub(10)),
                0,
            );
            s.push_str(&format!(
                "  = note: {}\n",
                text.replace('\n', "\n          ")
            ));
        }
        for r in &d.related {
            let mut rs = String::new();
            if handler.render_report(&mut rs, r).is_ok() {
                s.push_str(&rs);
            }
        }
        if !help.is_empty() {
            let head = if style.color {
                "\u{1b}[36mhelp:\u{1b}[0m"
            } else {
                "help:"
            };
            // A rule from the repository's own `rules-dirs` brings its own
            // help: each of its lines is shown as file text is.
            let help: String = help
                .lines()
                .map(crate::display::verbatim_line)
                .collect::<Vec<_>>()
                .join("\n");
            let text = wrap(&help, style.width.map(|w| w.saturating_sub(8)), 0);
            s.push_str(&format!("  {head} {}\n", text.replace('\n', "\n        ")));
        }
        writeln!(out, "{s}")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::RuleSet;
    use crate::scan::Stats;
    use std::time::Duration;

    fn finding(message: &str) -> Finding {
        let snippet = "  - run: npx prisma1 deploy".to_string();
        Finding {
            location: Location {
                path: "a/very/long/path/to/the/workflows/deploy-production-cluster.yml".into(),
                line: 3,
                column: 10,
                end_line: 3,
                end_column: 28,
                start_byte: 0,
                end_byte: 0,
            },
            rule: "prisma1-cli".into(),
            severity: Severity::Warning,
            message: message.into(),
            snippet: snippet.into(),
            matched: Default::default(),
            related: Vec::new(),
            suppressed: None,
            mention: false,
            confidence: None,
            origin: crate::finding::Origin::Code,
            label: "Prisma 1 CLI call".into(),
            snippet_span: Some((9, 27)),
            notes: Vec::new(),
            fix: None,
        }
    }

    fn render(width: Option<usize>) -> String {
        let rules = RuleSet::builtin().ok().unwrap_or_default();
        let url = "https://prisma.example.com/a-long-service-name/production-stage";
        let report = Report {
            findings: vec![finding(&format!(
                "`prisma1 deploy` targets {url} from a/very/long/path/to/the/workflows/deploy-production-cluster.yml and more words to wrap"
            ))],
            rules: &rules,
            active: Default::default(),
            problems: Vec::new(),
            stats: Stats::default(),
            elapsed: Duration::ZERO,
            stale_baseline: 0,
            hidden: 0,
            below_confidence: (0, crate::finding::Confidence::DEFAULT_MIN),
            outside_diff: Vec::new(),
            link_base: None,
            root: ".".into(),
            prefix: String::new(),
        };
        let mut out = Vec::new();
        let style = Style {
            width,
            ..Style::default()
        };
        let _ = write(&report, &mut out, &style);
        String::from_utf8_lossy(&out).into_owned()
    }

    #[test]
    fn wraps_to_the_width_at_spaces_only() {
        let text = render(Some(60));
        let url = "https://prisma.example.com/a-long-service-name/production-stage";
        assert!(text.contains(url), "the URL was cut:\n{text}");
        assert!(
            text.contains("a/very/long/path/to/the/workflows/deploy-production-cluster.yml"),
            "the path was cut:\n{text}"
        );
        for line in text.lines() {
            let fits = line.chars().count() <= 60;
            let unbreakable = line.split(' ').any(|w| w.chars().count() > 40);
            assert!(fits || unbreakable, "too wide: {line}\n{text}");
        }
        assert!(text.lines().count() > render(None).lines().count());
    }

    #[test]
    fn long_source_lines_and_labels_fit_a_narrow_terminal() {
        let rules = RuleSet::builtin().ok().unwrap_or_default();
        let mut f = finding("`prisma1 deploy` runs the Prisma 1 CLI");
        let pad = "echo preparing the release notes and the changelog; ".repeat(3);
        f.snippet = format!("{pad}npx prisma1 deploy --force; echo done with everything").into();
        let start = pad.len() + 4;
        f.snippet_span = Some((start, start + 14));
        f.label = "Prisma 1 CLI call, in a long label that names what it found".into();
        let report = Report {
            findings: vec![f],
            rules: &rules,
            active: Default::default(),
            problems: Vec::new(),
            stats: Stats::default(),
            elapsed: Duration::ZERO,
            stale_baseline: 0,
            hidden: 0,
            below_confidence: (0, crate::finding::Confidence::DEFAULT_MIN),
            outside_diff: Vec::new(),
            link_base: None,
            root: ".".into(),
            prefix: String::new(),
        };
        let mut out = Vec::new();
        let style = Style {
            width: Some(60),
            ..Style::default()
        };
        let _ = write(&report, &mut out, &style);
        let text = String::from_utf8_lossy(&out);
        for line in text.lines() {
            let fits = line.chars().count() <= 60;
            let unbreakable = line.split(' ').any(|w| w.chars().count() > 40);
            assert!(fits || unbreakable, "too wide: {line}\n{text}");
        }
        assert!(text.contains("prisma1 deploy"), "{text}");
        assert!(text.contains("what it found"), "{text}");
    }

    #[test]
    fn the_underline_uses_the_recorded_span() {
        let text = render(None);
        let under = text
            .lines()
            .find(|l| l.contains('┬'))
            .unwrap_or_default()
            .to_string();
        let source = text
            .lines()
            .find(|l| l.contains("npx prisma1 deploy"))
            .unwrap_or_default()
            .to_string();
        let start = |s: &str, c: &[char]| s.chars().position(|x| c.contains(&x));
        assert_eq!(
            start(&under, &['─', '┬']),
            source.find("npx").map(|i| source[..i].chars().count()),
            "{text}"
        );
    }
}
