//! The whole check over a small repository written from the input, through
//! every reporter, with two oracles: a secret planted in the repository
//! never appears in any output, and output stays proportional to input.
#![no_main]

use libfuzzer_sys::fuzz_target;
use prisma1_lint::cli::Format;

#[path = "common.rs"]
mod common;

const CANARY: &str = "zqCanary7Rb2Xw";
const FORMATS: [Format; 5] = [
    Format::Human,
    Format::Json,
    Format::Sarif,
    Format::Github,
    Format::Markdown,
];

fuzz_target!(|data: &[u8]| {
    // Files are separated by 0xFF 0x00; each starts with its name selector.
    let text_in = String::from_utf8_lossy(data);
    if text_in.contains(CANARY) || data.len() > 64 * 1024 {
        return;
    }
    let Ok(dir) = tempfile::Builder::new().prefix("p1fuzz").tempdir_in(tmp()) else {
        return;
    };
    let mut names = Vec::new();
    for part in split(data).take(3) {
        let Some((&selector, body)) = part.split_first() else {
            continue;
        };
        let name = common::name(selector);
        if names.contains(&name) {
            continue;
        }
        names.push(name);
        let path = dir.path().join(name);
        if let Some(parent) = path.parent() {
            let _ = std::fs::create_dir_all(parent);
        }
        let mut body = body.to_vec();
        // Planted where the extractors find it, whatever the fuzzer wrote before.
        body.extend_from_slice(format!("\nPRISMA_MANAGEMENT_API_SECRET={CANARY}\n").as_bytes());
        let _ = std::fs::write(path, body);
    }
    let _ = std::fs::write(
        dir.path().join(".env.fuzz"),
        format!(
            "PRISMA_MANAGEMENT_API_SECRET={CANARY}\nPRISMA_ENDPOINT=https://eu1.prisma.sh/a/b/c\n"
        ),
    );
    let Ok(outputs) = prisma1_lint::app::check_outputs(dir.path(), &FORMATS) else {
        return;
    };
    for (format, bytes) in FORMATS.iter().zip(&outputs) {
        let shown = String::from_utf8_lossy(bytes);
        assert!(
            !shown.contains(CANARY),
            "{format:?} output holds the planted secret"
        );
        // Rule help and SARIF rule metadata are a fixed cost; findings are
        // bounded per input byte.
        let bound = 512 * 1024 + 2000 * data.len();
        assert!(
            bytes.len() <= bound,
            "{format:?}: {} output bytes for {} input bytes",
            bytes.len(),
            data.len()
        );
    }
});

fn split(data: &[u8]) -> impl Iterator<Item = &[u8]> {
    let mut rest = data;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        match rest.windows(2).position(|w| w == [0xFF, 0x00]) {
            Some(i) => {
                let part = &rest[..i];
                rest = &rest[i + 2..];
                Some(part)
            }
            None => Some(std::mem::take(&mut rest)),
        }
    })
}

fn tmp() -> std::path::PathBuf {
    let shm = std::path::Path::new("/dev/shm");
    if shm.is_dir() {
        shm.to_path_buf()
    } else {
        std::env::temp_dir()
    }
}
