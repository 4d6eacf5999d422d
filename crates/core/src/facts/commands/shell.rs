//! Turns a script into simple commands, tracking what a shell carries from
//! one command to the next: the working directory (`cd`, also to the
//! script's own folder: `cd "$(dirname "$0")"`), exported variables and
//! functions. Subshells (`( )`, `$( )`, backticks, `sh -c`) see that state
//! but do not change it for what follows. A function body runs where the
//! function is called, in the caller's shell; a body is also recorded once
//! as written (its sites marked with the function's name) for scripts that
//! `source` this one and call it.

use super::lex::Dialect;
use super::lex::{tokens, Op, Tok, Word};
use super::out::{join_path, Ctx, Out};
use super::peeled::{is_assignment, Peeled};
use super::site::{
    CommandSite, Container, EnvScope, EnvVar, OpaqueEnv, OpaqueKind, ScopeKind, Vars,
};
use super::text::Snippet;
use super::wrappers::peel;
use std::cell::Cell;
use std::rc::Rc;

/// Nesting beyond this is not followed, so hostile input cannot exhaust the stack.
const MAX_DEPTH: usize = 12;

mod functions;

/// What a shell carries from one command to the next.
#[derive(Debug, Clone, Default)]
pub(crate) struct State {
    pub cwd: String,
    pub exports: Vars,
    /// Env files sourced into the shell (`. ./.env`, `source .env`,
    /// `export $(cat .env | xargs)`), relative to the script's start folder
    /// when they were read.
    pub sourced: Vec<String>,
    /// The folder was set from the script's own location, so it does not
    /// depend on where the script is started.
    pub anchored: bool,
    /// Variables that hold the script's own folder (or one below or above it):
    /// `DIR=$(cd "$(dirname "$0")" && pwd)`, for a later `cd "$DIR/sub"`.
    pub dir_vars: imbl::OrdMap<String, String>,
    /// Functions defined so far, by name: their bodies.
    pub functions: imbl::OrdMap<String, Rc<Snippet>>,
    /// The functions being run: a call inside itself is not followed again.
    pub calling: Vec<String>,
    /// Calls followed and bytes read again for them, shared by the script's
    /// subshells and function bodies.
    pub budget: Rc<Cell<(usize, usize)>>,
    /// A body read as written, not run: calls in it are not followed.
    pub defining: bool,
}

impl State {
    pub fn new(cwd: &str) -> State {
        State {
            cwd: cwd.to_string(),
            ..State::default()
        }
    }
}

/// Splits `snip` as one script and records its commands.
pub(crate) fn run(out: &mut Out, snip: &Snippet, ctx: &Ctx) {
    let mut st = State::new(&ctx.cwd);
    run_in(out, snip, ctx, &mut st);
}

/// Like [`run`], continuing the shell state `st` (for blocks that share a shell).
pub(crate) fn run_in(out: &mut Out, snip: &Snippet, ctx: &Ctx, st: &mut State) {
    run_depth(out, snip, ctx, st, 0);
}

/// Records an exec-form command (`["prisma", "deploy"]`): each part is one
/// argument as is, with no shell in between.
pub(crate) fn run_argv(out: &mut Out, parts: &[Snippet], ctx: &Ctx) {
    let (snip, starts) = Snippet::concat(parts);
    let words: Vec<Word> = parts
        .iter()
        .zip(starts)
        .map(|(part, start)| Word {
            value: part.text.clone(),
            idx: (start..start + part.text.len()).collect(),
            start,
            end: start + part.text.len(),
            subs: Vec::new(),
            literal: true,
            quoted: true,
        })
        .collect();
    let mut p = Parser {
        out,
        snip: &snip,
        ctx,
        depth: 0,
        cur: Vec::new(),
        mode: Mode::Normal,
        case_depth: 0,
        stdin_shell: None,
        pending_fn: None,
        braces: 0,
        defining: Vec::new(),
    };
    p.command(&words, &mut State::new(&ctx.cwd));
}

