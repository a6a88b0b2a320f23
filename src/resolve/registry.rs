//! The launcher settings registry: each setting defined once, with its three spellings.
//!
//! A setting `submitImage` is the YAML field `submitImage` of the launcher config, the property
//! `spark.k8scli.submitImage`, and the environment variable `SPARK_K8S_CLI_SUBMIT_IMAGE`.
//! Precedence, highest first: a dedicated flag (`--dry-run`, `--queue`), the property (from
//! `--conf` or a properties file), the environment, the launcher config, the default.
//! Help, validation, `--verbose` and `docs/config.md` all read [`SETTINGS`].

use std::collections::BTreeMap;

/// The prefix of launcher properties.
pub const PREFIX: &str = "spark.k8scli.";
/// The prefix of launcher environment variables.
pub const ENV_PREFIX: &str = "SPARK_K8S_CLI_";

/// How a setting's value is written and checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Free text.
    Text,
    /// `true` or `false`.
    Bool,
    /// A Kubernetes CPU quantity (`500m`, `2`).
    Cpu,
    /// A Kubernetes memory quantity (`512Mi`).
    Memory,
    /// A file path.
    Path,
    /// A DNS-1123 label (names that become part of object names and label values).
    Label,
    /// A Kubernetes label value: up to 63 of `[A-Za-z0-9._-]`, alphanumeric at both ends.
    LabelValue,
    /// A map whose values are of the inner kind: YAML mapping,
    /// `spark.k8scli.<name>.<key>=<value>`, or env `k=v,k2=v2`.
    Map(&'static Kind),
    /// A list whose items are of the inner kind: YAML sequence, or a comma-separated string.
    List(&'static Kind),
    /// Structured values in JSON or YAML: tolerations, the fleet, alert sinks, queue overrides.
    Objects,
    /// A duration, 0 or more: seconds (`30`, `0.5`) or with a unit (`500ms`, `3s`, `10m`, `1h`,
    /// `2d`); read back as plain seconds.
    Seconds,
    /// A duration above 0.
    PositiveSeconds,
    /// A whole number, negative allowed.
    Integer,
    /// A whole number, 0 or more.
    Count,
    /// One of a fixed set of words (`fail`, `alert`).
    Choice(&'static [&'static str]),
}

impl Kind {
    pub fn describe(self) -> String {
        let text = match self {
            Kind::Text => "string",
            Kind::Bool => "bool",
            Kind::Cpu => "cpu quantity",
            Kind::Memory => "memory quantity",
            Kind::Path => "path",
            Kind::Label => "DNS-1123 label",
            Kind::LabelValue => "label value",
            Kind::Map(Kind::Text) => "map",
            Kind::List(Kind::Text) => "list",
            Kind::Map(Kind::Count) => "map of counts",
            Kind::Map(Kind::Cpu) => "map of cpu quantities",
            Kind::Map(Kind::Memory) => "map of memory quantities",
            Kind::Map(inner) => return format!("map of {}", inner.describe()),
            Kind::List(inner) => return format!("list of {}", inner.describe()),
            Kind::Objects => "JSON/YAML objects",
            Kind::Seconds => "duration (30, 10s, 5m, 1h; 0 or more)",
            Kind::PositiveSeconds => "duration (30, 10s, 5m, 1h; above 0)",
            Kind::Integer => "integer",
            Kind::Count => "count (0 or more)",
            Kind::Choice(words) => return format!("one of {}", words.join(", ")),
        };
        text.to_string()
    }

    /// `must be a, b or c` for a [`Kind::Choice`].
    pub fn choices(words: &[&str]) -> String {
        match words.split_last() {
            Some((last, [])) => format!("must be {last}"),
            Some((last, rest)) => format!("must be {} or {last}", rest.join(", ")),
            None => "must be empty".into(),
        }
    }

    /// Whether values of this kind are maps (YAML mapping, `<name>.<key>` properties, env `k=v`).
    pub fn is_map(self) -> bool {
        matches!(self, Kind::Map(_))
    }
}

/// One launcher setting.
#[derive(Debug)]
pub struct Setting {
    /// camelCase name: the YAML field and the property suffix.
    pub name: &'static str,
    pub kind: Kind,
    /// The default as documented; empty when the default is derived (see `doc`).
    pub default: &'static str,
    pub doc: &'static str,
}

