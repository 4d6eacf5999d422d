//! Writing fixed files without surprises: only regular files inside the scan
//! root, reached without a symlink; the new bytes go to a temporary file in
//! the same folder that then replaces the original in one rename, with the
//! original's permissions, owner and group. A crash leaves the old file or
//! the new one, never half of each. A read-only file is refused, as `git
//! apply` refuses it, and so is one whose owner and group cannot be kept
//! (a file of another user, when not run as root).

use std::io::Write as _;
use std::path::{Component, Path, PathBuf};

/// The path of root-relative `rel`, when every component below the root is a
/// plain folder and the last a regular file (no symlink anywhere, no `..`).
pub fn checked_path(root: &Path, rel: &str) -> Result<PathBuf, String> {
    let rel_path = Path::new(rel);
    if rel.is_empty()
        || rel_path
            .components()
            .any(|c| !matches!(c, Component::Normal(_)))
    {
        return Err(format!("{rel}: not a plain path inside the scan root"));
    }
    let mut at = root.to_path_buf();
    let count = rel_path.components().count();
    for (i, c) in rel_path.components().enumerate() {
        at.push(c);
        let meta = std::fs::symlink_metadata(&at).map_err(|e| format!("{rel}: {e}"))?;
        let ty = meta.file_type();
        if ty.is_symlink() {
            return Err(format!("{rel}: a symbolic link is on the way; not touched"));
        }
        let last = i + 1 == count;
        if (last && !ty.is_file()) || (!last && !ty.is_dir()) {
            return Err(format!("{rel}: not a regular file"));
        }
    }
    // Belt and braces: the resolved folder must still be under the root.
    let (croot, cdir) = (
        std::fs::canonicalize(root).map_err(|e| e.to_string())?,
        std::fs::canonicalize(at.parent().unwrap_or(root)).map_err(|e| e.to_string())?,
    );
    if !cdir.starts_with(&croot) {
        return Err(format!("{rel}: outside the scan root; not touched"));
    }
    Ok(at)
}

/// Replaces `rel` under `root` with `bytes`, atomically, keeping permissions.
/// `durable` flushes the new file to disk before the rename (what a crash
/// needs); a scratch copy skips it.
pub fn replace(root: &Path, rel: &str, bytes: &[u8], durable: bool) -> Result<(), String> {
    let path = checked_path(root, rel)?;
    let dir = path.parent().unwrap_or(root);
    let meta = std::fs::metadata(&path).map_err(|e| format!("{rel}: {e}"))?;
    let perms = meta.permissions();
    // Root may write anything: the mode says what the owner meant.
    let writable = std::fs::OpenOptions::new().write(true).open(&path).is_ok();
    if perms.readonly() || !writable {
        return Err(format!(
            "{rel}: read-only; not changed (make it writable to fix it)"
        ));
    }
    let err = |e: std::io::Error| format!("{rel}: cannot write: {e}");
    let mut tmp = tempfile::Builder::new()
        .prefix(".prisma1-lint-fix.")
        .tempfile_in(dir)
        .map_err(err)?;
    tmp.write_all(bytes).map_err(err)?;
    if durable {
        tmp.as_file().sync_all().map_err(err)?;
    }
    keep_owner(tmp.as_file(), &meta)
        .map_err(|e| format!("{rel}: its owner and group cannot be kept ({e}); not changed"))?;
    std::fs::set_permissions(tmp.path(), perms).map_err(err)?;
    tmp.persist(&path).map_err(|e| err(e.error))?;
    Ok(())
}

/// Gives the new file the original's owner and group (before its mode,
/// which a change of owner may clear bits of).
#[cfg(unix)]
fn keep_owner(new: &std::fs::File, old: &std::fs::Metadata) -> std::io::Result<()> {
    use std::os::unix::fs::MetadataExt;
    let now = new.metadata()?;
    if now.uid() == old.uid() && now.gid() == old.gid() {
        return Ok(());
    }
    std::os::unix::fs::fchown(new, Some(old.uid()), Some(old.gid()))
}

#[cfg(not(unix))]
fn keep_owner(_: &std::fs::File, _: &std::fs::Metadata) -> std::io::Result<()> {
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn refuses_parent_components_and_symlinks() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("repo");
        std::fs::create_dir_all(root.join("a")).unwrap();
        std::fs::write(root.join("a/f.yml"), "x").unwrap();
        std::fs::write(dir.path().join("outside.yml"), "x").unwrap();
        assert!(checked_path(&root, "a/f.yml").is_ok());
        assert!(checked_path(&root, "../outside.yml").is_err());
        assert!(checked_path(&root, "/etc/passwd").is_err());
        assert!(checked_path(&root, "a").is_err());
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(dir.path().join("outside.yml"), root.join("link.yml"))
                .unwrap();
            std::os::unix::fs::symlink(dir.path(), root.join("d")).unwrap();
            assert!(checked_path(&root, "link.yml").is_err());
            assert!(checked_path(&root, "d/outside.yml").is_err());
            assert!(replace(&root, "link.yml", b"y", true).is_err());
            assert_eq!(std::fs::read(dir.path().join("outside.yml")).unwrap(), b"x");
        }
    }

    #[cfg(unix)]
    #[test]
    fn replace_keeps_permissions_and_leaves_no_temp_file() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("deploy.sh");
        std::fs::write(&f, "old").unwrap();
        std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o751)).unwrap();
        replace(dir.path(), "deploy.sh", b"new", true).unwrap();
        assert_eq!(std::fs::read(&f).unwrap(), b"new");
        let mode = std::fs::metadata(&f).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o751);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[cfg(unix)]
    #[test]
    fn read_only_files_are_refused_and_left_alone() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("deploy.sh");
        std::fs::write(&f, "old").unwrap();
        std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o444)).unwrap();
        let err = replace(dir.path(), "deploy.sh", b"new", true).unwrap_err();
        assert!(err.contains("read-only"), "{err}");
        assert_eq!(std::fs::read(&f).unwrap(), b"old");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    /// Run as root (CI, containers), a fix keeps another user's file theirs.
    #[cfg(unix)]
    #[test]
    fn owner_and_group_are_kept() {
        use std::os::unix::fs::MetadataExt;
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("prisma.yml");
        std::fs::write(&f, "old").unwrap();
        if std::os::unix::fs::chown(&f, Some(4321), Some(4322)).is_err() {
            // Not root: a file can only be given to oneself.
            return;
        }
        replace(dir.path(), "prisma.yml", b"new", true).unwrap();
        let m = std::fs::metadata(&f).unwrap();
        assert_eq!((m.uid(), m.gid()), (4321, 4322));
        assert_eq!(std::fs::read(&f).unwrap(), b"new");
    }
}
