//! Which Spark release's submission client direct mode imitates, and what the driver-side
//! objects differ in between the release lines it models. Pure: the setting's text or the
//! image reference in, a [`SparkLine`] and its capabilities out.
//!
//! Every capability was read from the compiled classes of the released pyspark packages
//! (3.5.0, 3.5.9, 4.0.0, 4.0.5, 4.1.0, 4.1.4, 4.2.0, 4.2.1 and the pinned 4.3.0, `javap -c -p`)
//! and is cited, with the Spark source it comes from, in docs/spark-versions.md. Patch
//! releases of one line build the same driver objects (compared class by class, first and
//! newest patch of each line), so a line stands for all its patches.

use std::fmt;

/// The release lines whose driver objects direct mode can build, oldest first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SparkLine {
    V3_5,
    V4_0,
    V4_1,
    V4_2,
    V4_3,
}

/// The lines, oldest first, as the error messages name them.
pub const SUPPORTED: &str = "3.5, 4.0, 4.1, 4.2 and 4.3";

/// How the driver of a line can read the properties that must stay out of its ConfigMap
/// (those matching `spark.redaction.regex`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SecretProperties {
    /// `--extra-properties-file <file>` in the driver's args, the file mounted from a Secret
    /// (Spark 4.2+). Its properties override `--properties-file`'s; `--conf` overrides both.
    ExtraPropertiesFile,
    /// One `--conf key=$(VAR)` arg per property, `VAR` a `secretKeyRef` env variable of the
    /// driver container: the kubelet expands `$(VAR)` in args from the container's env, the
    /// image's entrypoint passes the args to spark-submit unchanged, and `--conf` wins over
    /// `--properties-file`.
    ConfArgs,
}

impl SparkLine {
    /// Every line, oldest first.
    pub const ALL: [SparkLine; 5] = [
        SparkLine::V3_5,
        SparkLine::V4_0,
        SparkLine::V4_1,
        SparkLine::V4_2,
        SparkLine::V4_3,
    ];

    /// `3.5`, `4.0`, ...
    pub fn name(self) -> &'static str {
        match self {
            SparkLine::V3_5 => "3.5",
            SparkLine::V4_0 => "4.0",
            SparkLine::V4_1 => "4.1",
            SparkLine::V4_2 => "4.2",
            SparkLine::V4_3 => "4.3",
        }
    }

    /// `NetworkPolicyFeatureStep` runs: the `<prefix>-policy` NetworkPolicy is applied after
    /// the Service (4.2+).
    pub fn network_policy(self) -> bool {
        self >= SparkLine::V4_2
    }

    /// The driver container and Service carry the `spark-connect` port
    /// (`spark.connect.grpc.binding.port`, 15002) (4.1+).
    pub fn connect_port(self) -> bool {
        self >= SparkLine::V4_1
    }

    /// The Service's `spark-connect` port's `appProtocol` (4.2+: `grpc`; 4.1 writes none).
    pub fn connect_app_protocol(self) -> Option<&'static str> {
        (self >= SparkLine::V4_2).then_some("grpc")
    }

    /// The driver container gets `securityContext.allowPrivilegeEscalation`, `false` unless
    /// `spark.kubernetes.driver.securityContext.allowPrivilegeEscalation` (falling back to
    /// `spark.kubernetes.securityContext.allowPrivilegeEscalation`) says `true` (4.3+; before,
    /// no `securityContext` at all).
    pub fn drop_privilege_escalation(self) -> bool {
        self >= SparkLine::V4_3
    }

    /// The Service's `spec.publishNotReadyAddresses` is written, from
    /// `spark.kubernetes.driver.service.publishNotReadyAddresses` (default `false`) (4.3+;
    /// before, the field is absent).
    pub fn publish_not_ready_addresses(self) -> bool {
        self >= SparkLine::V4_3
    }

    /// spark-submit knows `--extra-properties-file` (4.2+).
    pub fn extra_properties_file(self) -> bool {
        self >= SparkLine::V4_2
    }

    /// How a driver of this line reads secret properties without a ConfigMap.
    pub fn secret_properties(self) -> SecretProperties {
        if self.extra_properties_file() {
            SecretProperties::ExtraPropertiesFile
        } else {
            SecretProperties::ConfArgs
        }
    }

    /// The driver's memory overhead has the floor `spark.driver.minMemoryOverhead` (4.0+);
    /// 3.5's floor is a fixed 384 MiB (`ResourceProfile.MEMORY_OVERHEAD_MIN_MIB`) whatever
    /// that setting says.
    pub fn min_memory_overhead_setting(self) -> bool {
        self >= SparkLine::V4_0
    }

    /// `{{SPARK_VERSION}}` in the container image is replaced by the release (4.1+;
    /// `Utils.substituteSparkVersion`).
    pub fn image_version_placeholder(self) -> bool {
        self >= SparkLine::V4_1
    }

    /// `spark.kubernetes.driver.pod.excludedFeatureSteps` can drop feature steps (4.1+): a
    /// direct submission must not build a step the user excluded.
    pub fn excluded_feature_steps(self) -> bool {
        self >= SparkLine::V4_1
    }

    /// The pod is created (`POST`, field manager `fabric8-kubernetes-client`), then the other
    /// resources and the ConfigMap are applied server-side with `force=true` (field manager
    /// `fabric8`), owned by the pod (`controller: true`). The same in every modelled line.
    pub fn server_side_apply(self) -> bool {
        true
    }

    /// `spark.kubernetes.allocation.batch.size`'s default: how many executor pods the driver
    /// asks for per allocation round.
    pub fn allocation_batch_size(self) -> u32 {
        match self {
            SparkLine::V3_5 => 5,
            SparkLine::V4_0 | SparkLine::V4_1 => 10,
            SparkLine::V4_2 | SparkLine::V4_3 => 20,
        }
    }
}

