//! Peels launchers off a simple command so `argv[0]` is the program that runs.
//!
//! `npx`, `yarn`, `dotenv -e F --`, `env VAR=x` and friends only start
//! another program, sometimes adding environment on the way. Rules care about
//! the program and about that environment, so both are taken apart here.

use super::containers;
use super::lex::Word;
use super::peeled::{is_assignment, Peeled};

/// Yarn and pnpm commands that are not scripts or binaries.
const PM_BUILTINS: [&str; 26] = [
    "install",
    "i",
    "add",
    "remove",
    "rm",
    "upgrade",
    "up",
    "update",
    "global",
    "init",
    "info",
    "list",
    "ls",
    "link",
    "unlink",
    "publish",
    "pack",
    "version",
    "login",
    "logout",
    "cache",
    "config",
    "why",
    "audit",
    "outdated",
    "workspace",
];

pub(crate) fn peel(words: &[Word]) -> Peeled {
    let mut p = Peeled::default();
    let mut i = 0;
    while let Some(w) = words.get(i) {
        let before = i;
        i = match w.value.as_str() {
            "npx" | "bunx" => skip_npx_flags(words, i + 1, &mut p, &w.value),
            "yarn" => yarn(words, i, &mut p),
            "pnpm" => pnpm(words, i, &mut p),
            "npm" => npm(words, i, &mut p),
            "bun" => match words.get(i + 1).map(|w| w.value.as_str()) {
                Some("run") => push(&mut p, "bun run", i + 2),
                Some("x") => push(&mut p, "bunx", i + 2),
                _ => i,
            },
            "env" => env(words, i + 1, &mut p),
            "docker" | "podman" => containers::docker(words, i, &mut p),
            "docker-compose" | "podman-compose" => containers::compose(words, i, &mut p),
            "kubectl" | "oc" => containers::kubectl(words, i, &mut p),
            "heroku" => containers::heroku(words, i, &mut p),
            "ssh" => containers::ssh(words, i, &mut p),
            v if containers::is_secret_runner(v) => containers::secret_runner(words, i, &mut p),
            "cross-env" | "cross-env-shell" => {
                p.wrappers.push("cross-env".into());
                take_assignments(words, i + 1, &mut p)
            }
            "dotenv" => dotenv(words, i + 1, &mut p),
            "env-cmd" => env_cmd(words, i + 1, &mut p),
            "sudo" => skip_flags(
                words,
                i + 1,
                &mut p,
                "sudo",
                &["-u", "-g", "-C", "-h", "-p"],
            ),
            "time" => skip_flags(words, i + 1, &mut p, "time", &[]),
            "exec" => skip_flags(words, i + 1, &mut p, "exec", &["-a"]),
            "nohup" | "chronic" | "unbuffer" => push(&mut p, &w.value, i + 1),
            // `timeout [opts] 60 cmd`, `nice -n 10 cmd`, `flock /tmp/l cmd`: one operand first.
            "timeout" => operand_then(
                words,
                i,
                &mut p,
                &["-s", "--signal", "-k", "--kill-after"],
                1,
            ),
            "flock" => operand_then(words, i, &mut p, &["-w", "--timeout", "-E"], 1),
            "nice" | "ionice" | "stdbuf" | "taskset" => operand_then(
                words,
                i,
                &mut p,
                &["-n", "--adjustment", "-c", "--class"],
                0,
            ),
            // `wait-for-it.sh host:4466 -t 30 -- cmd`, `wait-for db:5432 -- cmd`.
            v if is_waiter(v) => after_double_dash(words, i, &mut p),
            "dockerize" => dockerize(words, i, &mut p),
            "dotenvx" => dotenvx(words, i, &mut p),
            "eval" if words.len() > i + 1 => {
                p.wrappers.push("eval".into());
                p.script = Some(containers::join(&words[i + 1..]));
                return p;
            }
            v if v.contains("node_modules/.bin/") => {
                let mut bin = w.clone();
                let cut = v
                    .rfind("node_modules/.bin/")
                    .map_or(0, |k| k + "node_modules/.bin/".len());
                bin.value = v[cut..].to_string();
                bin.idx = w.idx.get(cut..).unwrap_or_default().to_vec();
                p.wrappers.push("node_modules/.bin".into());
                p.argv = std::iter::once(bin)
                    .chain(words[i + 1..].iter().cloned())
                    .collect();
                return p;
            }
            v if is_shell(v) => return shell_c(words, i, p),
            _ => i,
        };
        // After `npm run` the next word names a script, not a launcher.
        if i == before || p.wrappers.last().is_some_and(|w| w == "npm run") {
            break;
        }
        if std::mem::take(&mut p.launched) {
            p.inner_start = i;
        }
        if p.script.is_some() {
            return p;
        }
    }
    p.argv = words.get(i..).unwrap_or_default().to_vec();
    p
}

