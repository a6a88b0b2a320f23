//! The Spark release of a job (`sparkVersion`, or its image's tag): which spark-submit direct
//! mode reproduces. Read here, once; which releases direct mode models is
//! `plan::direct::version`'s.

use std::fmt;

/// A Spark version as a setting or an image tag names it: `3.5.2`, `4.0`,
/// `4.1.0-preview2`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SparkVersion {
    pub major: u32,
    pub minor: u32,
    pub patch: Option<u32>,
    /// A pre-release suffix (`preview2`, `rc1`).
    pub pre: Option<String>,
}

impl fmt::Display for SparkVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.major, self.minor)?;
        if let Some(p) = self.patch {
            write!(f, ".{p}")?;
        }
        if let Some(pre) = &self.pre {
            write!(f, "-{pre}")?;
        }
        Ok(())
    }
}

/// `major.minor[.patch][-pre]` at the start of `text`, and what follows it.
fn leading_version(text: &str) -> Option<(SparkVersion, &str)> {
    let number = |s: &str| -> Option<(u32, usize)> {
        let len = s.bytes().take_while(u8::is_ascii_digit).count();
        if len == 0 || len > 9 {
            return None;
        }
        Some((s[..len].parse().ok()?, len))
    };
    let (major, n) = number(text)?;
    let rest = text[n..].strip_prefix('.')?;
    let (minor, n) = number(rest)?;
    let mut rest = &rest[n..];
    let mut patch = None;
    if let Some(after) = rest.strip_prefix('.') {
        let (p, n) = number(after)?;
        patch = Some(p);
        rest = &after[n..];
    }
    let mut pre = None;
    if let Some(after) = rest.strip_prefix('-') {
        let word = after.split(['-', '_', '.']).next().unwrap_or_default();
        let lower = word.to_ascii_lowercase();
        if lower.starts_with("preview") || lower.starts_with("rc") {
            pre = Some(word.to_string());
            rest = &after[word.len()..];
        }
    }
    let version = SparkVersion {
        major,
        minor,
        patch,
        pre,
    };
    Some((version, rest))
}

/// The value of `spark.k8scli.sparkVersion`: `3.5`, `4.0.1`, `4.1.0-preview2`. Whether direct
/// mode models it is decided when the job is planned (a release it does not model falls back
/// to a submit pod, with a line saying why).
pub fn parse(setting: &str) -> Result<SparkVersion, String> {
    match leading_version(setting.trim()) {
        Some((v, "")) => Ok(v),
        _ => Err("a Spark version like 3.5.2 or 4.0".into()),
    }
}

/// The Spark version an image's tag names (`apache/spark:3.5.3-scala2.12-java17-ubuntu`,
/// `spark:4.1.0-python3`, `registry:5000/spark:v4.0.1`), whether supported or not; `None`
/// when the reference has no tag, pins a digest (the tag then says nothing certain), or the
/// tag does not start with a version (`latest`, `{{SPARK_VERSION}}`).
pub fn from_image(image: &str) -> Option<SparkVersion> {
    let image = image.trim();
    if image.contains('@') {
        return None;
    }
    let last = image.rsplit('/').next().unwrap_or(image);
    let (_, tag) = last.split_once(':')?;
    let tag = tag.strip_prefix(['v', 'V']).unwrap_or(tag);
    let (version, rest) = leading_version(tag)?;
    if rest.is_empty() || rest.starts_with(['-', '_']) {
        Some(version)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(major: u32, minor: u32, patch: Option<u32>) -> SparkVersion {
        SparkVersion {
            major,
            minor,
            patch,
            pre: None,
        }
    }

    #[test]
    fn official_image_tags_name_their_version() {
        let cases = [
            ("apache/spark:4.0.0", v(4, 0, Some(0))),
            (
                "apache/spark:3.5.3-scala2.12-java17-python3-ubuntu",
                v(3, 5, Some(3)),
            ),
            ("spark:4.1.0-python3", v(4, 1, Some(0))),
            ("spark:3.5.1-java17", v(3, 5, Some(1))),
            ("apache/spark:4.2", v(4, 2, None)),
            ("spark:4.3.0_custom", v(4, 3, Some(0))),
            ("docker.io/apache/spark:3.5.0", v(3, 5, Some(0))),
        ];
        for (image, want) in cases {
            assert_eq!(from_image(image), Some(want), "{image}");
        }
    }

    #[test]
    fn registry_ports_and_v_prefixes_are_not_tags() {
        assert_eq!(
            from_image("registry.local:5000/team/spark:4.0.1"),
            Some(v(4, 0, Some(1)))
        );
        assert_eq!(
            from_image("registry.local:5000/team/spark:v3.5.2"),
            Some(v(3, 5, Some(2)))
        );
        // The port is the registry's, not a tag.
        assert_eq!(from_image("registry.local:5000/team/spark"), None);
        assert_eq!(from_image("localhost:5000/spark"), None);
    }

    #[test]
    fn digests_latest_and_placeholders_name_no_version() {
        for image in [
            "apache/spark@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
            "apache/spark:4.0.0@sha256:0123456789abcdef0123456789abcdef0123456789abcdef01234567",
            "apache/spark:latest",
            "apache/spark",
            "apache/spark:python3",
            "apache/spark:{{SPARK_VERSION}}",
            "spark:4",
            "spark:4.x",
            "spark:4.0.0.1",
            "spark:3.5.0rc1",
            "",
        ] {
            assert_eq!(from_image(image), None, "{image:?}");
        }
    }

    #[test]
    fn pre_releases_are_read() {
        let got =
            from_image("apache/spark:4.0.0-preview2-scala2.13-java17-ubuntu").expect("a version");
        assert_eq!(got.pre.as_deref(), Some("preview2"));
        assert_eq!(got.to_string(), "4.0.0-preview2");
        assert_eq!(parse("4.1.0-rc1").unwrap().pre.as_deref(), Some("rc1"));
    }

    #[test]
    fn settings_read_as_versions() {
        for text in ["3.5", "3.5.2", "4.0", " 4.2.0 ", "4.4.0", "2.4"] {
            let got = parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(got.to_string(), text.trim());
        }
        for bad in ["4", "latest", "v4.0.0", "4.0.x", "", "4.0.0.1"] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }
}
