"""How the GitHub Actions runner reads workflow commands out of a step's
output, so the end-to-end checks can ask what a log would make it do.

As actions/runner does (ActionCommandManager.TryProcessCommand and
ActionCommand.TryParseV2/TryParse): output is read line by line, where a line
ends at LF, CR or CRLF (.NET's ReadLine), stdout and stderr alike. A line is a
command when, with its leading whitespace trimmed, it has the form
`::name props::data`, or when it holds `##[name props]data` anywhere (the
older form, which the runner still reads), and `name` is a command the runner
knows (in any case). `::stop-commands::TOKEN` turns every command off until a
command named TOKEN (`::TOKEN::` or `##[TOKEN]`).

Usage as a program: workflow_commands.py FILE...  prints one JSON object per
command the runner would act on, in order: {"name", "props", "data"}.
"""
import json
import re
import sys

# Every command the runner registers (set-env, add-path and set-output are
# refused when run, but still read as commands).
KNOWN = {
    "add-mask", "add-matcher", "add-path", "debug", "echo", "endgroup", "error",
    "group", "notice", "remove-matcher", "save-state", "set-env", "set-output",
    "stop-commands", "warning",
}
LINE_BREAK = re.compile(r"\r\n|\r|\n")


def _unescape(s, pairs):
    for token, escaped in pairs:
        s = s.replace(escaped, token)
    return s


# Unescaped in the runner's order (`%25` last).
V2_DATA = [("\r", "%0D"), ("\n", "%0A"), ("%", "%25")]
V2_PROPERTY = [("\r", "%0D"), ("\n", "%0A"), (":", "%3A"), (",", "%2C"), ("%", "%25")]
V1 = [(";", "%3B"), ("\r", "%0D"), ("\n", "%0A"), ("]", "%5D"), ("%", "%25")]


def _split(info, sep, pairs, known):
    space = info.find(" ")
    name = info if space < 0 else info[:space]
    if name.lower() not in known:
        return None
    props = {}
    if space > 0:
        for part in filter(None, info[space + 1:].strip().split(sep)):
            key, _, val = part.partition("=")
            if key and val:
                props[key] = _unescape(val, pairs)
    return name.lower(), props


def parse_line(line, known=KNOWN):
    """The command on one line, as (name, props, data), or None."""
    message = line.lstrip()
    if message.startswith("::"):
        end = message.find("::", 2)
        if end >= 0:
            got = _split(message[2:end], ",", V2_PROPERTY, known)
            if got:
                return got[0], got[1], _unescape(message[end + 2:], V2_DATA)
    start = line.find("##[")
    if start >= 0:
        end = line.find("]", start)
        if end >= 0:
            got = _split(line[start + 3:end], ";", V1, known)
            if got:
                return got[0], got[1], _unescape(line[end + 1:], V1)
    return None


def commands(text):
    """Every command the runner acts on in `text`, honouring stop-commands."""
    out, token = [], None
    for line in LINE_BREAK.split(text):
        known = KNOWN if token is None else KNOWN | {token.lower()}
        cmd = parse_line(line, known)
        if cmd is None:
            continue
        name, props, data = cmd
        if token is not None:
            if name == token.lower():
                token = None
            continue
        out.append({"name": name, "props": props, "data": data})
        if name == "stop-commands":
            token = data
    return out


if __name__ == "__main__":
    for path in sys.argv[1:]:
        with open(path, encoding="utf-8", errors="surrogateescape", newline="") as f:
            for c in commands(f.read()):
                print(json.dumps(c, ensure_ascii=True))
