//! What encoding a file is in, before anything reads it as text.
//!
//! Rules match UTF-8 bytes. A UTF-8 byte-order mark is dropped (npm and
//! editors ignore it, so must we: it made package.json "malformed" and
//! shifted columns); UTF-16 with a byte-order mark is converted to UTF-8
//! (it would otherwise look binary, being full of NULs); other bytes that
//! are not UTF-8 are scanned as they are and reported as a note.

use std::borrow::Cow;

pub const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// How a file was encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Utf8,
    /// UTF-8 behind a byte-order mark (dropped).
    Utf8Bom,
    Utf16Le,
    Utf16Be,
    /// Not UTF-8: the 1-based line of the first invalid byte.
    Invalid {
        line: usize,
    },
}

impl Source {
    /// The note a scan reports for this file, if any.
    pub fn note(self) -> Option<String> {
        match self {
            Source::Invalid { line } => Some(format!(
                "not valid UTF-8 (first invalid byte on line {line}); scanned with invalid bytes replaced"
            )),
            _ => None,
        }
    }
}

/// Rewrites `buf` in place into UTF-8 (without a byte-order mark) when it
/// holds UTF-16 or a UTF-8 BOM, and says what it was. Invalid UTF-8 is left
/// as it is: rules match bytes, and facts decode lossily.
pub fn normalise(buf: &mut Vec<u8>) -> Source {
    match normalise_encoding(buf) {
        s @ (Source::Utf8 | Source::Utf8Bom) => match first_invalid(buf) {
            Some(line) => Source::Invalid { line },
            None => s,
        },
        s => s,
    }
}

/// [`normalise`] without the UTF-8 validation: `Utf8` and `Utf8Bom` mean
/// "not checked". The scan checks only files whose text it goes on to use
/// ([`invalid_line`]); a file nothing matches is never validated.
pub fn normalise_encoding(buf: &mut Vec<u8>) -> Source {
    if buf.starts_with(UTF8_BOM) {
        buf.drain(..UTF8_BOM.len());
        return Source::Utf8Bom;
    }
    let utf16 = match buf.get(..2) {
        Some([0xFF, 0xFE]) if looks_utf16(&buf[2..]) => Some(Source::Utf16Le),
        Some([0xFE, 0xFF]) if looks_utf16(&buf[2..]) => Some(Source::Utf16Be),
        _ => None,
    };
    if let Some(source) = utf16 {
        let text = utf16_to_string(&buf[2..], source == Source::Utf16Le);
        buf.clear();
        buf.extend_from_slice(text.as_bytes());
        return source;
    }
    Source::Utf8
}

/// The line of the first byte of `bytes` that is not UTF-8, if any, from the
/// error of a validation already done.
pub fn invalid_line(bytes: &[u8], error: std::str::Utf8Error) -> usize {
    memchr::memchr_iter(b'\n', &bytes[..error.valid_up_to()]).count() + 1
}

/// The text of `bytes`, decoded as [`normalise`] does, for loaders of whole
/// files (config, rules, datamodels).
pub struct Decoded<'a> {
    pub text: Cow<'a, str>,
    pub source: Source,
}

pub fn decode(bytes: &[u8]) -> Decoded<'_> {
    let plain = bytes.strip_prefix(UTF8_BOM).unwrap_or(bytes);
    if plain.len() == bytes.len()
        && matches!(bytes.get(..2), Some([0xFF, 0xFE] | [0xFE, 0xFF]))
        && looks_utf16(&bytes[2..])
    {
        let mut owned = bytes.to_vec();
        let source = normalise(&mut owned);
        let text = String::from_utf8(owned)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
        return Decoded {
            text: Cow::Owned(text),
            source,
        };
    }
    let source = match first_invalid(plain) {
        Some(line) => Source::Invalid { line },
        None if plain.len() < bytes.len() => Source::Utf8Bom,
        None => Source::Utf8,
    };
    Decoded {
        text: String::from_utf8_lossy(plain),
        source,
    }
}

/// A byte-order mark alone is weak evidence (`\xff\xfe` also starts Latin-1
/// junk): UTF-16 text has an even length and, since any line break or ASCII
/// char is one, NUL bytes early on.
fn looks_utf16(rest: &[u8]) -> bool {
    rest.len() % 2 == 0
        && (rest.is_empty() || memchr::memchr(0, &rest[..rest.len().min(8192)]).is_some())
}

fn first_invalid(bytes: &[u8]) -> Option<usize> {
    let e = std::str::from_utf8(bytes).err()?;
    Some(invalid_line(bytes, e))
}

fn utf16_to_string(bytes: &[u8], little: bool) -> String {
    let units = bytes.chunks_exact(2).map(|c| {
        if little {
            u16::from_le_bytes([c[0], c[1]])
        } else {
            u16::from_be_bytes([c[0], c[1]])
        }
    });
    char::decode_utf16(units)
        .map(|r| r.unwrap_or(char::REPLACEMENT_CHARACTER))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_bom_is_dropped() {
        let mut b = b"\xEF\xBB\xBF{\"a\":1}".to_vec();
        assert_eq!(normalise(&mut b), Source::Utf8Bom);
        assert_eq!(b, b"{\"a\":1}");
    }

    #[test]
    fn utf16_with_a_bom_becomes_utf8() {
        let text = "endpoint: https://eu1.prisma.sh/a/b/c\né\n";
        for little in [true, false] {
            let mut b: Vec<u8> = if little {
                vec![0xFF, 0xFE]
            } else {
                vec![0xFE, 0xFF]
            };
            for u in text.encode_utf16() {
                b.extend(if little {
                    u.to_le_bytes()
                } else {
                    u.to_be_bytes()
                });
            }
            let src = normalise(&mut b);
            assert!(matches!(src, Source::Utf16Le | Source::Utf16Be));
            assert_eq!(String::from_utf8(b).ok().as_deref(), Some(text));
        }
    }

    #[test]
    fn a_bom_before_text_that_is_not_utf16_is_invalid_utf8() {
        let mut b = b"\xff\xfe endpoint https://eu1.prisma.sh/w/s/dev\n".to_vec();
        assert_eq!(normalise(&mut b), Source::Invalid { line: 1 });
        assert!(b.ends_with(b"prisma.sh/w/s/dev\n"));
    }

    #[test]
    fn invalid_utf8_is_reported_with_its_line() {
        let mut b = b"ok\nbad \xC3(\n".to_vec();
        let src = normalise(&mut b);
        assert_eq!(src, Source::Invalid { line: 2 });
        assert!(src.note().is_some_and(|n| n.contains("line 2")));
        assert_eq!(b.len(), 10, "invalid bytes are left for the byte matchers");
    }

    #[test]
    fn decode_handles_every_form() {
        assert_eq!(decode(b"\xEF\xBB\xBFa: 1").text, "a: 1");
        assert_eq!(decode(b"\xFF\xFEa\x00").text, "a");
        assert_eq!(decode(b"a\xFF").source, Source::Invalid { line: 1 });
    }
}