impl Setting {
    /// `spark.k8scli.<name>`
    pub fn key(&self) -> String {
        format!("{PREFIX}{}", self.name)
    }

    /// `SPARK_K8S_CLI_<NAME>` with camelCase split at capitals.
    pub fn env(&self) -> String {
        let mut out = String::from(ENV_PREFIX);
        for c in self.name.chars() {
            if c.is_ascii_uppercase() {
                out.push('_');
            }
            out.push(c.to_ascii_uppercase());
        }
        out
    }
}

/// A setting's kind as the table writes it: `Seconds`, `List[Text]`, `Choice["a", "b"]`.
macro_rules! kind {
    (Choice[$($word:literal),+]) => {
        Kind::Choice(&[$($word),+])
    };
    ($outer:ident[$inner:ident]) => {
        Kind::$outer(&Kind::$inner)
    };
    ($kind:ident) => {
        Kind::$kind
    };
}

macro_rules! setting {
    ($name:literal, $kind:ident $([$($arg:tt),+])?, $default:literal, $doc:literal) => {
        Setting {
            name: $name,
            kind: kind!($kind $([$($arg),+])?),
            default: $default,
            doc: $doc,
        }
    };
}

/// Every launcher setting, in documentation order.
pub static SETTINGS: &[Setting] = &[
    setting!(
        "namespace",
        Label,
        "",
        "Namespace of the submit pod and the driver. Default: spark.kubernetes.namespace, else the kube context's namespace, else `default`."
    ),
    setting!(
        "kubeconfig",
        Path,
        "",
        "kubeconfig file. Default: $KUBECONFIG, else ~/.kube/config."
    ),
    setting!(
        "context",
        Text,
        "",
        "kubeconfig context. Default: spark.kubernetes.context, else the current context."
    ),
    setting!(
        "jobId",
        Label,
        "",
        "The job's id (DNS-1123 label, at most 50 characters). Names the submit pod (`<id>-submit`) and pins the driver pod name (`<id>-driver`; `<id>-job-driver` for an id without a dash, so that Airflow's `pod name: <app>-<id>-driver` pattern matches), so re-running the same id never makes a second driver. In client mode the submit pod is the driver and takes the driver's name (a session's keeps `<id>-submit`). Default: generated from the app name."
    ),
    setting!(
        "queue",
        LabelValue,
        "default",
        "The launcher queue the job waits in (also `--queue`)."
    ),
    setting!(
        "queuePriority",
        Integer,
        "0",
        "Priority of the job in its queue: higher goes first; equal priorities go in enqueue order."
    ),
    setting!(
        "queueTimeout",
        Seconds,
        "0",
        "How long the job may wait in the queue before it gives up (exit 5); 0 waits for ever. Also spark.k8scli.queue.timeout."
    ),
    setting!(
        "queueHeartbeat",
        PositiveSeconds,
        "30",
        "Seconds a queue ticket lives without renewal: a launcher that dies frees its place after this long (renewed every third of it)."
    ),
    setting!(
        "queueTimeoutAction",
        Choice["fail", "alert"],
        "fail",
        "What a queue timeout does: fail (alert queue-timeout, leave the queue, exit 5) or alert (alert once and keep waiting). Also spark.k8scli.queue.timeoutAction."
    ),
    setting!(
        "fleet",
        Objects,
        "",
        "The clusters of the fleet: a list of {name, kubeconfig, context, inCluster, namespace, weight, priority, labels, enabled, drained, overrides}; overrides holds queue and submit pod settings for jobs placed there. With a fleet, no --master (or k8s://fleet) places each job on one of them; k8s://fleet/<name> pins one."
    ),
    setting!(
        "fleetPolicy",
        Choice["weighted", "priority", "headroom"],
        "weighted",
        "How the fleet picks a cluster: weighted (smooth round-robin by weight), priority (the first healthy one with room, lower priority first) or headroom (the most room left after the job)."
    ),
    setting!(
        "cluster",
        Text,
        "",
        "Pins the job to this cluster of the fleet."
    ),
    setting!(
        "clusters",
        List[Text],
        "",
        "Restricts the job to these clusters of the fleet."
    ),
    setting!(
        "clusterSelector",
        Text,
        "",
        "Restricts the job to the fleet's clusters whose labels match (k=v,k!=v,k,!k)."
    ),
    setting!(
        "probeTimeout",
        PositiveSeconds,
        "2",
        "Seconds a health probe of a fleet cluster (/readyz, then /version) may take, connecting included."
    ),
    setting!(
        "healthTtl",
        Seconds,
        "5",
        "Seconds a fleet cluster's health, shared by the launchers of every host through a Lease of the fleet's first member (a host file caches it), stays fresh."
    ),
    setting!(
        "circuitFailures",
        Count,
        "3",
        "Failures in a row (probes or requests) that open a fleet cluster's circuit: it is skipped until the cool-down passes."
    ),
    setting!(
        "circuitCoolDown",
        Seconds,
        "30",
        "Seconds an open circuit skips its cluster before one probe may close it again."
    ),
    setting!(
        "failoverOnUnknown",
        Bool,
        "false",
        "Move a job to another cluster when the first cannot be read back after a create whose outcome is unknown (risking a stale submit pod there, deleted when it returns). Also spark.k8scli.failover.onUnknown."
    ),
    setting!(
        "queueSpillAfter",
        Seconds,
        "0",
        "On a fleet: seconds a job may wait in one cluster's queue before it moves to another cluster that has room now (looked for every 5 s after); 0 never moves it. Also spark.k8scli.queue.spillAfter."
    ),
    setting!(
        "queueMaxRunning",
        Map[Count],
        "",
        "Per queue: the most jobs running at once (e.g. queueMaxRunning: {etl: 3})."
    ),
    setting!(
        "queueMaxCores",
        Map[Cpu],
        "",
        "Per queue: the most CPU its running jobs request in all (a CPU quantity)."
    ),
    setting!(
        "queueMaxMemory",
        Map[Memory],
        "",
        "Per queue: the most memory its running jobs request in all (a memory quantity)."
    ),
    setting!(
        "dryRun",
        Bool,
        "false",
        "Print what would be created as YAML and touch no cluster (also `--dry-run`)."
    ),
    setting!(
        "quiet",
        Bool,
        "false",
        "Print nothing, on stderr or stdout, but what `output` asks for; the exit code still tells the result (also `--quiet`). Our own commands take `--quiet` too."
    ),
    setting!(
        "logLevel",
        Choice["error", "warn", "info", "debug", "trace"],
        "info",
        "What the launcher says on stderr (also `--log-level`): error (errors and failure events), warn (and warnings, warning events, retries), info (and the progress lines), debug and trace (and the launcher's diagnostics; `--verbose` is debug). A job that succeeds prints its progress lines only: a job-succeeded event goes only to the sinks that list it (a `log` sink prints it). SPARK_K8S_CLI_LOG (a tracing filter) overrides the diagnostics."
    ),
    setting!(
        "logFormat",
        Choice["text", "json"],
        "text",
        "How the launcher's stderr lines are written (also `--log-format`): text, or json (one JSON object per line: timestamp, level, fields.message, target; tracing-subscriber's JSON format) for log shippers. The job's streamed logs on stdout are not changed."
    ),
    setting!(
        "logDir",
        Text,
        "",
        "A directory where the submit pod's and the driver's logs of every job are kept, one file each (DIR/JOB-ID.submit.log, DIR/JOB-ID.driver.log; a failover appends), since Kubernetes keeps none once the pods are gone; each path is printed when its log ends. Empty: none kept."
    ),
    setting!(
        "output",
        Choice["text", "json", "yaml", "wide"],
        "text",
        "What a submission prints on stdout at its end (also `--output`, `-o`): text (nothing more; wide likewise), or json or yaml: one object with job_id, cluster, namespace, pods, exit_code, error, queued_seconds, pending_seconds, running_seconds and cost (core-seconds and GiB-seconds of the driver, the executors, the submit pod and in total; estimated with `prices`). With --status: the driver pods' state as json, yaml or a wide table."
    ),
    setting!(
        "prices",
        Objects,
        "",
        "What a job's requests cost, for the estimate in the closing line, `--output json` and `list -o json`: {default: {coreHour, gibHour, currency}, clusters: {<fleet cluster>: {coreHour, gibHour, currency}}}; a price is per core (or GiB of memory) requested for an hour, 0 or more; a cluster without its own takes the default. Without it, jobs say their core-seconds and GiB-seconds only."
    ),
    setting!(
        "uiIngressHost",
        Text,
        "",
        "Once the driver runs, make an Ingress to its web UI (spark.ui.port) at this host and print its URL; a template with {job} (the job id), {namespace} and {cluster} (the fleet member's name), e.g. {job}.spark.example.com, that must make a DNS-1123 subdomain (no wildcard). The Ingress and a Service for it are named after the driver pod and owned by it, so they go with it. Empty: none. Also spark.k8scli.uiIngress.host."
    ),
    setting!(
        "uiIngressClassName",
        Text,
        "",
        "The IngressClass of the driver UI's Ingress (its spec.ingressClassName). Default: the cluster's default class. Also spark.k8scli.uiIngress.className."
    ),
    setting!(
        "uiIngressAnnotations",
        Map[Text],
        "",
        "Annotations of the driver UI's Ingress (e.g. uiIngressAnnotations: {nginx.ingress.kubernetes.io/proxy-body-size: 8m}); as properties spark.k8scli.uiIngressAnnotations.KEY=VALUE or spark.k8scli.uiIngress.annotations.KEY=VALUE."
    ),
    setting!(
        "uiIngressTls",
        Text,
        "",
        "A TLS Secret for the driver UI's Ingress host: the Ingress terminates TLS with it and the printed URL is https. Empty: http. Also spark.k8scli.uiIngress.tls."
    ),
    setting!(
        "deleteOnInterrupt",
        Bool,
        "true",
        "Delete the job's pods when the launcher is interrupted (Ctrl-C, SIGTERM)."
    ),
    setting!(
        "startupTimeout",
        PositiveSeconds,
        "300",
        "Seconds a submit or driver pod may stay unschedulable before the job fails with the cause (exit 4)."
    ),
    setting!(
        "startupTimeoutAction",
        Choice["fail", "alert"],
        "fail",
        "What a start-up timeout does: fail (alert pending-too-long, delete the job's pods, exit 4) or alert (alert once and keep waiting). Also spark.k8scli.startup.timeoutAction."
    ),
    setting!(
        "clusterLostTimeout",
        PositiveSeconds,
        "300",
        "How long the job's cluster may stay unreachable while the launcher follows the job; then the job ends with exit 7 and the cluster-lost alert (its outcome unknown: the driver may still run there)."
    ),
    setting!(
        "runTimeout",
        Seconds,
        "0",
        "Seconds the driver may run before the run-timeout alert; 0: no limit. Also spark.k8scli.run.timeout."
    ),
    setting!(
        "queueOverrides",
        Objects,
        "",
        "Per queue, timeouts and their actions for its jobs: {queue: {queueTimeout, queueTimeoutAction, startupTimeout, startupTimeoutAction, runTimeout, runTimeoutAction}} (e.g. queueOverrides: {etl: {runTimeout: 7200, runTimeoutAction: kill}}). They replace the launcher config's values; the job's own --conf, environment and flags still win."
    ),
    setting!(
        "runTimeoutAction",
        Choice["alert", "kill"],
        "alert",
        "What a run timeout does: alert (once; the job runs on) or kill (alert, delete the driver and submit pods, exit 6). Also spark.k8scli.run.timeoutAction."
    ),
    setting!(
        "sessionQueueTimeout",
        Seconds,
        "600",
        "How long an interactive session (spark-shell, pyspark, spark-sql) may wait in the queue before it gives up (exit 5), in place of queueTimeout: a person is waiting; 0 waits for ever. Sessions have no runTimeout and no submitPodDeadline: they end when the shell does. Also spark.k8scli.session.queueTimeout."
    ),
    setting!(
        "sessionReattachGrace",
        Seconds,
        "60",
        "How long the launcher keeps trying to re-attach a session whose connection dropped; 0: it does not try. Also spark.k8scli.session.reattachGrace."
    ),
    setting!(
        "sessionKeepPod",
        Bool,
        "false",
        "Keep a session's pod and its Service after the session ends (for its logs); they are deleted otherwise. Also spark.k8scli.session.keepPod."
    ),
    setting!(
        "sessionIdleTimeout",
        Seconds,
        "0",
        "A session with no input and no output this long is ended, after a warning (sessionIdleWarning); 0: never. Also spark.k8scli.session.idleTimeout."
    ),
    setting!(
        "sessionIdleWarning",
        Seconds,
        "60",
        "How long before the idle end of a session its warning is printed (a warning longer than sessionIdleTimeout is printed as soon as the session turns idle). Also spark.k8scli.session.idleWarning."
    ),
    setting!(
        "alertSinks",
        Objects,
        "",
        "Where job events go: a list of sinks {name, type: webhook|slack|command|log, url, headers, secret, template, argv, events, severities, queues, timeout}. See docs/alerts.md."
    ),
    setting!(
        "alertLinks",
        Map[Text],
        "",
        "Links added to every alert, name to URL template with {job_id}, {app_name}, {namespace}, {cluster}, {queue}, {driver_pod} (e.g. alertLinks: {Spark UI: https://history/{app_name}})."
    ),
    setting!(
        "alertFlushTimeout",
        Seconds,
        "5",
        "Seconds the launcher waits at exit for alerts still being delivered; then it exits anyway (the exit code is the job's)."
    ),
    setting!(
        "alertRateLimit",
        Count,
        "5",
        "Like alerts (same event, cluster and reason) sent per minute by the launchers of one host; the rest are counted and the next one sent says how many; 0: no limit."
    ),
    setting!(
        "followDriverLog",
        Bool,
        "true",
        "Stream the driver's log after the submit pod's."
    ),
    setting!(
        "submitMode",
        Choice["pod", "direct"],
        "direct",
        "How a cluster-mode batch job is submitted: direct (the default: the launcher creates the driver's Pod, Service, NetworkPolicy and ConfigMap itself, as that spark-submit would, and the properties the redaction rule matches in a Secret instead of the ConfigMap; a job direct mode does not cover goes through a submit pod, with a line saying why) or pod (a submit pod runs the image's spark-submit in the cluster). See docs/direct-submit.md."
    ),
    setting!(
        "backend",
        Choice["submit", "operator"],
        "submit",
        "Who submits a cluster-mode batch job: submit (the default: the launcher, as submitMode says) or operator (the job becomes a Kubeflow Spark operator SparkApplication, sparkoperator.k8s.io/v1beta2, whose controller runs spark-submit). The operator backend can only be dry-run so far: --dry-run prints the SparkApplication; without it the job is refused before anything is created. See docs/operator.md."
    ),
    setting!(
        "sparkVersion",
        Text,
        "",
        "The Spark release of the job's image (3.5, 4.0, 4.1.1, ...): which spark-submit direct mode reproduces. Default: read from the image tag (apache/spark:4.0.1 gives 4.0.1); without one, direct mode falls back to pod."
    ),
    setting!(
        "submitImage",
        Text,
        "",
        "Image of the submit pod. Default: spark.kubernetes.container.image (spark.kubernetes.driver.container.image in client mode)."
    ),
    setting!(
        "sparkSubmitPath",
        Text,
        "/opt/spark/bin/spark-submit",
        "Path of spark-submit inside the submit image."
    ),
    setting!(
        "submitServiceAccount",
        Text,
        "",
        "Service account of the submit pod; it must be allowed to create the driver's pods, services and config maps. Default: spark.kubernetes.authenticate.driver.serviceAccountName, else `default`."
    ),
    setting!(
        "submitCpu",
        Cpu,
        "500m",
        "CPU request of the submit pod (cluster mode; in client mode the pod is sized as the driver)."
    ),
    setting!(
        "submitCpuLimit",
        Cpu,
        "",
        "CPU limit of the submit pod. Default: none."
    ),
    setting!(
        "submitMemory",
        Memory,
        "512Mi",
        "Memory request and limit of the submit pod (cluster mode)."
    ),
    setting!(
        "submitNodeSelector",
        Map[Text],
        "",
        "Node selector of the submit pod. Default: spark.kubernetes.node.selector.*."
    ),
    setting!(
        "submitTolerations",
        Objects,
        "",
        "Tolerations of the submit pod, a JSON/YAML array of Toleration objects."
    ),
    setting!(
        "submitImagePullSecrets",
        List[Text],
        "",
        "Image pull secrets of the submit pod. Default: spark.kubernetes.container.image.pullSecrets."
    ),
    setting!(
        "submitPodDeadline",
        Seconds,
        "0",
        "activeDeadlineSeconds of the submit pod: how long it may run at most, even with no launcher left to follow it (the kubelet then fails it with DeadlineExceeded; in cluster mode the driver is not the submit pod's and runs on, in client mode the submit pod is the driver). Counted from the pod's start, so it does not end a pod that never got a node: `spark-k8s-cli kill JOB` does. 0: no deadline."
    ),
    setting!(
        "submitPodTemplateFile",
        Path,
        "",
        "A pod template the submit pod starts from, as Spark's spark.kubernetes.driver.podTemplateFile."
    ),
];

