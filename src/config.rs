//! `.prisma1-lint.yml`: raw (serde, unknown keys rejected) then validated.
//! Every error points into the file with a miette span; exit code 2.

use crate::cli::FailOn;
use crate::diagnostic::FileError;
use crate::finding::Severity;
use globset::{Glob, GlobSet, GlobSetBuilder};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub const FILE_NAME: &str = ".prisma1-lint.yml";

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawConfig {
    #[serde(default)]
    select: Vec<String>,
    #[serde(default)]
    ignore: Vec<String>,
    #[serde(default)]
    severity: BTreeMap<String, Severity>,
    #[serde(default)]
    exclude: Vec<String>,
    #[serde(default)]
    rules_dirs: Vec<String>,
    #[serde(default)]
    fail_on: Option<RawFailOn>,
    #[serde(default)]
    max_file_size: Option<RawSize>,
    #[serde(default)]
    suppress: Vec<RawSuppress>,
    /// Severity of findings on commands that documentation tells people to run.
    #[serde(default)]
    documented_commands: Option<Severity>,
    /// The least confidence of a judgement `check` shows.
    #[serde(default)]
    min_confidence: Option<crate::finding::Confidence>,
}

/// `max-file-size:` as written: a number of any size YAML reads, or text.
#[derive(Debug)]
enum RawSize {
    Bytes(u64),
    /// A whole number past `u64` (YAML reads those as `u128` or a float).
    TooLarge,
    /// Negative or fractional, as YAML read it.
    NotWhole(String),
    Text(String),
}

impl<'de> Deserialize<'de> for RawSize {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Size;
        impl serde::de::Visitor<'_> for Size {
            type Value = RawSize;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a number of bytes or a size such as 4MiB")
            }
            fn visit_u64<E>(self, v: u64) -> Result<RawSize, E> {
                Ok(RawSize::Bytes(v))
            }
            fn visit_u128<E>(self, v: u128) -> Result<RawSize, E> {
                Ok(u64::try_from(v).map_or(RawSize::TooLarge, RawSize::Bytes))
            }
            fn visit_i64<E>(self, v: i64) -> Result<RawSize, E> {
                Ok(u64::try_from(v)
                    .map_or_else(|_| RawSize::NotWhole(v.to_string()), RawSize::Bytes))
            }
            fn visit_i128<E>(self, v: i128) -> Result<RawSize, E> {
                Ok(RawSize::NotWhole(v.to_string()))
            }
            fn visit_f64<E>(self, v: f64) -> Result<RawSize, E> {
                Ok(if v.fract() == 0.0 && v >= u64::MAX as f64 {
                    RawSize::TooLarge
                } else {
                    RawSize::NotWhole(v.to_string())
                })
            }
            fn visit_str<E>(self, v: &str) -> Result<RawSize, E> {
                Ok(RawSize::Text(v.to_string()))
            }
        }
        d.deserialize_any(Size)
    }
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "lowercase")]
enum RawFailOn {
    Error,
    Warning,
    Note,
    Never,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawSuppress {
    rule: String,
    paths: Vec<String>,
    reason: String,
}

/// A config-level suppression: findings of `rule` under `paths`.
#[derive(Debug)]
pub struct PathSuppression {
    pub rule: String,
    pub paths: GlobSet,
    pub reason: String,
}

/// The validated configuration.
#[derive(Debug, Default)]
pub struct Config {
    pub select: Vec<String>,
    pub ignore: Vec<String>,
    pub severity: BTreeMap<String, Severity>,
    pub exclude: Vec<String>,
    pub rules_dirs: Vec<PathBuf>,
    pub fail_on: Option<FailOn>,
    pub max_file_size: Option<u64>,
    pub suppress: Vec<PathSuppression>,
    /// `documented-commands:`: the severity of command findings in
    /// documentation (default `note`; a rule's own severity is the ceiling).
    pub documented_commands: Option<Severity>,
    /// `min-confidence:`: the least confidence of a judgement `check` shows
    /// (default [`crate::finding::Confidence::DEFAULT_MIN`]).
    pub min_confidence: Option<crate::finding::Confidence>,
    /// For errors found later (unknown rule ids): the file and its text.
    pub source: Option<(String, String)>,
    /// `rules-dirs` as written, for errors.
    raw_rules_dirs: Vec<String>,
    /// Read from the repository: errors echo only the offending token.
    confined: bool,
    /// ... unless the user runs it on their own machine (see [`Config::load_as`]).
    users_own: bool,
}

impl Config {
    /// Loads `path`. With `repo`, the file belongs to the repository at that
    /// root: it is read only if it resolves inside it, errors echo nothing but
    /// the offending token, and its `rules-dirs` must stay inside it too.
    pub fn load(path: &Path, repo: Option<&Path>) -> Result<Config, FileError> {
        Config::load_as(path, repo, false)
    }