fn run_depth(out: &mut Out, snip: &Snippet, ctx: &Ctx, st: &mut State, depth: usize) {
    if depth > MAX_DEPTH {
        return;
    }
    let mut p = Parser {
        out,
        snip,
        ctx,
        depth,
        cur: Vec::new(),
        mode: Mode::Normal,
        case_depth: 0,
        stdin_shell: None,
        pending_fn: None,
        braces: 0,
        defining: Vec::new(),
    };
    p.parse(tokens(&snip.text, ctx.dialect), st);
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Normal,
    /// `for x in a b` up to `;` or a newline.
    LoopHeader,
    /// `case WORD` up to `in`.
    CaseHeader,
    /// A `case` pattern up to `)`.
    Pattern,
    /// The name after `function`.
    FunctionName,
}

struct Parser<'o, 'a, 's> {
    out: &'o mut Out<'a>,
    snip: &'s Snippet,
    ctx: &'s Ctx,
    depth: usize,
    cur: Vec<Word>,
    mode: Mode,
    case_depth: usize,
    /// A shell that reads its script from standard input on this line
    /// (`bash <<EOF`, `ssh host <<'EOF'`, `cat <<X | sh`): the here-document
    /// that follows is its script, run with this context and state.
    stdin_shell: Option<(Ctx, State)>,
    /// A function header was read (`name()`, `function name`): the next
    /// `{` opens its body.
    pending_fn: Option<String>,
    /// Open `{ }` groups.
    braces: usize,
    /// Function bodies being read: name, the group depth they opened at,
    /// and the text offset where the body starts.
    defining: Vec<(String, usize, usize)>,
}

