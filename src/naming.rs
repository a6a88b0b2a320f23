//! naming: the rules names and paths keep, below every stage (pure). Kubernetes DNS labels
//! and label values, the job id's length, and which URIs name a file of the submitting machine:
//! `resolve` validates settings with them, `plan` builds names and ships files with them.

/// A job id names pods (`<id>-submit`, `<id>-driver`) and is a label value: keep room for suffixes.
pub const MAX_JOB_ID: usize = 50;

/// Whether `s` is a DNS-1123 label: 1-63 of `[a-z0-9-]`, starting and ending alphanumeric.
pub fn is_dns_label(s: &str) -> bool {
    s.len() <= 63 && is_dns_part(s)
}

/// `[a-z0-9]([-a-z0-9]*[a-z0-9])?`: a label of any length.
fn is_dns_part(s: &str) -> bool {
    let ends_ok = |c: Option<char>| c.is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
    ends_ok(s.chars().next())
        && ends_ok(s.chars().last())
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// Whether `s` is a non-empty Kubernetes label value.
pub fn is_label_value(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 63
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
        && s.starts_with(|c: char| c.is_ascii_alphanumeric())
        && s.ends_with(|c: char| c.is_ascii_alphanumeric())
}

/// Whether `s` is a DNS-1123 subdomain (apimachinery's `IsDNS1123Subdomain`): at most 253
/// characters, dot-separated parts of `[a-z0-9-]` that start and end alphanumeric. A wildcard
/// (`*.example.com`) is not one.
pub fn is_dns_subdomain(s: &str) -> bool {
    s.len() <= 253 && s.split('.').all(is_dns_part)
}

/// Whether `uri` is a file only the submitting machine can see (`file:` or no scheme).
pub fn is_local_uri(uri: &str) -> bool {
    let uri = uri.trim();
    match uri.split_once(':') {
        Some((scheme, _))
            if !scheme.is_empty()
                && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')) =>
        {
            scheme.eq_ignore_ascii_case("file")
        }
        _ => true,
    }
}

/// The path on this machine a local URI names: `file:///a/b` and `file:/a/b` → `/a/b`;
/// a plain path as written (relative ones are the edge's to resolve).
pub fn local_path(uri: &str) -> &str {
    let uri = uri.trim();
    match uri.get(..5) {
        Some(s) if s.eq_ignore_ascii_case("file:") => {
            let rest = &uri[5..];
            // file://host/path: only an empty host (or localhost) is this machine.
            match rest.strip_prefix("//") {
                Some(r) => match r.find('/') {
                    Some(i) => &r[i..],
                    None => r,
                },
                None => rest,
            }
        }
        _ => uri,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subdomains() {
        for s in ["a", "etl.spark.example.com", "a-1.b2"] {
            assert!(is_dns_subdomain(s), "{s:?}");
        }
        let long = format!("{}.com", "a.".repeat(125));
        for s in [
            "",
            "*.example.com",
            "A.com",
            "a..b",
            "-a.b",
            "a.b-",
            "a_b.c",
            &long,
        ] {
            assert!(!is_dns_subdomain(s), "{s:?}");
        }
    }

    #[test]
    fn labels() {
        let long = "a".repeat(64);
        for s in ["a", "etl-2024"] {
            assert!(is_dns_label(s), "{s:?}");
        }
        for s in ["Etl", "-a", "a-", "a_b", "", &long] {
            assert!(!is_dns_label(s), "{s:?}");
        }
    }

    #[test]
    fn local_uris_and_their_paths() {
        assert!(is_local_uri("app.py"));
        assert!(is_local_uri("/abs/app.py"));
        assert!(is_local_uri("file:/x"));
        assert!(!is_local_uri("local:///x"));
        assert!(!is_local_uri("s3a://b/x"));
        assert!(!is_local_uri("https://h/x"));
        assert_eq!(local_path("file:///a/b.jar"), "/a/b.jar");
        assert_eq!(local_path("file:/a/b.jar"), "/a/b.jar");
        assert_eq!(local_path("file://localhost/a/b.jar"), "/a/b.jar");
        assert_eq!(local_path("rel/b.jar"), "rel/b.jar");
    }
}
