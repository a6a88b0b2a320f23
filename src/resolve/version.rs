//! The Spark release of a job (`sparkVersion`, or its image's tag): which spark-submit direct
//! mode reproduces.

/// A Spark release, as far as it is known: `4.0` names every 4.0.x.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct SparkVersion {
    pub major: u32,
    pub minor: u32,
    pub patch: Option<u32>,
}

impl std::fmt::Display for SparkVersion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}", self.major, self.minor)?;
        if let Some(p) = self.patch {
            write!(f, ".{p}")?;
        }
        Ok(())
    }
}

impl SparkVersion {
    /// The setting's text: `3.5`, `4.0.1` (a `v` before it is taken).
    pub fn parse(text: &str) -> Result<SparkVersion, String> {
        let t = text.trim();
        leading(t)
            .filter(|(_, rest)| rest.is_empty())
            .map(|(v, _)| v)
            .ok_or_else(|| "a Spark release such as 3.5, 4.0 or 4.1.1".to_string())
    }

    /// The release an image's tag names, when it names one: `apache/spark:4.0.1`,
    /// `spark:3.5.3-scala2.12-java17-python3-ubuntu`, `host:5000/spark:v4.1.0`. A digest
    /// without a tag, `latest` or a tag that does not start with a release give `None`.
    pub fn from_image(image: &str) -> Option<SparkVersion> {
        let image = image.split('@').next().unwrap_or_default();
        let last = image.rsplit('/').next().unwrap_or_default();
        let (_, tag) = last.split_once(':')?;
        let (v, rest) = leading(tag)?;
        rest.chars()
            .next()
            .is_none_or(|c| matches!(c, '-' | '_' | '+'))
            .then_some(v)
    }
}

/// A release at the start of `t` (`v` allowed before it), and what follows it.
fn leading(t: &str) -> Option<(SparkVersion, &str)> {
    let t = t.strip_prefix('v').unwrap_or(t);
    let mut parts = Vec::new();
    let mut rest = t;
    loop {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 || digits > 4 {
            return None;
        }
        parts.push(rest[..digits].parse::<u32>().ok()?);
        rest = &rest[digits..];
        match rest.strip_prefix('.') {
            Some(r) if parts.len() < 3 && r.starts_with(|c: char| c.is_ascii_digit()) => rest = r,
            _ => break,
        }
    }
    if parts.len() < 2 {
        return None;
    }
    Some((
        SparkVersion {
            major: parts[0],
            minor: parts[1],
            patch: parts.get(2).copied(),
        },
        rest,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(major: u32, minor: u32, patch: Option<u32>) -> SparkVersion {
        SparkVersion {
            major,
            minor,
            patch,
        }
    }

    #[test]
    fn settings_read_as_releases() {
        assert_eq!(SparkVersion::parse("3.5"), Ok(v(3, 5, None)));
        assert_eq!(SparkVersion::parse(" 4.1.1 "), Ok(v(4, 1, Some(1))));
        assert_eq!(SparkVersion::parse("v4.0.0"), Ok(v(4, 0, Some(0))));
        for bad in ["4", "four", "4.x", "4.0.0.1", "4.0-rc1", "", "4..0"] {
            assert!(SparkVersion::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(v(4, 1, Some(1)).to_string(), "4.1.1");
        assert_eq!(v(3, 5, None).to_string(), "3.5");
    }

    #[test]
    fn image_tags_name_their_release() {
        let cases = [
            ("apache/spark:4.0.1", Some(v(4, 0, Some(1)))),
            (
                "apache/spark:3.5.3-scala2.12-java17-python3-ubuntu",
                Some(v(3, 5, Some(3))),
            ),
            ("spark:4.1.0-python3", Some(v(4, 1, Some(0)))),
            ("registry:5000/team/spark:v4.1.0", Some(v(4, 1, Some(0)))),
            ("registry:5000/team/spark", None),
            ("apache/spark:latest", None),
            ("apache/spark@sha256:0123abcd", None),
            ("apache/spark:4.0.1@sha256:0123abcd", Some(v(4, 0, Some(1)))),
            ("apache/spark:2024.10", Some(v(2024, 10, None))),
            ("apache/spark:4.0.1rc1", None),
            ("spark-py:3.4", Some(v(3, 4, None))),
        ];
        for (image, want) in cases {
            assert_eq!(SparkVersion::from_image(image), want, "{image}");
        }
    }
}