impl fmt::Display for SparkLine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

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

impl SparkVersion {
    /// The modelled line of this version, or why direct mode cannot imitate it.
    pub fn line(&self) -> Result<SparkLine, String> {
        if let Some(pre) = &self.pre {
            return Err(format!(
                "Spark {self} is a pre-release ({pre}); direct submit models the releases \
                 {SUPPORTED}"
            ));
        }
        match (self.major, self.minor) {
            (3, 5) => Ok(SparkLine::V3_5),
            (4, 0) => Ok(SparkLine::V4_0),
            (4, 1) => Ok(SparkLine::V4_1),
            (4, 2) => Ok(SparkLine::V4_2),
            (4, 3) => Ok(SparkLine::V4_3),
            (major, minor) if major < 3 || (major == 3 && minor < 5) => Err(format!(
                "Spark {self} is older than 3.5; direct submit supports {SUPPORTED}"
            )),
            (4, _) => Err(format!(
                "Spark {self} is newer than the newest release line direct submit models; \
                 it supports {SUPPORTED}"
            )),
            _ => Err(format!(
                "Spark {self}: no Spark {} release is modelled; direct submit supports \
                 {SUPPORTED}",
                self.major
            )),
        }
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

/// The value of `spark.k8scli.sparkVersion`: `3.5`, `4.0.1`, ...; an error names the
/// supported lines when the version is not one of them.
pub fn parse(setting: &str) -> Result<SparkVersion, String> {
    let text = setting.trim();
    let version = match leading_version(text) {
        Some((v, "")) => v,
        _ => {
            return Err(format!(
                "spark.k8scli.sparkVersion={setting:?} is not a Spark version: give one like \
                 3.5.2 or 4.0 (supported: {SUPPORTED})"
            ));
        }
    };
    version.line()?;
    Ok(version)
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

/// The line a submission imitates: the setting when given, else the image tag's version;
/// the error is the line direct mode prints when it falls back to `pod` mode.
pub fn resolve(setting: Option<&str>, image: &str) -> Result<(SparkVersion, SparkLine), String> {
    if let Some(s) = setting {
        let v = parse(s)?;
        let line = v.line()?;
        return Ok((v, line));
    }
    let Some(v) = from_image(image) else {
        return Err(format!(
            "the image {image:?} names no Spark version in its tag: set \
             spark.k8scli.sparkVersion (supported: {SUPPORTED})"
        ));
    };
    match v.line() {
        Ok(line) => Ok((v, line)),
        Err(why) => Err(format!(
            "{why} (from the tag of {image:?}; if the tag is not the Spark version, set \
             spark.k8scli.sparkVersion)"
        )),
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
    fn pre_releases_are_read_but_not_supported() {
        let got =
            from_image("apache/spark:4.0.0-preview2-scala2.13-java17-ubuntu").expect("a version");
        assert_eq!(got.pre.as_deref(), Some("preview2"));
        assert_eq!(got.to_string(), "4.0.0-preview2");
        let why = got.line().expect_err("pre-release");
        assert!(
            why.contains("pre-release") && why.contains(SUPPORTED),
            "{why}"
        );
        assert!(parse("4.1.0-rc1").is_err());
    }

    #[test]
    fn settings_parse_to_their_line() {
        let cases = [
            ("3.5", SparkLine::V3_5),
            ("3.5.2", SparkLine::V3_5),
            ("4.0", SparkLine::V4_0),
            ("4.0.5", SparkLine::V4_0),
            ("4.1.1", SparkLine::V4_1),
            (" 4.2.0 ", SparkLine::V4_2),
            ("4.3.0", SparkLine::V4_3),
        ];
        for (text, line) in cases {
            let got = parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(got.line(), Ok(line), "{text}");
            assert_eq!(got.to_string(), text.trim());
        }
    }

    #[test]
    fn unsupported_settings_name_the_supported_lines() {
        for (text, says) in [
            ("3.4.1", "older than 3.5"),
            ("2.4", "older than 3.5"),
            ("4.4.0", "newer"),
            ("5.0", "no Spark 5 release"),
            ("4", "not a Spark version"),
            ("latest", "not a Spark version"),
            ("v4.0.0", "not a Spark version"),
            ("4.0.0-preview1", "pre-release"),
            ("4.0.x", "not a Spark version"),
            ("", "not a Spark version"),
        ] {
            let why = parse(text).expect_err(text);
            assert!(why.contains(says), "{text}: {why}");
            assert!(why.contains(SUPPORTED), "{text}: {why}");
        }
    }

    #[test]
    fn the_setting_wins_over_the_image_tag() {
        let (version, line) = resolve(Some("3.5.1"), "apache/spark:4.0.0").expect("supported");
        assert_eq!(
            (version.to_string(), line),
            ("3.5.1".into(), SparkLine::V3_5)
        );
        let (version, line) = resolve(None, "apache/spark:4.1.0-python3").expect("supported");
        assert_eq!(
            (version.to_string(), line),
            ("4.1.0".into(), SparkLine::V4_1)
        );
    }

    #[test]
    fn fallbacks_say_why_and_what_to_set() {
        let why = resolve(None, "apache/spark:latest").expect_err("no version");
        assert!(
            why.contains("names no Spark version") && why.contains("spark.k8scli.sparkVersion")
        );
        let why = resolve(None, "my/app:1.2.3").expect_err("too old");
        assert!(
            why.contains("older than 3.5") && why.contains("my/app:1.2.3"),
            "{why}"
        );
        assert!(why.contains("spark.k8scli.sparkVersion"), "{why}");
        let why = resolve(Some("3.4"), "apache/spark:4.0.0").expect_err("setting too old");
        assert!(why.contains("older than 3.5"), "{why}");
    }

    /// Each capability is there from the line it came with on (docs/spark-versions.md) and in
    /// no line before.
    #[test]
    fn capabilities_start_with_the_line_that_brought_them() {
        use SparkLine::*;
        type Case = (&'static str, fn(SparkLine) -> bool, SparkLine);
        let cases: [Case; 9] = [
            ("server_side_apply", SparkLine::server_side_apply, V3_5),
            (
                "min_memory_overhead_setting",
                SparkLine::min_memory_overhead_setting,
                V4_0,
            ),
            ("connect_port", SparkLine::connect_port, V4_1),
            (
                "image_version_placeholder",
                SparkLine::image_version_placeholder,
                V4_1,
            ),
            (
                "excluded_feature_steps",
                SparkLine::excluded_feature_steps,
                V4_1,
            ),
            ("network_policy", SparkLine::network_policy, V4_2),
            (
                "extra_properties_file",
                SparkLine::extra_properties_file,
                V4_2,
            ),
            (
                "drop_privilege_escalation",
                SparkLine::drop_privilege_escalation,
                V4_3,
            ),
            (
                "publish_not_ready_addresses",
                SparkLine::publish_not_ready_addresses,
                V4_3,
            ),
        ];
        for (name, capability, first) in cases {
            for line in SparkLine::ALL {
                assert_eq!(capability(line), line >= first, "{name} in {line}");
            }
        }
    }

    /// A capability's value in each line, oldest first.
    fn per_line<T>(capability: fn(SparkLine) -> T) -> Vec<T> {
        SparkLine::ALL.into_iter().map(capability).collect()
    }

    #[test]
    fn connect_app_protocol_from_4_2() {
        assert_eq!(
            per_line(SparkLine::connect_app_protocol),
            [None, None, None, Some("grpc"), Some("grpc")]
        );
    }

    #[test]
    fn secret_properties_by_extra_properties_file_from_4_2_else_conf_args() {
        use SecretProperties::*;
        assert_eq!(
            per_line(SparkLine::secret_properties),
            [
                ConfArgs,
                ConfArgs,
                ConfArgs,
                ExtraPropertiesFile,
                ExtraPropertiesFile
            ]
        );
    }

    #[test]
    fn allocation_batch_size_defaults() {
        assert_eq!(
            per_line(SparkLine::allocation_batch_size),
            [5, 10, 10, 20, 20]
        );
    }

    #[test]
    fn lines_print_and_order_as_releases() {
        let names: Vec<String> = SparkLine::ALL.iter().map(ToString::to_string).collect();
        assert_eq!(names, ["3.5", "4.0", "4.1", "4.2", "4.3"]);
        assert_eq!(SUPPORTED, "3.5, 4.0, 4.1, 4.2 and 4.3");
        assert!(SparkLine::ALL.windows(2).all(|w| w[0] < w[1]));
    }
}
