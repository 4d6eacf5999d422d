use super::*;

fn cut(kind: FileKind, text: &str) -> Vec<String> {
    spans(kind, text.as_bytes())
        .into_iter()
        .map(|(s, e)| text[s..e].to_string())
        .collect()
}

fn masked(kind: FileKind, text: &str) -> String {
    let mut out = String::new();
    let mut at = 0;
    for (s, e) in spans(kind, text.as_bytes()) {
        out.push_str(&text[at..s]);
        out.push('#');
        at = e;
    }
    out.push_str(&text[at..]);
    out
}

#[test]
fn assignments_of_every_file_kind() {
    use FileKind::*;
    for (kind, text, want) in [
        (
            Env,
            "PRISMA_MANAGEMENT_API_SECRET=abc def # note\n",
            "abc def",
        ),
        (Env, "export PRISMA_SECRET=\"a \\\" b\"\n", "a \\\" b"),
        (Env, "K_PASSWORD='a'\\''b c'\n", "a'\\''b c"),
        (Shell, "PRISMA_SECRET=abc prisma1 deploy\n", "abc"),
        (Shell, "PRISMA_SECRET='a b' prisma1 deploy\n", "a b"),
        (Shell, "PRISMA_SECRET=a\\ b prisma1 deploy\n", "a\\ b"),
        (Makefile, "PRISMA_SECRET ?= a b\n", "a b"),
        (Makefile, "PRISMA_SECRET := a\n", "a"),
        (Makefile, "PRISMA_SECRET ::= a\n", "a"),
        (Makefile, "PRISMA_SECRET += a\n", "a"),
        (Dockerfile, "ENV PRISMA_MANAGEMENT_API_SECRET a b\n", "a b"),
        (Dockerfile, "ENV PRISMA_SECRET=\"a b\" X=1\n", "a b"),
        (PrismaYml, "secret: a b c # c\n", "a b c"),
        (PrismaYml, "secret: 'a''b'\n", "a''b"),
        (PrismaYml, "secret: \"a\\\"b\"\n", "a\\\"b"),
        (PrismaYml, "secret: $ecretValue1\n", "$ecretValue1"),
        (Compose, "      managementApiSecret: \"x y\"\n", "x y"),
        (Json, r#"{"secret": "a b", "x": 1}"#, "a b"),
        (Json, r#"{"secret": 12345}"#, "12345"),
        (Script, "const secret = 'a b';\n", "a b"),
        (Script, "const token = `a${b}`;\n", "a"),
        (
            Text,
            "//registry.npmjs.org/:_authToken=abc-def\n",
            "abc-def",
        ),
        (Text, "_auth=abcdef\n", "abcdef"),
        (
            Json,
            r#"{"auths": {"https://index.docker.io/v1/": {"auth": "dXNlcjpwdw=="}}}"#,
            "dXNlcjpwdw==",
        ),
        (Text, "<password>p w</password>\n", "p w"),
        (Script, "config = { 'password' => 'p w' }\n", "p w"),
        (Yaml, "authorization: Basic dXNlcjpwdw==\n", "dXNlcjpwdw=="),
    ] {
        assert_eq!(cut(kind, text), [want], "{kind:?} {text}");
    }
}

#[test]
fn references_are_kept() {
    use FileKind::*;
    for (kind, text) in [
        (PrismaYml, "secret: ${env:PRISMA_SECRET}\n"),
        (
            GithubActions,
            "  PRISMA_MANAGEMENT_API_SECRET: ${{ secrets.X }}\n",
        ),
        (
            Shell,
            "PRISMA_MANAGEMENT_API_SECRET=$SECRET prisma1 deploy\n",
        ),
        (Shell, "PRISMA_SECRET=\"$SECRET\"\n"),
        (Shell, "deploy without PRISMA_MANAGEMENT_API_SECRET\n"),
        (Script, "const secret = process.env.PRISMA_SECRET;\n"),
        (Text, "helm: {{ .Values.secret }}\n"),
        (Json, r#"{"author": "Jane", "keywords": ["prisma"]}"#),
        (Shell, "curl -k https://eu1.prisma.sh/a/b\n"),
    ] {
        assert_eq!(cut(kind, text), Vec::<String>::new(), "{text}");
    }
}

#[test]
fn key_arguments() {
    use FileKind::*;
    for (kind, text, want) in [
        (Shell, "prisma1 login --key abc\n", vec!["abc"]),
        (Shell, "prisma1 login --key=a\\ b\n", vec!["a\\ b"]),
        (Shell, "prisma1 login --key \"a b\"\n", vec!["a b"]),
        (Shell, "prisma1 login -k abc\n", vec!["abc"]),
        (Shell, "prisma1 login -kabc\n", vec!["abc"]),
        (Shell, "prisma1 login \\\n  --key abc\n", vec!["abc"]),
        (
            PackageJson,
            r#"{"scripts": {"l": "prisma login --key \"a b\""}}"#,
            vec!["a b"],
        ),
        (
            PackageJson,
            r#"{"scripts": {"l": "prisma login --key=ab cd"}}"#,
            vec!["ab"],
        ),
        (
            Dockerfile,
            "CMD [\"prisma\", \"login\", \"--key\", \"a b\"]\n",
            vec!["a b"],
        ),
    ] {
        assert_eq!(cut(kind, text), want, "{text}");
    }
}

#[test]
fn multi_line_values() {
    use FileKind::*;
    assert_eq!(
        cut(
            PrismaYml,
            "secret: |\n  line one\n  line two\nendpoint: x\n"
        ),
        ["line one", "line two"]
    );
    assert_eq!(
        cut(
            Compose,
            "x:\n  - secret: >-\n      folded\n      more\n  - y: 1\n"
        ),
        ["folded", "more"]
    );
    assert_eq!(
        cut(Env, "PRISMA_SECRET=\"one\ntwo\"\nX=1\n"),
        ["one", "two"]
    );
    assert_eq!(
        cut(Yaml, "secret:\n  plain multi\nother: 1\n"),
        ["plain multi"]
    );
    assert_eq!(
        cut(Yaml, "secrets:\n  - one\n  - 'two'\nother: 1\n"),
        ["one", "two"]
    );
    assert_eq!(cut(Yaml, "secrets:\n  nested: abc\n"), Vec::<String>::new());
    assert_eq!(
        cut(Shell, "PRISMA_SECRET=\"a\nb\" prisma1 deploy\n"),
        ["a", "b"]
    );
    assert_eq!(cut(Makefile, "PRISMA_SECRET = a \\\n  b\n"), ["a \\", "b"]);
}

#[test]
fn values_in_place_of_a_secret() {
    use FileKind::*;
    for (kind, text, want) in [
        (
            Json,
            r#"{"env": [{"name": "PRISMA_MANAGEMENT_API_SECRET", "value": "a b"}]}"#,
            vec!["a b"],
        ),
        (
            Json,
            r#"{"environment": [{"value": "a b", "name": "PRISMA_SECRET"}]}"#,
            vec!["a b"],
        ),
        (
            Kubernetes,
            "env:\n  - name: PRISMA_MANAGEMENT_API_SECRET\n    value: a b\n  - name: X\n    value: open\n",
            vec!["a b"],
        ),
        (
            Kubernetes,
            "env:\n  - name: PRISMA_SECRET\n    valueFrom:\n      secretKeyRef: {name: s, key: k}\n",
            vec![],
        ),
        (Json, r#"{"secrets": ["a b", "c"]}"#, vec!["a b", "c"]),
        (Yaml, "secrets: [a, 'b c']\n", vec!["a", "b c"]),
        (
            HerokuApp,
            r#"{"env": {"PRISMA_SECRET": {"value": "a b", "required": true}}}"#,
            vec!["a b"],
        ),
        (Shell, "X=${PRISMA_SECRET:-a b}\n", vec!["a b"]),
        (Compose, "  PRISMA_SECRET: ${SECRET-abc}\n", vec!["abc"]),
        (Script, "const s = process.env.PRISMA_SECRET || 'a b';\n", vec!["a b"]),
        (Script, "const s = process.env['API_TOKEN'] ?? \"ab\";\n", vec!["ab"]),
        (Script, "s = os.getenv(\"PRISMA_SECRET\", \"a b\")\n", vec!["a b"]),
    ] {
        assert_eq!(cut(kind, text), want, "{text}");
    }
}

#[test]
fn credentials_without_a_key() {
    use FileKind::*;
    for (kind, text, want) in [
        (
            Yaml,
            "endpoint: https://admin:pw1@eu1.prisma.sh/a/b\n",
            vec!["pw1"],
        ),
        (Text, "postgres://user:p%40ss@db:5432/x\n", vec!["p%40ss"]),
        (
            Text,
            "git+https://ghp_abcdef123456@github.com/o/r\n",
            vec!["ghp_abcdef123456"],
        ),
        (Text, "ssh://git@github.com/o/r\n", vec![]),
        (
            Script,
            "headers: { Authorization: 'Bearer a.b.c' }\n",
            vec!["Bearer a.b.c"],
        ),
        (
            Shell,
            "curl -H \"Authorization: Bearer abc\" https://x\n",
            vec!["abc"],
        ),
        (
            Shell,
            "curl -H 'authorization: token abc' https://x\n",
            vec!["abc"],
        ),
        (Text, "use Bearer abc.def for it\n", vec!["abc.def"]),
        (
            Script,
            "fetch(u, {headers: {Authorization: `Bearer ${t}`}})\n",
            vec![],
        ),
        (
            Script,
            "fetch(u, {headers: {Authorization: `Bearer abc${t}`}})\n",
            vec!["Bearer abc"],
        ),
    ] {
        assert_eq!(cut(kind, text), want, "{text}");
    }
}

#[test]
fn lines_keep_their_number_when_cut() {
    let text = "secret: \"a\nb\nc\"\n";
    assert_eq!(masked(FileKind::PrismaYml, text), "secret: \"#\n#\n#\"\n");
}

#[test]
fn hostile_lines_stay_linear() {
    // A long line of secret-looking words with no values, and one with
    // unclosed quotes: both scanned in one pass.
    let words = "token token: password=\"x ${SECRET ".repeat(20_000);
    let started = std::time::Instant::now();
    let _ = spans(FileKind::Shell, words.as_bytes());
    let _ = spans(FileKind::PrismaYml, words.as_bytes());
    let _ = spans(FileKind::Script, words.as_bytes());
    assert!(started.elapsed().as_secs() < 5, "{:?}", started.elapsed());
}