    /// [`Config::load`]; with `users_own`, a repository's file is one the
    /// user runs on their own machine (not in CI): its errors show the line
    /// they point at, underlined at the value, as for `--config` files. It is
    /// still read only inside the repository, with its `rules-dirs` there.
    pub fn load_as(path: &Path, repo: Option<&Path>, users_own: bool) -> Result<Config, FileError> {
        let name = path.display().to_string();
        let read = match repo {
            Some(root) => crate::fsread::inside(root, path)
                .and_then(|full| crate::fsread::read_text(&full, crate::fsread::MAX_CONFIG_FILE)),
            None => crate::fsread::read_text(path, crate::fsread::MAX_CONFIG_FILE),
        };
        let text = read.map_err(|e| {
            FileError::new(&name, "", (0, 0), format!("config file {name} {e}"), "here")
        })?;
        let dir = path.parent().unwrap_or(Path::new("."));
        let Some(root) = repo else {
            return Config::parse(&name, &text, dir).map_err(FileError::at_value);
        };
        let mut cfg = Config::parse(&name, &text, dir).map_err(|e| match users_own {
            true => e.at_value(),
            false => e.confined(),
        })?;
        cfg.confined = true;
        cfg.users_own = users_own;
        cfg.confine_rules_dirs(root)?;
        Ok(cfg)
    }

    /// A repository's config may not load rules from outside the repository
    /// (`/etc`, `../../..`, a link out): they would be read, and echoed in errors.
    fn confine_rules_dirs(&self, root: &Path) -> Result<(), FileError> {
        for (dir, raw) in self.rules_dirs.iter().zip(&self.raw_rules_dirs) {
            let lexically_out = Path::new(raw).is_absolute()
                || Path::new(raw)
                    .components()
                    .any(|c| matches!(c, std::path::Component::ParentDir));
            let resolved_out = matches!(
                crate::fsread::inside(root, dir),
                Err(crate::fsread::ReadError::Outside)
            );
            if lexically_out || resolved_out {
                let err = self
                    .error_at(
                        raw,
                        format!("rules-dirs entry `{raw}` is outside the repository; a repository's config may only load rules from inside it (use --rules for others)"),
                    )
                    .unwrap_or_else(|| FileError::new("", "", (0, 0), "rules-dirs outside the repository", "here"));
                return Err(err);
            }
            // Said here, with the entry's place: the rule loader's own
            // message would name the folder, which may be a secret.
            if !dir.is_dir() {
                let err = self
                    .error_at(
                        raw,
                        format!("rules-dirs entry `{raw}` is not a folder of the repository"),
                    )
                    .unwrap_or_else(|| {
                        FileError::new("", "", (0, 0), "rules-dirs entry is not a folder", "here")
                    });
                return Err(err);
            }
        }
        Ok(())
    }

    pub fn parse(name: &str, text: &str, dir: &Path) -> Result<Config, FileError> {
        let raw: RawConfig = if text.trim().is_empty() {
            RawConfig::default()
        } else {
            FileError::refuse_deep_yaml(name, text, "config file")?;
            serde_yaml_ng::from_str(text)
                .map_err(|e| FileError::from_yaml(name, text, &e, "config file"))?
        };
        let size_error = |needle: &str, message: String| {
            FileError::at_text(name, text, "max-file-size", needle, message, "not a size")
        };
        let max_file_size = match &raw.max_file_size {
            None => None,
            Some(RawSize::Bytes(n)) => Some(*n),
            Some(RawSize::TooLarge) => {
                let v = value_text(text, "max-file-size");
                return Err(size_error(&v, format!("max-file-size: `{v}` is too large")));
            }
            Some(RawSize::NotWhole(n)) => {
                return Err(size_error(
                    &value_text(text, "max-file-size"),
                    format!("max-file-size `{n}` is not a whole number of bytes (use for example 4194304 or 4MiB)"),
                ))
            }
            Some(RawSize::Text(s)) => Some(
                parse_size(s).map_err(|e| size_error(s, format!("max-file-size: {e}")))?,
            ),
        };
        for g in &raw.exclude {
            Glob::new(g).map_err(|e| {
                FileError::at_text(
                    name,
                    text,
                    "",
                    g,
                    format!("bad exclude glob `{g}`: {}", e.kind()),
                    "bad glob",
                )
            })?;
        }
        let mut suppress = Vec::new();
        for s in &raw.suppress {
            if s.reason.trim().is_empty() {
                return Err(FileError::at_text(
                    name,
                    text,
                    "reason",
                    "reason",
                    "a suppression needs a reason",
                    "empty reason",
                ));
            }
            let mut b = GlobSetBuilder::new();
            for g in unique(&s.paths) {
                b.add(Glob::new(g).map_err(|e| {
                    FileError::at_text(
                        name,
                        text,
                        "",
                        g,
                        format!("bad glob `{g}`: {}", e.kind()),
                        "bad glob",
                    )
                })?);
            }
            let paths = b.build().map_err(|e| {
                FileError::at_text(
                    name,
                    text,
                    "paths",
                    "paths",
                    e.kind().to_string(),
                    "bad globs",
                )
            })?;
            suppress.push(PathSuppression {
                rule: s.rule.clone(),
                paths,
                reason: s.reason.clone(),
            });
        }
        Ok(Config {
            select: raw.select,
            ignore: raw.ignore,
            severity: raw.severity,
            exclude: raw.exclude,
            rules_dirs: raw.rules_dirs.iter().map(|d| dir.join(d)).collect(),
            fail_on: raw.fail_on.map(|f| match f {
                RawFailOn::Error => FailOn::Error,
                RawFailOn::Warning => FailOn::Warning,
                RawFailOn::Note => FailOn::Note,
                RawFailOn::Never => FailOn::Never,
            }),
            max_file_size,
            suppress,
            documented_commands: raw.documented_commands,
            min_confidence: raw.min_confidence,
            source: Some((name.to_string(), text.to_string())),
            raw_rules_dirs: raw.rules_dirs,
            confined: false,
            users_own: false,
        })
    }

