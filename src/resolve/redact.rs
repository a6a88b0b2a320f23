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

/// Command-line words with secrets hidden: a word that matches, and the value after a flag
/// that does (`--password p`).
pub fn hide_words<'a>(r: &Redactor, words: &'a [String]) -> Vec<&'a str> {
    let mut out = Vec::with_capacity(words.len());
    let mut hide_next = false;
    for w in words {
        let secret = r.is_secret("", w);
        out.push(if secret || hide_next {
            REPLACEMENT
        } else {
            w.as_str()
        });
        hide_next = secret && w.starts_with('-') && !w.contains('=');
    }
    out
}

/// Writes `SubmitArgs`' fields, secret `--conf` values and app arguments hidden (with Spark's
/// default regex: the user's is not known before `resolve`).
impl std::fmt::Debug for crate::parse::SubmitArgs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let r = Redactor::default();
        let conf: Vec<(&str, &str)> = self
            .conf
            .iter()
            .map(|(k, v)| (k.as_str(), r.show(k, v)))
            .collect();
        let app_args = hide_words(&r, &self.app_args);
        // Destructured in full, so a new field cannot be left out (or shown unredacted) unseen;
        // each field named once, written in order.
        macro_rules! in_full {
            ($($a:ident),+; conf; $($b:ident),+; app_args; $($c:ident),+) => {{
                let crate::parse::SubmitArgs { $($a,)+ conf: _, $($b,)+ app_args: _, $($c,)+ } =
                    self;
                let mut d = f.debug_struct("SubmitArgs");
                $(d.field(stringify!($a), $a);)+
                d.field("conf", &conf);
                $(d.field(stringify!($b), $b);)+
                d.field("app_args", &app_args);
                $(d.field(stringify!($c), $c);)+
                d.finish()
            }};
        }
        in_full!(
            master,
            remote,
            deploy_mode,
            main_class,
            name,
            jars,
            packages,
            exclude_packages,
            repositories,
            py_files,
            files,
            archives;
            conf;
            properties_file,
            extra_properties_files,
            load_spark_defaults,
            driver_default_class_path,
            driver_cores,
            executor_memory,
            executor_cores,
            num_executors,
            total_executor_cores,
            proxy_user,
            principal,
            keytab,
            queue,
            supervise,
            verbose,
            action,
            conflicting_actions,
            primary_resource;
            app_args;
            mixed_arguments,
            dry_run,
            show_secrets,
            launcher_config,
            quiet,
            log_level,
            log_format,
            output
        )
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
