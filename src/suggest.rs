//! "Did you mean": the known word a slip was meant to be, for unknown rule
//! ids, selectors and config keys alike.

/// The closest of `candidates` to `word`, when it is close enough to be a
/// slip (a few edits, or a third of the word).
pub fn suggest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (word.chars().count() / 3).max(2);
    candidates
        .into_iter()
        .map(|c| (distance(word, c), c))
        .filter(|(d, _)| *d <= limit)
        .min()
        .map(|(_, c)| c)
}

/// Levenshtein distance in chars; inputs are rule ids and config keys.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn near_misses_are_suggested_and_far_ones_are_not() {
        let ids = ["cloud-endpoint", "cloud-login", "prisma1-cli"];
        assert_eq!(suggest("cloud-endpont", ids), Some("cloud-endpoint"));
        assert_eq!(suggest("prisma-cli", ids), Some("prisma1-cli"));
        assert_eq!(suggest("zzz", ids), None);
        assert_eq!(distance("kitten", "sitting"), 3);
    }
}
