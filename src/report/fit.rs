//! Source lines and labels that fit a narrow terminal: the human output's
//! messages and help wrap at spaces, and so do the labels under a match; a
//! source line longer than the terminal is cut around the match (with `…`
//! where it was cut) instead of being cut by the terminal mid-word.

/// Narrowest room a label is wrapped to: below it, one word a line reads worse.
const MIN_LABEL: usize = 16;

/// `snippet` (whose first line is line `first_line`) with its underlined
/// byte range `span` (start, length) and `label`, fitted to `width` columns.
pub fn fit(
    snippet: String,
    span: (usize, usize),
    label: String,
    first_line: usize,
    width: usize,
) -> (String, (usize, usize), String) {
    let lines = snippet.split('\n').count();
    let gutter = (first_line + lines.saturating_sub(1)).to_string().len() + 3;
    let room = width.saturating_sub(gutter + 1).max(20);
    let (snippet, span) = clip_lines(snippet, span, room);
    // The label starts under the middle of the underline, after `╰── `.
    let first = snippet.split('\n').next().unwrap_or("");
    let start = first
        .get(..span.0.min(first.len()))
        .map_or(0, |t| t.chars().count());
    let under = first
        .get(span.0.min(first.len())..(span.0 + span.1).min(first.len()))
        .map_or(1, |t| t.chars().count().max(1));
    let label_col = gutter + 1 + start + under / 2 + 4;
    let label_room = width.saturating_sub(label_col).max(MIN_LABEL);
    let label = if label.chars().count() > label_room {
        let opts = textwrap::Options::new(label_room)
            .break_words(false)
            .word_separator(textwrap::WordSeparator::AsciiSpace)
            .word_splitter(textwrap::WordSplitter::NoHyphenation);
        textwrap::wrap(&label, opts).join("\n")
    } else {
        label
    };
    (snippet, span, label)
}

/// Cuts lines longer than `room` chars: the first around the span when the
/// span lies in it, the others at their end. A span over several lines
/// leaves the snippet as it is (its offsets would move).
fn clip_lines(snippet: String, (s, len): (usize, usize), room: usize) -> (String, (usize, usize)) {
    let first_len = snippet.find('\n').unwrap_or(snippet.len());
    if s + len > first_len || !snippet.is_char_boundary(s) || !snippet.is_char_boundary(s + len) {
        return (snippet, (s, len));
    }
    let mut out = String::with_capacity(snippet.len());
    let mut span = (s, len);
    for (i, line) in snippet.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let n = line.chars().count();
        if n <= room {
            out.push_str(line);
            continue;
        }
        if i > 0 {
            out.extend(line.chars().take(room.saturating_sub(1)));
            out.push('…');
            continue;
        }
        let chars: Vec<(usize, char)> = line.char_indices().collect();
        let at = |b: usize| chars.partition_point(|(i, _)| *i < b);
        let (sc, ec) = (at(s), at(s + len));
        let keep = room.saturating_sub(2).max(1);
        let pad = keep.saturating_sub(ec - sc) / 2;
        let mut from = sc.saturating_sub(pad);
        let to = (from + keep).min(n);
        from = from.min(to.saturating_sub(keep));
        let byte = |c: usize| chars.get(c).map_or(line.len(), |(i, _)| *i);
        if from > 0 {
            out.push('…');
        }
        let start = out.len() + byte(sc.max(from)) - byte(from);
        out.push_str(&line[byte(from)..byte(to)]);
        let end = out.len() - (byte(to) - byte(ec.min(to).max(sc.max(from))));
        span = (start, end.saturating_sub(start).max(1));
        if to < n {
            out.push('…');
        }
    }
    (out, span)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_line_is_cut_around_the_match_and_the_label_wraps() {
        let line = format!("{} TARGET {}", "alpha ".repeat(30), "omega ".repeat(30));
        let s = line.find("TARGET").unwrap_or(0);
        let label = "a label that is much longer than the room left under a match".to_string();
        let (text, (start, len), label) = fit(line.clone(), (s, 6), label, 7, 60);
        assert!(text.chars().count() <= 60 - 5, "{text}");
        assert_eq!(&text[start..start + len], "TARGET", "{text}");
        assert!(text.starts_with('…') && text.ends_with('…'), "{text}");
        assert!(label.contains('\n'), "{label}");
        // Short lines and labels are left alone.
        let (t, sp, l) = fit("short".into(), (0, 5), "label".into(), 1, 60);
        assert_eq!((t.as_str(), sp, l.as_str()), ("short", (0, 5), "label"));
    }
}
