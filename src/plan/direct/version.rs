//! Which Spark release's submission client direct mode imitates, and what the driver-side
//! objects differ in between the release lines it models. Pure: a [`SparkVersion`] (read in
//! `resolve`) in, a [`SparkLine`] and its capabilities out.
//!
//! Every capability was read from the compiled classes of the released pyspark packages
//! (3.5.0, 3.5.9, 4.0.0, 4.0.5, 4.1.0, 4.1.4, 4.2.0, 4.2.1 and the pinned 4.3.0, `javap -c -p`)
//! and is cited, with the Spark source it comes from, in docs/spark-versions.md. Patch
//! releases of one line build the same driver objects (compared class by class, first and
//! newest patch of each line), so a line stands for all its patches.

use std::fmt;

use crate::resolve::version::SparkVersion;

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

    /// The driver volumes' mounts carry `subPathExpr` (`mount.subPathExpr`, else `""`) and a
    /// `hostPath` volume its `type` (`options.type`, else `""`) (4.0+, SPARK-49731); 3.5 writes
    /// no `subPathExpr` and an empty `type` whatever the settings say.
    pub fn volume_sub_path_expr_and_host_path_type(self) -> bool {
        self >= SparkLine::V4_0
    }

    /// The driver's `SPARK_USER` is the `--proxy-user` when one is given (4.3+, SPARK-58926);
    /// before, it is the submitting user (`Utils.getCurrentUserName`, which reads the submitting
    /// process's `SPARK_USER` first), proxy user or not.
    pub fn spark_user_is_proxy_user(self) -> bool {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn version(text: &str) -> SparkVersion {
        crate::resolve::version::parse(text).unwrap()
    }

    #[test]
    fn versions_fall_in_their_line() {
        let cases = [
            ("3.5", SparkLine::V3_5),
            ("3.5.2", SparkLine::V3_5),
            ("4.0", SparkLine::V4_0),
            ("4.0.5", SparkLine::V4_0),
            ("4.1.1", SparkLine::V4_1),
            ("4.2.0", SparkLine::V4_2),
            ("4.3.0", SparkLine::V4_3),
        ];
        for (text, line) in cases {
            assert_eq!(version(text).line(), Ok(line), "{text}");
        }
    }

    #[test]
    fn unmodelled_versions_name_the_supported_lines() {
        for (text, says) in [
            ("3.4.1", "older than 3.5"),
            ("2.4", "older than 3.5"),
            ("4.4.0", "newer"),
            ("5.0", "no Spark 5 release"),
            ("4.0.0-preview1", "pre-release"),
        ] {
            let why = version(text).line().expect_err(text);
            assert!(why.contains(says), "{text}: {why}");
            assert!(why.contains(SUPPORTED), "{text}: {why}");
        }
    }

    /// Each capability is there from the line it came with on (docs/spark-versions.md) and in
    /// no line before.
    #[test]
    fn capabilities_start_with_the_line_that_brought_them() {
        use SparkLine::*;
        type Case = (&'static str, fn(SparkLine) -> bool, SparkLine);
        let cases: [Case; 11] = [
            ("server_side_apply", SparkLine::server_side_apply, V3_5),
            (
                "volume_sub_path_expr_and_host_path_type",
                SparkLine::volume_sub_path_expr_and_host_path_type,
                V4_0,
            ),
            (
                "spark_user_is_proxy_user",
                SparkLine::spark_user_is_proxy_user,
                V4_3,
            ),
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
