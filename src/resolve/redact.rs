//! Secret redaction with Spark's `spark.redaction.regex` semantics.

use regex::Regex;

/// Spark's default `spark.redaction.regex` (checked against Spark 4.3's own `--verbose`).
pub const DEFAULT_REGEX: &str = "(?i)secret|password|token|access[.]?key";
/// What Spark prints in place of a redacted value.
pub const REPLACEMENT: &str = "*********(redacted)";

/// Decides which properties are secret: a key **or** a value matching the regex, as Spark's
/// `Utils.redact` does.
#[derive(Clone, Debug)]
pub struct Redactor {
    regex: Regex,
}

impl Redactor {
    /// The user's `spark.redaction.regex`, or Spark's default.
    pub fn new(user: Option<&str>) -> Result<Self, regex::Error> {
        Ok(Redactor {
            regex: Regex::new(user.unwrap_or(DEFAULT_REGEX))?,
        })
    }

    /// Whether `key=value` holds a secret.
    pub fn is_secret(&self, key: &str, value: &str) -> bool {
        self.regex.is_match(key) || self.regex.is_match(value)
    }

    /// The value to show for `key`.
    pub fn show<'a>(&self, key: &str, value: &'a str) -> &'a str {
        if self.is_secret(key, value) {
            REPLACEMENT
        } else {
            value
        }
    }
}

impl Default for Redactor {
    fn default() -> Self {
        Redactor::new(None).expect("the default regex compiles")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sparks_default_cases() {
        let r = Redactor::default();
        // Seen redacted by Spark 4.3.0's own --verbose.
        assert!(r.is_secret("spark.hadoop.fs.s3a.secret.key", "z"));
        assert!(r.is_secret("spark.s3.access.key", "y"));
        assert!(r.is_secret("spark.s3.accesskey", "x"));
        assert!(r.is_secret("spark.x", "mytoken1"));
        assert!(r.is_secret("spark.kubernetes.authenticate.submission.oauthToken", "abc"));
        assert!(r.is_secret("spark.my.PASSWORD", "p"));
        assert!(!r.is_secret("spark.executor.memory", "4g"));
        assert_eq!(r.show("spark.a.password", "p"), REPLACEMENT);
        assert_eq!(r.show("spark.a", "b"), "b");
    }

    #[test]
    fn user_regex_replaces_the_default() {
        let r = Redactor::new(Some("(?i)magic")).unwrap();
        assert!(r.is_secret("spark.magic.word", "x"));
        assert!(!r.is_secret("spark.password", "x"));
    }
}
