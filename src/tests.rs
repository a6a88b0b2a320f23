//! Helpers the unit tests of several modules share.

/// `s` as owned arguments, as `std::env::args` gives them.
pub fn argv(s: &[&str]) -> Vec<String> {
    s.iter().map(|x| x.to_string()).collect()
}

/// The rows of a text table: one row a line, its cells split at `|` and trimmed; blank lines
/// and `//` comment lines are passed over.
pub fn rows(table: &str) -> Vec<Vec<&str>> {
    table
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with("//"))
        .map(|l| l.split('|').map(str::trim).collect())
        .collect()
}