impl Parser<'_, '_, '_> {
    fn parse(&mut self, toks: impl Iterator<Item = Tok>, st: &mut State) {
        let mut saved: Vec<State> = Vec::new();
        let mut redirect_target = false;
        let mut toks = toks.peekable();
        while let Some(tok) = toks.next() {
            match tok {
                Tok::Word(w) if redirect_target => {
                    redirect_target = false;
                    self.subshells(&w, st);
                }
                Tok::Word(w) => self.word(w, st),
                Tok::Op(Op::Redirect) => redirect_target = true,
                Tok::Op(op) if matches!(self.mode, Mode::Pattern | Mode::CaseHeader) => {
                    // `a|b)`: a pattern ends at `)`.
                    if op == Op::Close && self.mode == Mode::Pattern {
                        self.mode = Mode::Normal;
                    }
                }
                Tok::Op(Op::Open) => {
                    if self.cur.len() == 1 && matches!(toks.peek(), Some(Tok::Op(Op::Close))) {
                        // `name() { ... }` defines a function.
                        toks.next();
                        self.pending_fn = self.cur.pop().map(|w| w.value);
                        continue;
                    }
                    if self.pending_fn.is_some()
                        && self.cur.is_empty()
                        && matches!(toks.peek(), Some(Tok::Op(Op::Close)))
                    {
                        // `function name() { ... }`.
                        toks.next();
                        continue;
                    }
                    self.pending_fn = None;
                    self.finish(st);
                    saved.push(st.clone());
                }
                Tok::Op(Op::Close) => {
                    self.finish(st);
                    if let Some(outer) = saved.pop() {
                        *st = outer;
                    }
                }
                Tok::Heredoc(a, b) => {
                    if let Some((ctx, mut child)) = self.stdin_shell.take() {
                        let body = self.snip.slice(a, b);
                        run_depth(self.out, &body, &ctx, &mut child, self.depth + 1);
                    }
                }
                Tok::Op(op) => {
                    if self.mode == Mode::LoopHeader && matches!(op, Op::Semi | Op::Newline) {
                        self.mode = Mode::Normal;
                    }
                    self.finish(st);
                    if op == Op::Newline && !matches!(toks.peek(), Some(Tok::Heredoc(..))) {
                        // No here-document on this line: nothing reads stdin as a script.
                        self.stdin_shell = None;
                    }
                    if op == Op::CaseEnd && self.case_depth > 0 {
                        self.mode = Mode::Pattern;
                    }
                }
            }
        }
        self.finish(st);
    }

    /// Adds a word to the current command unless it is shell grammar.
    fn word(&mut self, w: Word, st: &mut State) {
        let bare = |k: &str| !w.quoted && w.value == k;
        match self.mode {
            Mode::LoopHeader => return,
            Mode::FunctionName => {
                self.mode = Mode::Normal;
                self.pending_fn = Some(w.value.trim_end_matches("()").to_string());
                return;
            }
            Mode::CaseHeader => {
                if bare("in") {
                    self.mode = Mode::Pattern;
                }
                return;
            }
            Mode::Pattern => {
                if bare("esac") {
                    self.case_depth = self.case_depth.saturating_sub(1);
                    self.mode = Mode::Normal;
                }
                return;
            }
            Mode::Normal => {}
        }
        if self.cur.is_empty() && !w.quoted {
            match w.value.as_str() {
                "{" => {
                    if let Some(name) = self.pending_fn.take() {
                        self.defining.push((name, self.braces, w.end));
                    }
                    self.braces += 1;
                    return;
                }
                "}" => {
                    self.braces = self.braces.saturating_sub(1);
                    if self.defining.last().is_some_and(|d| d.1 == self.braces) {
                        if let Some((name, _, start)) = self.defining.pop() {
                            self.define(name, start, w.start, st);
                        }
                    }
                    return;
                }
                "if" | "then" | "else" | "elif" | "fi" | "do" | "done" | "while" | "until"
                | "!" | "[[" => {
                    self.pending_fn = None;
                    return;
                }
                "esac" => {
                    self.case_depth = self.case_depth.saturating_sub(1);
                    return;
                }
                "for" | "select" => {
                    self.mode = Mode::LoopHeader;
                    return;
                }
                "case" => {
                    self.mode = Mode::CaseHeader;
                    self.case_depth += 1;
                    return;
                }
                "function" => {
                    self.mode = Mode::FunctionName;
                    return;
                }
                _ => {}
            }
        }
        self.pending_fn = None;
        self.cur.push(w);
    }

    /// Ends the current simple command: records it, then the commands of its substitutions.
    fn finish(&mut self, st: &mut State) {
        if self.cur.is_empty() {
            return;
        }
        let mut words = std::mem::take(&mut self.cur);
        if self.defining.is_empty() {
            // Substitutions run in the state from before the command (only
            // copied when there are some).
            let before = words.iter().any(|w| !w.subs.is_empty()).then(|| st.clone());
            self.command(&words, st);
            if let Some(before) = before {
                for w in &words {
                    self.subshells(w, &before);
                }
            }
        }
        // (A function body being defined runs only when called.) The list
        // is used again for the next command.
        words.clear();
        if self.cur.is_empty() {
            self.cur = words;
        }
    }

    fn subshells(&mut self, w: &Word, st: &State) {
        for &(a, b) in &w.subs {
            let sub = self.snip.slice(a, b);
            let mut child = st.clone();
            run_depth(self.out, &sub, self.ctx, &mut child, self.depth + 1);
        }
    }

    fn command(&mut self, words: &[Word], st: &mut State) {
        let n_assign = words.iter().take_while(|w| is_assignment(w)).count();
        let (assigns, rest) = words.split_at(n_assign);
        let assigned: Vars = assigns.iter().map(|w| self.var(w)).collect();
        if rest.is_empty() {
            for w in assigns {
                self.note_dir_var(w, st);
            }
            st.exports.extend(assigned);
            return;
        }
        if rest[0].literal && self.call(&rest[0].value, st) {
            return;
        }
        let expanded = self.expand_program(rest, &assigned, st);
        let rest = expanded.as_deref().unwrap_or(rest);
        let p = peel(rest);
        let cwd = p
            .cwd
            .as_deref()
            .map_or_else(|| st.cwd.clone(), |d| change_dir(&st.cwd, d));
        let wrappers: Vec<String> = self
            .ctx
            .wrappers
            .iter()
            .chain(&p.wrappers)
            .cloned()
            .collect();
        let start = self.start_env(&p, assigned, st);
        if let Some(script) = &p.script {
            let inner = self.snip.derive(&script.value, &script.idx);
            let dialect = if self.ctx.dialect == Dialect::Make {
                Dialect::Shell
            } else {
                self.ctx.dialect
            };
            let ctx = Ctx {
                source: self.ctx.source.clone(),
                cwd: cwd.clone(),
                env: start.env,
                env_files: start.env_files,
                wrappers,
                dialect,
                opaque_env: start.opaque,
                container: start.container,
                origin: self.ctx.origin,
                script_dir: self.ctx.script_dir.clone(),
            };
            let mut child = State {
                cwd,
                exports: start.exports,
                sourced: if p.reset {
                    Vec::new()
                } else {
                    st.sourced.clone()
                },
                ..st.clone()
            };
            run_depth(self.out, &inner, &ctx, &mut child, self.depth + 1);
            return;
        }
        let (Some(first), Some(last)) = (words.first(), rest.last()) else {
            return;
        };
        if p.argv.is_empty() {
            return;
        }
        let span = self.snip.span(first.start, last.end);
        // A site no later judgement can use is dropped before it is built,
        // unless a here-document on its line is its script (`ssh host <<EOF`).
        let text = self.out.file.get(span.0..span.1).unwrap_or_default();
        let runner = wrappers.last().map(String::as_str);
        let dropped = !self.out.keeps(&p.argv, runner, text) && !reads_stdin(&p.argv);
        let mut env = start.env;
        if !start.exports.is_empty() {
            // Innermost first: inline and container scopes, then the script's exports, then the outside.
            let at = env
                .iter()
                .position(|s| !matches!(s.kind, ScopeKind::Inline | ScopeKind::Docker))
                .unwrap_or(env.len());
            env.insert(
                at,
                EnvScope {
                    kind: ScopeKind::Export,
                    label: "script".into(),
                    vars: start.exports,
                },
            );
        }
        if dropped {
            // Only its secret values matter.
            self.out.drop_site(CommandSite {
                env,
                ..CommandSite::default()
            });
            self.effects(&p.argv, st);
            return;
        }
        let argv: Vec<String> = p.argv.iter().map(|w| w.value.clone()).collect();
        let location = self.out.location(span);
        let inner = rest.get(p.inner_start..).unwrap_or(rest);
        let word_location = self.out.location(self.word_span(inner, &p.argv));
        let site = CommandSite {
            location,
            word_location,
            source: self.ctx.source.clone(),
            cwd,
            argv,
            wrappers,
            env_files: start.env_files,
            env,
            opaque_env: start.opaque,
            container: start.container,
            origin: self.ctx.origin,
            workspace: p.workspace.clone(),
            defined_at: None,
            in_function: None,
            anchored: st.anchored,
        };
        self.note_stdin_shell(&site);
        self.out.push(site);
        self.effects(&p.argv, st);
    }

    /// Remembers a shell reading its script from stdin (`bash`, `sh -s`,
    /// `ssh HOST` without a command) so a here-document on the line is run.
    fn note_stdin_shell(&mut self, site: &CommandSite) {
        let argv = &site.argv;
        if !reads_stdin(argv) {
            return;
        }
        let program = argv[0].rsplit('/').next().unwrap_or_default();
        let ssh = program == "ssh";
        let mut ctx = Ctx {
            source: self.ctx.source.clone(),
            cwd: site.cwd.clone(),
            env: site.env.clone(),
            env_files: site.env_files.clone(),
            wrappers: site
                .wrappers
                .iter()
                .cloned()
                .chain([program.to_string()])
                .collect(),
            dialect: Dialect::Shell,
            opaque_env: site.opaque_env.clone(),
            container: site.container.clone(),
            origin: self.ctx.origin,
            script_dir: None,
        };
        if ssh {
            // The remote shell starts with the remote host's environment.
            let host = argv[1..]
                .iter()
                .rfind(|a| !a.starts_with('-'))
                .cloned()
                .unwrap_or_default();
            ctx.env.clear();
            ctx.env_files.clear();
            ctx.opaque_env = vec![OpaqueEnv {
                kind: OpaqueKind::Platform,
                name: format!("host {host}"),
                location: site.word_location.clone(),
            }];
            ctx.container = Some(Container {
                kind: super::site::ContainerKind::SshHost,
                name: host,
            });
        }
        let state = State {
            cwd: site.cwd.clone(),
            anchored: site.anchored,
            ..State::default()
        };
        self.stdin_shell = Some((ctx, state));
    }

    /// `$PRISMA deploy` with `PRISMA=prisma1` (or `PRISMA="npx prisma1"`)
    /// earlier in the script: the command word is the variable's value, split
    /// into words as the shell splits an unquoted expansion.
    fn expand_program(&self, rest: &[Word], assigned: &Vars, st: &State) -> Option<Vec<Word>> {
        let first = rest.first().filter(|w| !w.literal && w.subs.is_empty())?;
        let v = first.value.as_str();
        let name = v
            .strip_prefix("${")
            .and_then(|n| n.strip_suffix('}'))
            .or_else(|| v.strip_prefix('$'))?;
        if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
            return None;
        }
        let value = assigned
            .get(name)
            .or_else(|| st.exports.get(name))
            .or_else(|| self.ctx.env.iter().find_map(|s| s.vars.get(name)))?
            .value
            .clone()?;
        let mut words: Vec<Word> = Vec::new();
        for part in value.split_whitespace() {
            let last = first.idx.len().saturating_sub(1);
            words.push(Word {
                value: part.to_string(),
                idx: (0..part.len()).map(|k| first.idx[k.min(last)]).collect(),
                start: first.start,
                end: first.end,
                subs: Vec::new(),
                literal: true,
                quoted: false,
            });
        }
        if words.is_empty() || first.idx.is_empty() {
            return None;
        }
        words.extend(rest[1..].iter().cloned());
        Some(words)
    }

    /// The environment a peeled command starts with. A launcher that resets
    /// it (`docker run`, `ssh`, `env -i`) keeps only what it passes in.
    fn start_env(&self, p: &Peeled, assigned: Vars, st: &State) -> StartEnv {
        let opaque = |list: &[(OpaqueKind, String, (usize, usize))]| -> Vec<OpaqueEnv> {
            list.iter()
                .map(|(kind, name, (a, b))| OpaqueEnv {
                    kind: *kind,
                    name: name.clone(),
                    location: self.out.location(self.snip.span(*a, *b)),
                })
                .collect()
        };
        let inline: Vars = p.inline.iter().map(|w| self.var(w)).collect();
        if !p.reset {
            let mut inline_vars = assigned;
            inline_vars.extend(inline);
            let env = scope(ScopeKind::Inline, "inline", inline_vars)
                .into_iter()
                .chain(self.ctx.env.iter().cloned())
                .collect();
            let mut all_opaque = self.ctx.opaque_env.clone();
            all_opaque.extend(opaque(&p.opaque));
            return StartEnv {
                env,
                env_files: self
                    .ctx
                    .env_files
                    .iter()
                    .chain(&st.sourced)
                    .chain(&p.env_files)
                    .cloned()
                    .collect(),
                exports: st.exports.clone(),
                opaque: all_opaque,
                container: self.ctx.container.clone(),
            };
        }
        // `-e NAME` passes the caller's value (or at least the variable) through.
        let outside = |name: &str| -> Option<EnvVar> {
            assigned
                .get(name)
                .or_else(|| st.exports.get(name))
                .or_else(|| self.ctx.env.iter().find_map(|s| s.vars.get(name)))
                .cloned()
        };
        let mut passed: Vars = p.container_vars.iter().map(|w| self.var(w)).collect();
        for w in &p.passthrough {
            let var = outside(&w.value).unwrap_or_else(|| EnvVar {
                value: None,
                location: self.out.location(self.snip.span(w.start, w.end)),
            });
            passed.insert(w.value.clone(), var);
        }
        let label = p
            .container
            .as_ref()
            .map_or_else(|| "env -i".to_string(), |c| c.name.clone());
        let env = scope(ScopeKind::Inline, "inline", inline)
            .into_iter()
            .chain(scope(ScopeKind::Docker, &label, passed))
            .collect();
        StartEnv {
            env,
            env_files: p.env_files.clone(),
            exports: Vars::new(),
            opaque: opaque(&p.opaque),
            container: p.container.clone().or_else(|| self.ctx.container.clone()),
        }
    }

    /// File span of the command words on the line of the program word:
    /// from the first word of `rest` on that line to the last one on it.
    /// Assignments and continuation lines before the program are context.
    fn word_span(&self, rest: &[Word], argv: &[Word]) -> (usize, usize) {
        let file = self.out.file.as_bytes();
        let span = |w: &Word| self.snip.span(w.start, w.end);
        let Some(program) = argv.first().or(rest.first()) else {
            return (0, 0);
        };
        let (ps, pe) = span(program);
        let same_line = |(a, b): (usize, usize)| {
            let (lo, hi) = (a.min(ps), b.max(pe));
            file.get(lo..hi)
                .is_some_and(|t| memchr::memchr(b'\n', t).is_none())
        };
        let mut start = ps;
        let mut end = pe;
        for w in rest {
            let s = span(w);
            if same_line(s) {
                start = start.min(s.0);
                end = end.max(s.1);
            }
        }
        (start, end)
    }

    /// What a command changes for the commands after it.
    fn effects(&self, argv: &[Word], st: &mut State) {
        let args = || argv.iter().skip(1).filter(|w| !w.value.starts_with('-'));
        match argv.first().map(|w| w.value.as_str()) {
            Some("cd" | "pushd") => match args().next() {
                Some(dir) if dir.literal => st.cwd = change_dir(&st.cwd, &dir.value),
                Some(dir) => {
                    if let Some(own) = self.script_folder(dir, st) {
                        st.cwd = own;
                        st.anchored = true;
                    }
                }
                None => {}
            },
            Some("source" | ".") => {
                if let Some(f) = args().next().filter(|w| w.literal && is_env_file(&w.value)) {
                    st.sourced.push(rebase(&st.cwd, &f.value));
                }
            }
            Some("export") if argv.iter().skip(1).any(|w| !w.subs.is_empty()) => {
                // `export $(cat .env | xargs)`, `export $(grep -v '^#' .env | xargs)`.
                for w in argv.iter().skip(1) {
                    for &(a, b) in &w.subs {
                        let body = self.snip.text.get(a..b).unwrap_or_default();
                        if let Some(f) = body.split_whitespace().find(|t| is_env_file(t)) {
                            let f = f.trim_matches(['"', '\'']);
                            st.sourced.push(rebase(&st.cwd, f));
                        }
                    }
                }
            }
            Some("export") => {
                for w in args() {
                    if is_assignment(w) {
                        self.note_dir_var(w, st);
                        let (name, var) = self.var(w);
                        st.exports.insert(name, var);
                    } else {
                        let var = EnvVar {
                            value: None,
                            location: self.out.location(self.snip.span(w.start, w.end)),
                        };
                        st.exports.entry(w.value.clone()).or_insert(var);
                    }
                }
            }
            Some("unset") => {
                for w in args() {
                    st.exports.remove(&w.value);
                }
            }
            _ => {}
        }
    }

    /// A `NAME=value` word as a variable; expansions make the value unknown.
    fn var(&self, w: &Word) -> (String, EnvVar) {
        let (name, value) = w.value.split_once('=').unwrap_or((&w.value, ""));
        let value = (w.literal && !value.contains("${{")).then(|| value.to_string());
        let location = self.out.location(self.snip.span(w.start, w.end));
        (name.to_string(), EnvVar { value, location })
    }
}