fn push(p: &mut Peeled, name: &str, next: usize) -> usize {
    p.wrappers.push(name.to_string());
    next
}

fn value(words: &[Word], i: usize) -> Option<&str> {
    words.get(i).map(|w| w.value.as_str())
}

/// Skips option words; `with_arg` options also take the next word.
fn skip_flags(
    words: &[Word],
    mut i: usize,
    p: &mut Peeled,
    name: &str,
    with_arg: &[&str],
) -> usize {
    p.wrappers.push(name.to_string());
    while let Some(v) = value(words, i) {
        if v == "--" {
            return i + 1;
        }
        if !v.starts_with('-') {
            break;
        }
        i += if with_arg.contains(&v) { 2 } else { 1 };
    }
    i
}

fn skip_npx_flags(words: &[Word], i: usize, p: &mut Peeled, name: &str) -> usize {
    skip_flags(
        words,
        i,
        p,
        name,
        &["-p", "--package", "-c", "--call", "--node-options"],
    )
}

fn yarn(words: &[Word], at: usize, p: &mut Peeled) -> usize {
    let mut i = at + 1;
    while let Some(v) = value(words, i).filter(|v| v.starts_with('-')) {
        if v == "--cwd" {
            p.cwd = value(words, i + 1).map(str::to_string);
            i += 1;
        }
        i += 1;
    }
    match value(words, i) {
        None => at,
        Some("workspace") if words.len() > i + 2 => {
            p.workspace = value(words, i + 1).map(str::to_string);
            p.wrappers.push("yarn workspace".into());
            match value(words, i + 2) {
                Some("run") => push(p, "yarn run", i + 3),
                _ => push(p, "yarn", i + 2),
            }
        }
        Some("run") => push(p, "yarn run", i + 1),
        Some("exec") => push(p, "yarn exec", i + 1),
        Some("dlx") => skip_npx_flags(words, i + 1, p, "yarn dlx"),
        Some(v) if PM_BUILTINS.contains(&v) => at,
        Some(_) => push(p, "yarn", i),
    }
}

fn pnpm(words: &[Word], at: usize, p: &mut Peeled) -> usize {
    let mut i = at + 1;
    while let Some(v) = value(words, i).filter(|v| v.starts_with('-')) {
        match v {
            "-C" | "--dir" => {
                p.cwd = value(words, i + 1).map(str::to_string);
                i += 1;
            }
            "--filter" | "-F" => {
                p.workspace = value(words, i + 1).map(str::to_string);
                i += 1;
            }
            _ => {}
        }
        i += 1;
    }
    match value(words, i) {
        None => at,
        Some("run" | "run-script") => push(p, "pnpm run", i + 1),
        Some("exec") => skip_flags(words, i + 1, p, "pnpm exec", &[]),
        Some("dlx") => skip_npx_flags(words, i + 1, p, "pnpm dlx"),
        Some(v) if PM_BUILTINS.contains(&v) => at,
        Some(_) => push(p, "pnpm", i),
    }
}