    /// An error pointing at `needle` in the config file (for unknown rule ids).
    pub fn error_at(&self, needle: &str, message: String) -> Option<FileError> {
        self.source.as_ref().map(|(n, t)| {
            let e = FileError::at_text(n, t, "", needle, message, "here");
            if self.confined && !self.users_own {
                e.confined()
            } else {
                e
            }
        })
    }

    /// Read from the repository (see [`Config::load`]).
    pub fn is_confined(&self) -> bool {
        self.confined
    }

    pub fn exclude_set(&self) -> Option<GlobSet> {
        if self.exclude.is_empty() {
            return None;
        }
        let mut b = GlobSetBuilder::new();
        for g in unique(&self.exclude) {
            if let Ok(glob) = Glob::new(g) {
                b.add(glob);
            }
        }
        b.build().ok()
    }
}

/// Each glob once: a set of the same glob many times takes time with the
/// square of their number to build (60,000 copies of `a/**` took 9 s).
pub fn unique(globs: &[String]) -> std::collections::BTreeSet<&String> {
    globs.iter().collect()
}

/// The value written after `key:` on its line, for spans.
fn value_text(text: &str, key: &str) -> String {
    text.lines()
        .find_map(|l| {
            l.trim_start()
                .strip_prefix(key)?
                .trim_start()
                .strip_prefix(':')
        })
        .map(|v| v.split('#').next().unwrap_or("").trim().to_string())
        .unwrap_or_default()
}

/// `4194304`, `4MiB`, `512KiB`, `1GiB` (also `MB`/`KB`/`M`/`K`, as binary units).
pub fn parse_size(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let n: u64 = num.parse().map_err(|_| {
        // Digits past `u64` are a size, only too large for any file.
        if num.is_empty() {
            format!("`{s}` is not a size such as 4MiB")
        } else {
            format!("`{s}` is too large")
        }
    })?;
    let mult = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kb" | "kib" => 1 << 10,
        "m" | "mb" | "mib" => 1 << 20,
        "g" | "gb" | "gib" => 1 << 30,
        _ => return Err(format!("`{s}` has an unknown unit; use KiB, MiB or GiB")),
    };
    n.checked_mul(mult)
        .ok_or_else(|| format!("`{s}` is too large"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copies_of_a_glob_are_one_glob_and_distinct_ones_stay() {
        let mut globs: Vec<String> = std::iter::repeat_n("a/**".to_string(), 10_000).collect();
        globs.extend(["b/*".to_string(), "a/**".to_string(), "c".to_string()]);
        let u: Vec<&str> = unique(&globs).into_iter().map(String::as_str).collect();
        assert_eq!(u, ["a/**", "b/*", "c"]);
    }

    #[test]
    fn unknown_keys_are_errors_with_a_span() {
        let err = Config::parse(
            "c.yml",
            "select: [cloud-endpoint]\nfail_onn: error\n",
            Path::new("."),
        )
        .err();
        let span = err.map(|e| {
            (
                e.span.offset(),
                e.message.contains("unknown key `fail_onn`"),
            )
        });
        assert_eq!(span, Some((25, true)));
    }

    #[test]
    fn bad_sizes_are_spanned_errors() {
        for (text, token) in [
            ("max-file-size: -1\n", 15),
            ("max-file-size: 1.5e9\n", 15),
            ("max-file-size: 99999999999999999999999\n", 15),
            ("max-file-size: 1e300\n", 15),
            ("max-file-size: 99999999999GiB\n", 15),
        ] {
            let err = Config::parse("c.yml", text, Path::new(".")).err();
            let at = err.map(|e| (e.span.offset(), e.message.contains("max-file-size")));
            assert_eq!(at, Some((token, true)), "{text}");
        }
    }

    #[test]
    fn rules_dirs_outside_a_repository_are_refused() -> std::io::Result<()> {
        let repo = tempfile::tempdir()?;
        let cfg_path = repo.path().join(FILE_NAME);
        for dir in ["/etc", "../../..", "a/../../b"] {
            std::fs::write(&cfg_path, format!("rules-dirs:\n  - {dir}\n"))?;
            let err = Config::load(&cfg_path, Some(repo.path())).err();
            // Line 2, column 5: where the entry is, though only it is shown.
            let shown = err.map(|e| format!("{:?}", miette::Report::new(e)));
            let at = format!("{FILE_NAME}:2:5]");
            assert!(
                shown
                    .as_ref()
                    .is_some_and(|s| s.contains("outside") && s.contains(&at)),
                "{dir}: {shown:?}"
            );
        }
        std::fs::create_dir(repo.path().join("rules"))?;
        std::fs::write(&cfg_path, "rules-dirs: [rules]\n")?;
        assert!(Config::load(&cfg_path, Some(repo.path())).is_ok());
        Ok(())
    }

    #[test]
    fn a_config_linked_out_of_the_repository_is_not_read() -> std::io::Result<()> {
        let outside = tempfile::tempdir()?;
        std::fs::write(outside.path().join("env"), "HOME_TOKEN=canary-out-9f3\n")?;
        let repo = tempfile::tempdir()?;
        let cfg_path = repo.path().join(FILE_NAME);
        std::os::unix::fs::symlink(outside.path().join("env"), &cfg_path)?;
        let err = Config::load(&cfg_path, Some(repo.path())).err();
        let shown = err.map(|e| format!("{:?}", miette::Report::new(e)));
        assert!(
            shown
                .as_deref()
                .is_some_and(|s| s.contains("outside") && !s.contains("canary")),
            "{shown:?}"
        );
        Ok(())
    }

    #[test]
    fn parse_errors_of_a_repository_config_echo_only_the_token() -> std::io::Result<()> {
        let repo = tempfile::tempdir()?;
        std::fs::write(
            repo.path().join(".env"),
            "API_TOKEN=canary-in-77a\nOTHER=canary-in-88b\n",
        )?;
        let cfg_path = repo.path().join(FILE_NAME);
        std::os::unix::fs::symlink(repo.path().join(".env"), &cfg_path)?;
        let err = Config::load(&cfg_path, Some(repo.path())).err();
        let shown = err.map(|e| format!("{:?}", miette::Report::new(e)));
        assert!(
            shown.as_deref().is_some_and(|s| !s.contains("canary")),
            "{shown:?}"
        );
        Ok(())
    }

    /// Found by the `parsers` fuzz target: a config of carriage returns made
    /// the confined frame as long as the file (of spaces).
    #[test]
    fn a_confined_error_frame_is_as_small_as_its_token() {
        let text = format!(
            "{{bn{}_END\r\rv:PRISMA{}",
            "\r".repeat(5000),
            "\r".repeat(5000)
        );
        let err = Config::parse("c.yml", &text, Path::new(".")).err();
        let shown = err.map(|e| format!("{:?}", miette::Report::new(e.confined())));
        assert!(shown.as_ref().is_some_and(|s| s.len() < 2000), "{shown:?}");
    }

    /// Found by the `parsers` fuzz target: a flow mapping whose key spans
    /// many blank lines came back in the message with all of them.
    #[test]
    fn a_confined_error_message_is_one_bounded_line() {
        let text = format!(
            "{{{}mapping values{}{}\t\t\t\t{}mapping values{}{}ate\"\n  }}",
            "\n".repeat(12),
            "\u{FFFD}".repeat(13),
            "\n".repeat(30),
            "\n".repeat(40),
            "\u{FFFD}".repeat(13),
            "\n".repeat(120),
        );
        let err = Config::parse("c.yml", &text, Path::new(".")).err();
        let shown = err.map(|e| format!("{:?}", miette::Report::new(e.confined())));
        let shown = shown.unwrap_or_default();
        assert!(!shown.is_empty());
        assert!(
            shown.len() < 4096 + 64 * 8,
            "{} bytes: {shown:?}",
            shown.len()
        );
    }

    #[test]
    fn sizes_parse() {
        assert_eq!(parse_size("4MiB"), Ok(4 << 20));
        assert_eq!(parse_size("100"), Ok(100));
        assert!(parse_size("lots").is_err());
        for big in [
            "99999999999999999999GiB",
            "99999999999999999999",
            "17179869184GiB",
        ] {
            assert_eq!(parse_size(big), Err(format!("`{big}` is too large")));
        }
    }
}
