//! Reading files named by the repository (its config, rule folders,
//! datamodels) without trusting it: a pull request can add a symbolic link to
//! `/proc/self/environ`, `/etc/passwd` or `/proc/self/pagemap`. Every path is
//! resolved, link by link, and must stay inside the scan root; only regular
//! files are opened; every read is bounded.

use std::io::Read;
use std::path::{Path, PathBuf};

/// Largest config or rule file we read: far above any real one.
pub const MAX_CONFIG_FILE: u64 = 1 << 20;

/// Why a file was not read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("is outside the repository (through a symbolic link or `..`); it is not read")]
    Outside,
    #[error("is not a regular file")]
    NotRegular,
    #[error("is larger than {0} bytes")]
    TooLarge(u64),
    #[error("cannot be read: {0}")]
    Io(#[from] std::io::Error),
}

/// `path` resolved through every link, when it stays under `root` (also
/// resolved). Checks every component, not only the last.
pub fn inside(root: &Path, path: &Path) -> Result<PathBuf, ReadError> {
    let root = std::fs::canonicalize(root)?;
    let full = std::fs::canonicalize(path)?;
    if full.starts_with(&root) {
        Ok(full)
    } else {
        Err(ReadError::Outside)
    }
}

/// Reads at most `max` bytes of the regular file `path`, never waiting on a
/// FIFO or a device and never reading a file that grows past `max`.
pub fn read_bounded(path: &Path, max: u64) -> Result<Vec<u8>, ReadError> {
    let meta = std::fs::metadata(path)?;
    if !meta.is_file() {
        return Err(ReadError::NotRegular);
    }
    if meta.len() > max {
        return Err(ReadError::TooLarge(max));
    }
    let file = std::fs::File::open(path)?;
    let mut buf = Vec::new();
    // `take` bounds files whose size the metadata does not tell (/proc).
    file.take(max.saturating_add(1)).read_to_end(&mut buf)?;
    if buf.len() as u64 > max {
        return Err(ReadError::TooLarge(max));
    }
    Ok(buf)
}

/// Reads `path`, which the repository names, only if it resolves inside `root`.
pub fn read_inside(root: &Path, path: &Path, max: u64) -> Result<Vec<u8>, ReadError> {
    let full = inside(root, path)?;
    read_bounded(&full, max)
}

/// Reads a file as text for a loader (config, rules): decoded the way scanned
/// files are, so a BOM or UTF-16 does not make it unreadable.
pub fn read_text(path: &Path, max: u64) -> Result<String, ReadError> {
    let bytes = read_bounded(path, max)?;
    Ok(crate::decode::decode(&bytes).text.into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_out_of_the_root_are_refused_at_any_component() -> std::io::Result<()> {
        let outside = tempfile::tempdir()?;
        std::fs::write(outside.path().join("secret.txt"), "TOP-SECRET")?;
        let repo = tempfile::tempdir()?;
        std::os::unix::fs::symlink(outside.path(), repo.path().join("linked"))?;
        std::os::unix::fs::symlink(
            outside.path().join("secret.txt"),
            repo.path().join("direct"),
        )?;
        std::fs::write(repo.path().join("ok.txt"), "fine")?;
        for p in ["linked/secret.txt", "direct", "../x"] {
            let r = read_inside(repo.path(), &repo.path().join(p), 100);
            assert!(r.is_err(), "{p} was read");
        }
        let ok = read_inside(repo.path(), &repo.path().join("ok.txt"), 100).ok();
        assert_eq!(ok.as_deref(), Some(&b"fine"[..]));
        Ok(())
    }

    #[test]
    fn reads_are_bounded_even_when_metadata_says_zero() {
        // /proc files report a length of 0 and can be huge.
        let r = read_bounded(Path::new("/proc/self/maps"), 4);
        assert!(matches!(r, Err(ReadError::TooLarge(4))), "{r:?}");
    }

    #[test]
    fn fifos_are_not_opened() -> std::io::Result<()> {
        let dir = tempfile::tempdir()?;
        let fifo = dir.path().join("f");
        let status = std::process::Command::new("mkfifo").arg(&fifo).status()?;
        assert!(status.success());
        assert!(matches!(
            read_bounded(&fifo, 10),
            Err(ReadError::NotRegular)
        ));
        Ok(())
    }
}