fn npm(words: &[Word], at: usize, p: &mut Peeled) -> usize {
    let mut i = at + 1;
    while let Some(v) = value(words, i).filter(|v| v.starts_with('-')) {
        match v {
            "--prefix" | "-C" => {
                p.cwd = value(words, i + 1).map(str::to_string);
                i += 1;
            }
            "-w" | "--workspace" => {
                p.workspace = value(words, i + 1).map(str::to_string);
                i += 1;
            }
            _ => {
                if let Some(w) = v.strip_prefix("--workspace=") {
                    p.workspace = Some(w.to_string());
                }
            }
        }
        i += 1;
    }
    match value(words, i) {
        Some("run" | "run-script" | "rum" | "urn") => {
            let next = skip_while_flags(words, i + 1);
            // `npm run deploy -w api`: npm reads its flags anywhere before `--`.
            let mut k = next + 1;
            while let Some(v) = value(words, k).filter(|v| *v != "--") {
                match v {
                    "-w" | "--workspace" => {
                        p.workspace = value(words, k + 1).map(str::to_string);
                    }
                    _ => {
                        if let Some(w) = v.strip_prefix("--workspace=") {
                            p.workspace = Some(w.to_string());
                        }
                    }
                }
                k += 1;
            }
            push(p, "npm run", next)
        }
        Some("start" | "test" | "stop" | "restart" | "t" | "tst") => {
            p.wrappers.push("npm run".into());
            i
        }
        Some("exec" | "x") => skip_npx_flags(words, i + 1, p, "npm exec"),
        _ => at,
    }
}

fn skip_while_flags(words: &[Word], mut i: usize) -> usize {
    while value(words, i).is_some_and(|v| v.starts_with('-') && v != "--") {
        i += 1;
    }
    i
}

fn env(words: &[Word], mut i: usize, p: &mut Peeled) -> usize {
    p.wrappers.push("env".into());
    while let Some(w) = words.get(i) {
        match w.value.as_str() {
            "-i" | "--ignore-environment" | "-" => {
                // The command sees only the assignments that follow.
                p.reset = true;
                p.inline.clear();
                p.env_files.clear();
                p.container_vars.clear();
                p.passthrough.clear();
                i += 1;
            }
            "-u" | "--unset" | "-C" | "--chdir" => i += 2,
            "--" => i += 1,
            v if v.starts_with('-') => i += 1,
            _ if is_assignment(w) => {
                p.inline.push(w.clone());
                i += 1;
            }
            _ => break,
        }
    }
    i
}

fn take_assignments(words: &[Word], mut i: usize, p: &mut Peeled) -> usize {
    while let Some(w) = words.get(i).filter(|w| is_assignment(w)) {
        p.inline.push(w.clone());
        i += 1;
    }
    i
}

fn dotenv(words: &[Word], mut i: usize, p: &mut Peeled) -> usize {
    p.wrappers.push("dotenv".into());
    let mut files = Vec::new();
    while let Some(v) = value(words, i) {
        match v {
            "--" => {
                i += 1;
                break;
            }
            "-e" => files.extend(value(words, i + 1).map(str::to_string)),
            "-v" => p
                .inline
                .extend(words.get(i + 1).filter(|w| is_assignment(w)).cloned()),
            "-p" => {}
            v if v.starts_with('-') => {
                i += 1;
                continue;
            }
            _ => break,
        }
        i += 2;
    }
    if files.is_empty() {
        files.push(".env".into());
    }
    p.env_files.extend(files);
    i
}