/// A shell that reads its script from stdin (`bash`, `sh -s`) or `ssh`:
/// a here-document on its line is run with its context.
fn reads_stdin<S: AsRef<str>>(argv: &[S]) -> bool {
    let Some(program) = argv.first().map(|p| p.as_ref()) else {
        return false;
    };
    let program = program.rsplit('/').next().unwrap_or_default();
    let shell = matches!(program, "sh" | "bash" | "zsh" | "dash" | "ksh")
        && argv[1..].iter().all(|a| {
            let a = a.as_ref();
            a.starts_with('-') && !a.contains('c')
        });
    shell || program == "ssh"
}

/// What a command starts with, before its own effects.
struct StartEnv {
    env: Vec<EnvScope>,
    env_files: Vec<String>,
    exports: Vars,
    opaque: Vec<OpaqueEnv>,
    container: Option<Container>,
}

fn scope(kind: ScopeKind, label: &str, vars: Vars) -> Option<EnvScope> {
    (!vars.is_empty()).then(|| EnvScope {
        kind,
        label: label.to_string(),
        vars,
    })
}

/// Does this name look like an env file (`.env`, `.env.prod`, `ci.env`, `prod.env.sh`)?
fn is_env_file(name: &str) -> bool {
    let base = name.rsplit('/').next().unwrap_or(name);
    base == ".env" || base.starts_with(".env.") || base.ends_with(".env") || base.contains(".env.")
}

/// `file` as written in folder `cwd`, anchored at the repository root
/// (`/path`), so it means the same file whatever folder a later command is in.
fn rebase(cwd: &str, file: &str) -> String {
    format!("/{}", join_path(cwd, file))
}

/// The directory after `cd dir` from `base`; unknowable targets leave it unchanged.
pub(crate) fn change_dir(base: &str, dir: &str) -> String {
    if dir.is_empty() || dir == "-" || dir.starts_with(['/', '~', '$']) {
        return base.to_string();
    }
    join_path(base, dir)
}
