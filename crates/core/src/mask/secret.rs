//! The two words every part of masking shares: a [`Span`] of text that holds
//! a secret, and a name that says its value is one ([`is_secret_name`]).

/// A byte range `start..end` of a text that holds a secret.
pub type Span = (usize, usize);

/// Whether a key or variable name says its value is a secret
/// (`PRISMA_MANAGEMENT_API_SECRET`, `managementApiSecret`, `DB_PASSWORD`,
/// `_authToken`, `auth`, `Authorization`), and is not a name, a path or an
/// address of one (`secretName`, `TOKEN_URL`, `PASSWORD_FILE`).
pub fn is_secret_name(name: &str) -> bool {
    let name = name.trim_matches(|c: char| !c.is_ascii_alphanumeric());
    // Lower-cased on the stack: this runs at every anchor the scanner meets.
    let mut buf = [0u8; 256];
    let owned;
    let n: &str = match buf.get_mut(..name.len()) {
        Some(b) => {
            b.copy_from_slice(name.as_bytes());
            b.make_ascii_lowercase();
            std::str::from_utf8(b).unwrap_or("")
        }
        None => {
            owned = name.to_ascii_lowercase();
            &owned
        }
    };
    if n.is_empty() {
        return false;
    }
    const CONTAINS: [&str; 12] = [
        "secret",
        "password",
        "passwd",
        "passphrase",
        "token",
        "apikey",
        "api_key",
        "api-key",
        "privatekey",
        "private_key",
        "sessionkey",
        "session_key",
    ];
    // Short words that are names only at the end (`DB_PASS`, not `PASSENGER`).
    const ENDS: [&str; 4] = ["pass", "pwd", "auth", "authorization"];
    let named = CONTAINS.iter().any(|w| n.contains(w))
        || n.contains("session-key")
        || n.contains("private-key")
        || n.contains("credential")
        || ENDS.iter().any(|w| {
            n == *w
                || n.strip_suffix(w)
                    .is_some_and(|head| head.ends_with(['_', '-', '.']))
        });
    // What names, locates or describes a secret is not one.
    const NOT: [&str; 13] = [
        "name", "names", "url", "uri", "endpoint", "host", "file", "path", "ref", "type", "kind",
        "length", "required",
    ];
    let last = n
        .rsplit(['_', '-', '.'])
        .next()
        .unwrap_or(n)
        .trim_start_matches(|c: char| !c.is_ascii_alphabetic());
    let camel_tail = name
        .rfind(|c: char| c.is_ascii_uppercase())
        .filter(|&i| i > 0 && name[..i].chars().any(|c| c.is_ascii_lowercase()))
        .and_then(|i| n.get(i..));
    named && !NOT.contains(&last) && !camel_tail.is_some_and(|t| NOT.contains(&t))
}
