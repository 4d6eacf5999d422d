//! Shell functions and the script's own folder: a function body is read as
//! written once (its sites marked with the function's name, for scripts
//! that `source` this one) and run where it is called, in the caller's
//! shell; `cd "$(dirname "$0")"` and variables holding that folder move the
//! shell to the script's own folder wherever it was started from.

use super::{join_path, run_depth, Parser, State};
use crate::facts::commands::lex::Word;
use std::rc::Rc;

/// Function calls one script may follow, and the bytes of bodies they may
/// read again: functions calling each other cannot multiply without end.
const MAX_CALLS: usize = 256;
const MAX_CALL_BYTES: usize = 1 << 20;

impl Parser<'_, '_, '_> {
    /// Records the function `name` whose body is the text `start..end`: its
    /// body runs at each call; its sites as written are kept, marked, for
    /// scripts that source this one.
    pub(super) fn define(&mut self, name: String, start: usize, end: usize, st: &mut State) {
        if !self.defining.is_empty() {
            // A function defined inside another is defined when that one runs.
            return;
        }
        let body = Rc::new(self.snip.slice(start, end));
        let from = self.out.sites.len();
        let mut read = State {
            cwd: st.cwd.clone(),
            functions: st.functions.clone(),
            budget: st.budget.clone(),
            defining: true,
            anchored: st.anchored,
            dir_vars: st.dir_vars.clone(),
            ..State::default()
        };
        run_depth(self.out, &body, self.ctx, &mut read, self.depth + 1);
        for site in &mut self.out.sites[from..] {
            site.in_function.get_or_insert_with(|| name.clone());
        }
        st.functions.insert(name, body);
    }

    /// Runs the body of the function `name` (defined earlier in the script)
    /// in the caller's shell; false when it is not one, or not followed.
    pub(super) fn call(&mut self, name: &str, st: &mut State) -> bool {
        let Some(body) = st.functions.get(name).cloned() else {
            return false;
        };
        if st.defining || st.calling.iter().any(|c| c == name) {
            return true;
        }
        let (calls, bytes) = st.budget.get();
        if calls >= MAX_CALLS || bytes + body.text.len() > MAX_CALL_BYTES {
            return true;
        }
        st.budget.set((calls + 1, bytes + body.text.len()));
        st.calling.push(name.to_string());
        run_depth(self.out, &body, self.ctx, st, self.depth + 1);
        st.calling.pop();
        true
    }

    /// The folder `w` names when it is the script's own folder, one relative
    /// to it (`"$(dirname "$0")/.."`), or a variable holding one (`"$DIR/sub"`).
    pub(super) fn script_folder(&self, w: &Word, st: &State) -> Option<String> {
        let dir = self.ctx.script_dir.as_deref()?;
        let raw: String = self
            .snip
            .text
            .get(w.start..w.end)?
            .chars()
            .filter(|c| !matches!(c, '"' | '\''))
            .collect();
        if let Some(rest) = script_dir_suffix(&raw) {
            return Some(join_path(dir, rest.trim_start_matches('/')));
        }
        let (name, rest) = match raw.strip_prefix("${") {
            Some(r) => r.split_once('}')?,
            None => {
                let r = raw.strip_prefix('$')?;
                let end = r
                    .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                    .unwrap_or(r.len());
                r.split_at(end)
            }
        };
        let base = st.dir_vars.get(name)?;
        Some(join_path(base, rest.trim_start_matches('/')))
    }

    /// Remembers `NAME=<the script's folder>` for a later `cd "$NAME"`.
    pub(super) fn note_dir_var(&self, w: &Word, st: &mut State) {
        let Some((name, _)) = w.value.split_once('=') else {
            return;
        };
        let Some(eq) = self.snip.text.get(w.start..w.end).and_then(|t| t.find('=')) else {
            return;
        };
        let value = Word {
            start: w.start + eq + 1,
            ..w.clone()
        };
        match self.script_folder(&value, st) {
            Some(dir) => {
                st.dir_vars.insert(name.to_string(), dir);
            }
            None => {
                st.dir_vars.remove(name);
            }
        }
    }
}

/// When `raw` (quotes removed) starts with an expression for the script's
/// own folder, what follows it (`/..`, `/sub`, or ""): `$(dirname $0)`,
/// `$(dirname ${BASH_SOURCE[0]})`, `` `dirname $0` ``, `${0%/*}`, and
/// `$(cd $(dirname $0) && pwd)` (any `cd ... && pwd` around one of those).
fn script_dir_suffix(raw: &str) -> Option<&str> {
    const SELF: [&str; 5] = [
        "$0",
        "${0}",
        "${BASH_SOURCE[0]}",
        "${BASH_SOURCE}",
        "$BASH_SOURCE",
    ];
    if let Some(rest) = raw.strip_prefix("${0%/*}") {
        return Some(rest);
    }
    if let Some(inner) = raw.strip_prefix('`') {
        let (body, rest) = inner.split_once('`')?;
        let arg = body.trim().strip_prefix("dirname")?.trim();
        return SELF.contains(&arg).then_some(rest);
    }
    let inner = raw.strip_prefix("$(")?;
    // The matching `)` of the substitution.
    let mut depth = 1usize;
    let mut close = None;
    for (i, b) in inner.bytes().enumerate() {
        match b {
            b'(' => depth += 1,
            b')' => {
                depth -= 1;
                if depth == 0 {
                    close = Some(i);
                    break;
                }
            }
            _ => {}
        }
    }
    let close = close?;
    let (body, rest) = (inner[..close].trim(), &inner[close + 1..]);
    if let Some(arg) = body.strip_prefix("dirname") {
        return SELF.contains(&arg.trim()).then_some(rest);
    }
    // `$(cd "$(dirname "$0")" [>/dev/null 2>&1] && pwd [-P])`.
    let cd = body.strip_prefix("cd")?.trim_start();
    let (target, tail) = cd.rsplit_once("&&")?;
    let target = match target.strip_prefix("$(") {
        // The substitution as one word, whatever spaces it holds.
        Some(_) => &target[..target.rfind(')')? + 1],
        None => target.split_whitespace().next()?,
    };
    let pwd = tail.trim().strip_prefix("pwd")?;
    (script_dir_suffix(target) == Some("") && (pwd.is_empty() || pwd.trim() == "-P"))
        .then_some(rest)
}

#[cfg(test)]
mod tests {
    use super::script_dir_suffix;

    #[test]
    fn the_scripts_own_folder_in_its_usual_spellings() {
        for (raw, rest) in [
            ("$(dirname $0)", Some("")),
            ("$(dirname ${BASH_SOURCE[0]})/..", Some("/..")),
            ("$(dirname $BASH_SOURCE)/sub", Some("/sub")),
            ("`dirname $0`", Some("")),
            ("${0%/*}/..", Some("/..")),
            ("$(cd $(dirname ${BASH_SOURCE[0]}) && pwd)", Some("")),
            (
                "$(cd $(dirname $0) && pwd -P)/../config",
                Some("/../config"),
            ),
            ("$(cd $(dirname $0) >/dev/null 2>&1 && pwd)", Some("")),
            ("$(dirname $1)", None),
            ("$(pwd)", None),
            ("$(cd $HOME && pwd)", None),
            ("$HOME", None),
            ("$(dirname $0", None),
        ] {
            assert_eq!(script_dir_suffix(raw), rest, "{raw}");
        }
    }
}