/// The setting called `name` (the camelCase name).
pub fn find(name: &str) -> Option<&'static Setting> {
    SETTINGS.iter().find(|s| s.name == name)
}

/// Where a setting's value came from, for `--verbose`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    Flag(&'static str),
    Property,
    Env(String),
    ConfigFile(String),
    /// A fleet member's `overrides` in the launcher config (the member's name).
    Cluster(String),
    /// `queueOverrides` in the launcher config (the queue's name).
    Queue(String),
}

/// A value as given, before typing: text, a map, or a list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Raw {
    Text(String),
    Map(BTreeMap<String, String>),
    List(Vec<String>),
}

/// The closest known name to `wrong`, for "did you mean" hints.
pub fn suggest<'a>(wrong: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let lower = wrong.to_ascii_lowercase();
    known
        .into_iter()
        .map(|k| (edit_distance(&lower, &k.to_ascii_lowercase()), k))
        .filter(|(d, k)| *d <= 3.max(k.len() / 4))
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for i in 1..=a.len() {
        let mut cur = vec![i; b.len() + 1];
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            cur[j] = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn names_keys_and_envs_are_unique_and_well_formed() {
        let mut names = HashSet::new();
        let mut envs = HashSet::new();
        for s in SETTINGS {
            assert!(
                names.insert(s.name.to_ascii_lowercase()),
                "{} twice",
                s.name
            );
            assert!(envs.insert(s.env()), "{} env twice", s.name);
            assert!(s.name.chars().next().unwrap().is_ascii_lowercase());
            assert!(s.name.chars().all(|c| c.is_ascii_alphanumeric()));
            assert!(s.doc.ends_with('.'), "{} doc", s.name);
            // The launcher's own env knobs must not be shadowed by a setting.
            assert_ne!(s.env(), "SPARK_K8S_CLI_CONFIG");
            assert_ne!(s.env(), "SPARK_K8S_CLI_LOG");
        }
    }

    /// Every documented default passes the same check as a value the user writes, and a
    /// default that looks like a number has a kind that reads numbers.
    #[test]
    fn defaults_parse_as_their_kind() {
        for s in SETTINGS.iter().filter(|s| !s.default.is_empty()) {
            let value = crate::resolve::LauncherValue {
                raw: Raw::Text(s.default.to_string()),
                source: Source::ConfigFile("the registry".into()),
            };
            if let Err(e) = crate::resolve::check_value(s, &value) {
                panic!("default of {} is not a {}: {e}", s.name, s.kind.describe());
            }
            if s.default.parse::<f64>().is_ok() {
                assert!(
                    matches!(
                        s.kind,
                        Kind::Seconds
                            | Kind::PositiveSeconds
                            | Kind::Integer
                            | Kind::Count
                            | Kind::Cpu
                            | Kind::Memory
                    ),
                    "{}'s default {} looks like a number, but its kind is {}",
                    s.name,
                    s.default,
                    s.kind.describe()
                );
            }
        }
        // And the typed groups build from the defaults alone.
        crate::resolve::typed::Typed::build(&BTreeMap::new()).expect("defaults build");
    }

    #[test]
    fn choices_read_as_a_sentence() {
        assert_eq!(Kind::choices(&["alert", "kill"]), "must be alert or kill");
        assert_eq!(
            Kind::choices(&["weighted", "priority", "headroom"]),
            "must be weighted, priority or headroom"
        );
    }

    #[test]
    fn spellings() {
        let s = find("submitImage").unwrap();
        assert_eq!(s.key(), "spark.k8scli.submitImage");
        assert_eq!(s.env(), "SPARK_K8S_CLI_SUBMIT_IMAGE");
        assert_eq!(find("jobId").unwrap().env(), "SPARK_K8S_CLI_JOB_ID");
    }

    #[test]
    fn suggestions() {
        let names = SETTINGS.iter().map(|s| s.name);
        assert_eq!(suggest("submitImg", names.clone()), Some("submitImage"));
        assert_eq!(suggest("jobid", names.clone()), Some("jobId"));
        assert_eq!(suggest("dryrun", names.clone()), Some("dryRun"));
        assert_eq!(suggest("completelyDifferent", names), None);
    }
}