fn env_cmd(words: &[Word], mut i: usize, p: &mut Peeled) -> usize {
    p.wrappers.push("env-cmd".into());
    let mut files = Vec::new();
    while let Some(v) = value(words, i) {
        match v {
            "--" => {
                i += 1;
                break;
            }
            "-f" | "--file" => files.extend(value(words, i + 1).map(str::to_string)),
            "-e" | "--environments" | "-r" | "--rc-file" => {}
            v if v.starts_with('-') => {
                i += 1;
                continue;
            }
            // The old form `env-cmd FILE cmd`.
            v if files.is_empty()
                && (v.starts_with('.') || v.contains('/') || v.contains(".env")) =>
            {
                files.push(v.to_string());
                i += 1;
                break;
            }
            _ => break,
        }
        i += 2;
    }
    if files.is_empty() {
        files.push(".env".into());
    }
    p.env_files.extend(files);
    i
}

/// Skips `name`'s options (those in `with_arg` take a value), then
/// `operands` operands; the command follows.
fn operand_then(
    words: &[Word],
    at: usize,
    p: &mut Peeled,
    with_arg: &[&str],
    operands: usize,
) -> usize {
    let name = words[at].value.clone();
    let i = skip_flags(words, at + 1, p, &name, with_arg) + operands;
    if i >= words.len() {
        p.wrappers.pop();
        return at;
    }
    i
}

fn is_waiter(v: &str) -> bool {
    let base = v.rsplit('/').next().unwrap_or(v);
    matches!(
        base,
        "wait-for-it" | "wait-for-it.sh" | "wait-for" | "wait-for.sh" | "wait-for-postgres.sh"
    )
}

/// `tool ARGS... -- cmd`: the command is what follows `--`.
fn after_double_dash(words: &[Word], at: usize, p: &mut Peeled) -> usize {
    match words[at..].iter().position(|w| w.value == "--") {
        Some(k) if at + k + 1 < words.len() => {
            let base = words[at].value.rsplit('/').next().unwrap_or_default();
            p.wrappers.push(base.to_string());
            at + k + 1
        }
        _ => at,
    }
}

/// `dockerize -wait tcp://db:5432 -timeout 60s cmd`: options take one value each.
fn dockerize(words: &[Word], at: usize, p: &mut Peeled) -> usize {
    let mut i = at + 1;
    while let Some(v) = value(words, i) {
        if v == "--" {
            i += 1;
            break;
        }
        if !v.starts_with('-') {
            break;
        }
        i += if v.contains('=') { 1 } else { 2 };
    }
    if i >= words.len() {
        return at;
    }
    p.wrappers.push("dockerize".into());
    i
}

/// `dotenvx run [-f F]... -- cmd`.
fn dotenvx(words: &[Word], at: usize, p: &mut Peeled) -> usize {
    if value(words, at + 1) != Some("run") {
        return at;
    }
    let Some(k) = words[at..].iter().position(|w| w.value == "--") else {
        return at;
    };
    let mut files = Vec::new();
    let mut i = at + 2;
    while i < at + k {
        if matches!(words[i].value.as_str(), "-f" | "--env-file") {
            files.extend(value(words, i + 1).map(str::to_string));
            i += 1;
        }
        i += 1;
    }
    if files.is_empty() {
        files.push(".env".into());
    }
    p.wrappers.push("dotenvx".into());
    p.env_files.extend(files);
    at + k + 1
}

fn is_shell(v: &str) -> bool {
    let base = v.rsplit('/').next().unwrap_or(v);
    matches!(base, "sh" | "bash" | "zsh" | "dash" | "ksh")
}

/// `bash [-flags]c 'script'`: the script is split on its own.
fn shell_c(words: &[Word], i: usize, mut p: Peeled) -> Peeled {
    let base = words[i]
        .value
        .rsplit('/')
        .next()
        .unwrap_or_default()
        .to_string();
    let mut k = i + 1;
    while let Some(v) = value(words, k).filter(|v| v.starts_with('-')) {
        if v.len() > 1 && !v.starts_with("--") && v.ends_with('c') {
            if let Some(script) = words.get(k + 1) {
                p.wrappers.push(format!("{base} -c"));
                p.script = Some(script.clone());
                return p;
            }
        }
        k += 1;
    }
    p.argv = words[i..].to_vec();
    p
}
