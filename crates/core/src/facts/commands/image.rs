//! What an image built from the repository holds of it: a Dockerfile's
//! `COPY`/`ADD` (where each source lands in the image) and its `WORKDIR`,
//! and the names the repository builds images under (`docker build -t NAME
//! -f FILE CONTEXT`, in any script, CI step or README). A container that
//! runs `./deploy.sh` in such an image runs the repository's script the
//! Dockerfile copied there.

use super::lex::{lex, Tok};
use super::site::CommandSite;
use crate::paths::join;

/// Copies into an image beyond this are not kept: hostile Dockerfiles.
const MAX_COPIES: usize = 256;

/// Where a Dockerfile puts the build context's files in its (last) image.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImageLayout {
    /// The last `WORKDIR`, absolute (`/` when none).
    pub workdir: String,
    pub copies: Vec<ImageCopy>,
}

/// `COPY src dest`: `dest` absolute in the image, `src` relative to the
/// build context; `into` when `dest` is a folder the source lands in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageCopy {
    pub dest: String,
    pub src: String,
    pub into: bool,
}

impl ImageLayout {
    /// The build-context paths that may be at `path` (absolute, or relative
    /// to the `WORKDIR`) in the image, latest copy first.
    pub fn sources(&self, path: &str) -> Vec<String> {
        let abs = absolute(&self.workdir, path);
        let mut out = Vec::new();
        for c in self.copies.iter().rev() {
            if abs == c.dest {
                if !c.into || c.src == "." || c.src.ends_with('/') {
                    out.push(c.src.clone());
                }
            } else if let Some(rest) =
                abs.strip_prefix(&format!("{}/", c.dest.trim_end_matches('/')))
            {
                let folder = if c.src == "." {
                    ""
                } else {
                    c.src.trim_end_matches('/')
                };
                // `COPY dir /app/dir` copies the folder's content there.
                out.push(join(folder, rest));
            }
        }
        out
    }

    /// The build-context folder at `dir` (absolute) in the image, when a
    /// whole folder was copied there (`COPY . /app`): "" for the context.
    pub fn context_folder(&self, dir: &str) -> Option<String> {
        let covered = self.copies.iter().any(|c| {
            (c.src == "." || c.src.ends_with('/'))
                && (dir == c.dest || dir.starts_with(&format!("{}/", c.dest.trim_end_matches('/'))))
        });
        if !covered {
            return None;
        }
        let s = self.sources(dir).into_iter().next()?;
        Some(if s == "." {
            String::new()
        } else {
            s.trim_end_matches('/').to_string()
        })
    }
}

fn absolute(workdir: &str, path: &str) -> String {
    if path.starts_with('/') {
        format!("/{}", join("", path))
    } else {
        format!("/{}", join(workdir.trim_start_matches('/'), path))
    }
}

/// The layout of the last stage of a Dockerfile (`COPY --from` copies from
/// another stage, not from the repository, and are left out).
pub fn layout(instructions: impl Iterator<Item = (String, String)>) -> ImageLayout {
    let mut l = ImageLayout {
        workdir: "/".into(),
        copies: Vec::new(),
    };
    for (keyword, args) in instructions {
        match keyword.as_str() {
            "FROM" => {
                l = ImageLayout {
                    workdir: "/".into(),
                    copies: Vec::new(),
                }
            }
            "WORKDIR" => {
                let w = args.trim().trim_matches('"');
                if !w.contains('$') {
                    l.workdir = absolute(&l.workdir, w);
                }
            }
            "COPY" | "ADD" => {
                if l.copies.len() >= MAX_COPIES {
                    continue;
                }
                let words = copy_words(&args);
                if words.iter().any(|w| w.starts_with("--from")) {
                    continue;
                }
                let paths: Vec<&String> = words.iter().filter(|w| !w.starts_with("--")).collect();
                let Some((dest, srcs)) = paths.split_last() else {
                    continue;
                };
                if srcs.is_empty() || dest.contains('$') {
                    continue;
                }
                let into = srcs.len() > 1 || dest.ends_with('/') || dest.as_str() == ".";
                let dest = absolute(&l.workdir, dest);
                for s in srcs {
                    if s.contains("://") || s.contains('$') || s.contains('*') {
                        continue;
                    }
                    let src = join("", s);
                    let src = if src.is_empty() { ".".to_string() } else { src };
                    let (dest, into) = if into && src != "." && !s.ends_with('/') {
                        // A file copied into a folder lands under its own name.
                        let name = src.rsplit('/').next().unwrap_or(&src);
                        (format!("{}/{name}", dest.trim_end_matches('/')), false)
                    } else {
                        (dest.clone(), into)
                    };
                    let src = if s.ends_with('/') {
                        format!("{src}/")
                    } else {
                        src
                    };
                    l.copies.push(ImageCopy { dest, src, into });
                }
            }
            _ => {}
        }
    }
    l
}

/// The words of `COPY` arguments, shell or JSON form.
fn copy_words(args: &str) -> Vec<String> {
    let t = args.trim();
    if t.starts_with('[') {
        if let Ok(v) = serde_json::from_str::<Vec<String>>(t) {
            return v;
        }
    }
    lex(t, super::lex::Dialect::Shell)
        .into_iter()
        .filter_map(|tok| match tok {
            Tok::Word(w) => Some(w.value),
            _ => None,
        })
        .collect()
}

/// An image name as a registry would resolve it, without registry, tag or
/// digest: `index.docker.io/acme/helper:latest` is `acme/helper`.
pub fn image_name(raw: &str) -> String {
    let raw = raw.split('@').next().unwrap_or(raw);
    let mut parts: Vec<&str> = raw.split('/').collect();
    if parts.len() > 1 && (parts[0].contains(['.', ':']) || parts[0] == "localhost") {
        parts.remove(0);
    }
    if parts.len() > 1 && parts[0] == "library" {
        parts.remove(0);
    }
    let joined = parts.join("/");
    match joined.rsplit_once(':') {
        Some((name, tag)) if !tag.contains('/') => name.to_string(),
        _ => joined,
    }
}

/// `docker build [-t NAME]... [-f FILE] CONTEXT` (also `docker image build`,
/// `docker buildx build`): the image names and the Dockerfile, rooted.
/// Whether these words build an image (`docker build`, `docker image
/// build`, `docker buildx build`): [`docker_build`] reads the site.
pub fn builds<S: AsRef<str>>(argv: &[S]) -> bool {
    let w = |i: usize| argv.get(i).map(|a| a.as_ref());
    w(0) == Some("docker")
        && (w(1) == Some("build")
            || (matches!(w(1), Some("image" | "buildx")) && w(2) == Some("build")))
}

pub fn docker_build(site: &CommandSite) -> Option<(Vec<String>, String)> {
    let argv = &site.argv;
    let rest = match argv
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["docker", "build", ..] => &argv[2..],
        ["docker", "image" | "buildx", "build", ..] => &argv[3..],
        _ => return None,
    };
    let mut tags = Vec::new();
    let mut file = None;
    let mut context = None;
    let mut it = rest.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "-t" | "--tag" => tags.extend(it.next().map(|t| image_name(t))),
            "-f" | "--file" => file = it.next().cloned(),
            a if a.starts_with("--tag=") => tags.push(image_name(&a[6..])),
            a if a.starts_with("--file=") => file = Some(a[7..].to_string()),
            // Flags with a value.
            "--build-arg" | "--target" | "--platform" | "--label" | "--network"
            | "--cache-from" => {
                it.next();
            }
            a if a.starts_with('-') => {}
            a => context = Some(a.to_string()),
        }
    }
    if tags.is_empty() {
        return None;
    }
    let cwd = &site.cwd;
    let context = join(cwd, context.as_deref().unwrap_or("."));
    let dockerfile = match file {
        Some(f) => join(cwd, &f),
        None => join(&context, "Dockerfile"),
    };
    Some((tags, dockerfile))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lay(text: &str) -> ImageLayout {
        layout(text.lines().filter_map(|l| {
            let (k, a) = l.split_once(' ')?;
            Some((k.to_ascii_uppercase(), a.to_string()))
        }))
    }

    #[test]
    fn copies_map_image_paths_back_to_the_context() {
        let l = lay("FROM node:8\nWORKDIR /usr/src/app\nCOPY jobs/prisma.yml .\nCOPY jobs/deploy.sh deploy.sh\nCOPY scripts scripts\nCOPY --from=build /out /out");
        assert_eq!(l.workdir, "/usr/src/app");
        assert_eq!(l.sources("./deploy.sh"), ["jobs/deploy.sh"]);
        assert_eq!(l.sources("/usr/src/app/prisma.yml"), ["jobs/prisma.yml"]);
        assert_eq!(l.sources("scripts/seed.sh"), ["scripts/seed.sh"]);
        assert!(l.sources("/out/x").is_empty());
        let all = lay("FROM node\nWORKDIR app\nCOPY . .\nCMD x");
        assert_eq!(all.sources("./server/start.sh"), ["server/start.sh"]);
        assert_eq!(all.context_folder("/app").as_deref(), Some(""));
    }

    #[test]
    fn image_names_without_registry_or_tag() {
        assert_eq!(
            image_name("index.docker.io/addy/helper:latest"),
            "addy/helper"
        );
        assert_eq!(image_name("addy/helper"), "addy/helper");
        assert_eq!(image_name("localhost:5000/team/app:1.2"), "team/app");
        assert_eq!(image_name("docker.io/library/node:12"), "node");
        assert_eq!(image_name("ghcr.io/a/b@sha256:00"), "a/b");
    }
}
