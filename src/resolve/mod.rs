//! resolve: [`SubmitArgs`] + files + environment → [`Settings`]; pure given the inputs the edge passes in.
//!
//! Follows `SparkSubmitArguments`: `--conf` beats `--extra-properties-file` beats
//! `--properties-file` beats spark-defaults.conf; non-`spark.` keys are dropped with a warning;
//! every dedicated flag is resolved flag → property → environment → default and written back.
//! Then the launcher's own settings are read from the same properties (`spark.k8scli.*`), the
//! environment and the YAML launcher config, and everything Spark would reject later is
//! rejected now, before anything talks to a cluster.

pub mod fleet;
pub mod localfiles;
pub mod prices;
pub mod properties;
pub mod redact;
pub mod registry;
pub mod sinks;
pub mod typed;
pub mod ui;
pub mod units;
pub mod version;

use std::collections::BTreeMap;

use crate::parse::{Action, SparkCommand, SubmitArgs};
use registry::{Kind, Raw, SETTINGS, Setting, Source};

/// Reads files for `resolve`; the real one reads the disk, tests use a map.
pub trait Files {
    /// The file's text, or a message saying why it cannot be read.
    fn read(&self, path: &str) -> Result<String, String>;
    /// Whether `path` names a regular file.
    fn is_file(&self, path: &str) -> bool;
    /// The file's bytes (a jar, to read its manifest).
    fn read_bytes(&self, path: &str) -> Result<Vec<u8>, String> {
        self.read(path).map(String::into_bytes)
    }
    /// The entries of a directory (`.` is the current one), to expand local globs.
    fn list_dir(&self, dir: &str) -> Result<Vec<localfiles::DirEntry>, String> {
        Err(format!("cannot list {dir}"))
    }
}

/// No files at all: what a resolve sees that must not read the machine's (the submit pod's
/// spark-submit, whose files are in its image; tests).
pub struct NoFiles;

impl Files for NoFiles {
    fn read(&self, path: &str) -> Result<String, String> {
        Err(format!("{path} is not readable here"))
    }
    fn is_file(&self, _: &str) -> bool {
        false
    }
}

/// The environment, as a map (the edge passes `std::env::vars()`).
pub type Env = BTreeMap<String, String>;

/// A bad input, found before anything was contacted. Printed as `Error: <message>`, exit 1.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResolveError {
    pub message: String,
    /// What to do about it, when that is not obvious from the message.
    pub hint: Option<String>,
}

impl std::fmt::Display for ResolveError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)?;
        if let Some(h) = &self.hint {
            write!(f, "\n{h}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ResolveError {}

pub(crate) fn err(message: impl Into<String>) -> ResolveError {
    ResolveError {
        message: message.into(),
        hint: None,
    }
}

pub(crate) fn err_hint(message: impl Into<String>, hint: impl Into<String>) -> ResolveError {
    ResolveError {
        message: message.into(),
        hint: Some(hint.into()),
    }
}

/// `client` or `cluster`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DeployMode {
    Client,
    Cluster,
}

impl DeployMode {
    pub fn as_str(self) -> &'static str {
        match self {
            DeployMode::Client => "client",
            DeployMode::Cluster => "cluster",
        }
    }
}

/// What kind of application the primary resource is (Spark's `MainAppResource`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AppKind {
    Java,
    Python,
    R,
}

impl AppKind {
    /// Non-JVM apps get the 0.4 memory overhead factor.
    pub fn is_jvm(self) -> bool {
        self == AppKind::Java
    }
}

/// One line of `--verbose` output about where properties came from, in order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Provenance {
    UsingPropertiesFile(String),
    AddingDefault(String, String),
}

/// A launcher setting's final value and its source.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LauncherValue {
    pub raw: Raw,
    pub source: Source,
}

/// Everything the later stages need, resolved and checked. Its `Debug` hides secrets as
/// `spark.redaction.regex` asks (properties, launcher values, alert sinks, app arguments).
#[derive(Clone)]
pub struct Settings {
    pub command: SparkCommand,
    pub action: Action,
    /// `k8s://https://host:port` as Spark normalises it; `None` means the kubeconfig decides.
    pub master: Option<String>,
    pub deploy_mode: DeployMode,
    pub main_class: Option<String>,
    pub app_name: String,
    /// `None` only for kill/status.
    pub primary_resource: Option<String>,
    pub app_args: Vec<String>,
    pub app_kind: AppKind,
    pub proxy_user: Option<String>,
    pub verbose: bool,
    /// The effective Spark properties, dedicated flags written back; no `spark.k8scli.*` keys.
    pub spark_conf: BTreeMap<String, String>,
    /// The launcher settings that were set (defaults are looked up in the registry).
    pub launcher: BTreeMap<&'static str, LauncherValue>,
    /// Where properties came from, for `--verbose`.
    pub provenance: Vec<Provenance>,
    /// The properties files that were loaded, lowest precedence first.
    pub properties_files: Vec<String>,
    /// Warnings Spark would print (ignored keys, ignored options).
    pub warnings: Vec<String>,
    pub redaction: redact::Redactor,
    /// The arguments as parsed, for the `--verbose` dump.
    pub args: SubmitArgs,
    /// The launcher settings as the stages read them.
    typed: typed::Typed,
}

impl Settings {
    /// The job's identity, connection and switches.
    pub fn job(&self) -> &typed::JobSettings {
        &self.typed.job
    }

    /// The job's queue.
    pub fn queue(&self) -> &typed::QueueSettings {
        &self.typed.queue
    }

    /// The waits of following the job.
    pub fn timeouts(&self) -> &typed::Timeouts {
        &self.typed.timeouts
    }

    /// The submit pod's settings.
    /// The job's Spark release: `sparkVersion`, else the tag of the driver's image.
    pub fn spark_version(&self) -> Option<version::SparkVersion> {
        self.job().spark_version.clone().or_else(|| {
            self.conf("spark.kubernetes.driver.container.image")
                .or_else(|| self.conf("spark.kubernetes.container.image"))
                .and_then(version::from_image)
        })
    }

    pub fn submit_pod(&self) -> &typed::SubmitPodSettings {
        &self.typed.submit_pod
    }

    /// Where the job's events go.
    pub fn alerts(&self) -> &typed::AlertSettings {
        &self.typed.alerts
    }

    /// The fleet and the job's placement on it.
    pub fn fleet(&self) -> &typed::FleetSettings {
        &self.typed.fleet
    }

    /// An interactive session's settings (re-attach, keeping the pod, the idle timeout); its
    /// queue wait is already [`Settings::queue`]'s timeout.
    pub fn session(&self) -> &typed::SessionSettings {
        &self.typed.session
    }

    /// What the launcher prints: quiet, log level and format, the final output.
    pub fn report(&self) -> &typed::ReportSettings {
        &self.typed.report
    }

    /// Whether this is an interactive session (`spark-shell`, `pyspark`, `spark-sql`): a pod
    /// that runs the shell, attached to the launcher's terminal.
    pub fn is_session(&self) -> bool {
        self.command != SparkCommand::Submit
    }

    /// A launcher setting's canonical text (set, else its documented default), for the tests
    /// of what `resolve` keeps; the stages read the typed groups.
    #[cfg(test)]
    fn text(&self, name: &str) -> Option<String> {
        typed::Values(&self.launcher).text(name)
    }

    #[cfg(test)]
    fn flag(&self, name: &str) -> bool {
        self.text(name).as_deref() == Some("true")
    }

    #[cfg(test)]
    fn map(&self, name: &str) -> BTreeMap<String, String> {
        match self.launcher.get(name).map(|v| &v.raw) {
            Some(Raw::Map(m)) => m.clone(),
            _ => BTreeMap::new(),
        }
    }

    #[cfg(test)]
    fn list(&self, name: &str) -> Option<Vec<String>> {
        match self.launcher.get(name).map(|v| &v.raw) {
            Some(Raw::List(l)) => Some(l.clone()),
            Some(Raw::Text(t)) => Some(split_list(t)),
            _ => None,
        }
    }

    /// A Spark property.
    pub fn conf(&self, key: &str) -> Option<&str> {
        self.spark_conf.get(key).map(String::as_str)
    }

    /// A Spark boolean property, as Spark reads it (`true` in any case).
    pub fn conf_bool(&self, key: &str) -> bool {
        self.conf(key)
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"))
    }

    /// Whether dynamic allocation is on.
    pub fn dynamic_allocation(&self) -> bool {
        self.conf_bool("spark.dynamicAllocation.enabled")
    }
}

impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Destructured in full, so a new field cannot be left out (or shown unredacted) unseen.
        let Settings {
            command,
            action,
            master,
            deploy_mode,
            main_class,
            app_name,
            primary_resource,
            app_args,
            app_kind,
            proxy_user,
            verbose,
            spark_conf,
            launcher,
            provenance,
            properties_files,
            warnings,
            redaction: r,
            args,
            typed,
        } = self;
        let conf: BTreeMap<&str, &str> = spark_conf
            .iter()
            .map(|(k, v)| (k.as_str(), r.show(k, v)))
            .collect();
        let launcher: BTreeMap<&str, String> = launcher
            .iter()
            .map(|(name, v)| (*name, redacted_launcher_value(r, name, &v.raw)))
            .collect();
        let provenance: Vec<Provenance> = provenance
            .iter()
            .map(|p| match p {
                Provenance::AddingDefault(k, v) => {
                    Provenance::AddingDefault(k.clone(), r.show(k, v).to_string())
                }
                other => other.clone(),
            })
            .collect();
        f.debug_struct("Settings")
            .field("command", command)
            .field("action", action)
            .field(
                "master",
                &master.as_deref().map(|m| r.show("spark.master", m)),
            )
            .field("deploy_mode", deploy_mode)
            .field("main_class", main_class)
            .field("app_name", app_name)
            .field("primary_resource", primary_resource)
            .field("app_args", &redact::hide_words(r, app_args))
            .field("app_kind", app_kind)
            .field("proxy_user", proxy_user)
            .field("verbose", verbose)
            .field("spark_conf", &conf)
            .field("launcher", &launcher)
            .field("provenance", &provenance)
            .field("properties_files", properties_files)
            .field("warnings", warnings)
            .field("redaction", r)
            .field("args", args)
            .field("typed", typed)
            .finish()
    }
}

/// A launcher value as `--verbose` may show it: alert sinks without their secrets, and any
/// text, list item or map value the redaction regex matches (by key or value) replaced.
pub fn redacted_launcher_value(r: &redact::Redactor, name: &str, raw: &Raw) -> String {
    let key = format!("{}{name}", registry::PREFIX);
    match raw {
        Raw::Text(t) if name == "alertSinks" => sinks::redacted(t),
        Raw::Text(t) => r.show(&key, t).to_string(),
        Raw::List(l) => l
            .iter()
            .map(|v| r.show(&key, v))
            .collect::<Vec<_>>()
            .join(","),
        Raw::Map(m) => m
            .iter()
            .map(|(k, v)| format!("{k}={}", r.show(&format!("{key}.{k}"), v)))
            .collect::<Vec<_>>()
            .join(","),
    }
}

/// The launcher config file and its parsed top-level fields.
#[derive(Clone, Debug, Default)]
pub struct LauncherConfig {
    pub path: Option<String>,
    pub fields: BTreeMap<String, Raw>,
}

/// Resolves the parsed arguments against files and the environment.
pub fn resolve(
    command: SparkCommand,
    args: &SubmitArgs,
    env: &Env,
    files: &dyn Files,
) -> Result<Settings, ResolveError> {
    let mut warnings = Vec::new();
    let mut provenance = Vec::new();

    if let Some((a, b)) = &args.conflicting_actions {
        return Err(err(format!("Action cannot be both {a} and {b}.")));
    }

    // 1. Properties: files (lowest first), then --conf (later wins).
    let mut layers: Vec<String> = Vec::new();
    if (args.properties_file.is_none() || args.load_spark_defaults)
        && let Some(default) = default_properties_file(env)
        && files.is_file(&default)
    {
        layers.push(default);
    }
    if let Some(p) = &args.properties_file {
        layers.push(p.clone());
    }
    layers.extend(args.extra_properties_files.iter().cloned());

    let mut props: BTreeMap<String, String> = BTreeMap::new();
    for path in &layers {
        let text = files.read(path).map_err(|e| {
            err_hint(
                format!("Properties file {path} cannot be read: {e}"),
                "Check the path given to --properties-file, or SPARK_CONF_DIR / SPARK_HOME.",
            )
        })?;
        provenance.push(Provenance::UsingPropertiesFile(path.clone()));
        for (k, v) in properties::parse(&text) {
            provenance.push(Provenance::AddingDefault(k.clone(), v.clone()));
            props.insert(k, v);
        }
    }
    for (k, v) in &args.conf {
        props.insert(k.clone(), v.clone());
    }
    props.retain(|k, _| {
        let keep = k.starts_with("spark.");
        if !keep {
            warnings.push(format!("Ignoring non-Spark config property: {k}"));
        }
        keep
    });

    let redaction = redact::Redactor::new(props.get("spark.redaction.regex").map(String::as_str))
        .map_err(|e| err(format!("Invalid spark.redaction.regex: {e}")))?;

    // 2. Launcher settings out of the properties (they are ours, not Spark's).
    let launcher_props: BTreeMap<String, String> = props
        .iter()
        .filter(|(k, _)| k.starts_with(registry::PREFIX))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    props.retain(|k, _| !k.starts_with(registry::PREFIX));
    let config = load_launcher_config(args, env, files)?;
    let mut launcher = launcher_settings(args, &launcher_props, env, &config)?;
    apply_queue_overrides(&mut launcher)?;

    // 3. Dedicated fields: flag → property → env → default, written back.
    let pick = |flag: &Option<String>, key: &str, env_name: Option<&str>| -> Option<String> {
        flag.clone()
            .or_else(|| props.get(key).cloned())
            .or_else(|| env_name.and_then(|e| env.get(e).cloned()))
    };
    let raw_master = pick(&args.master, "spark.master", Some("MASTER"));
    let remote = args
        .remote
        .clone()
        .or_else(|| props.get("spark.remote").cloned())
        .or_else(|| env.get("SPARK_REMOTE").cloned());
    let raw_deploy = pick(
        &args.deploy_mode,
        "spark.submit.deployMode",
        Some("DEPLOY_MODE"),
    );
    if remote.is_some() {
        if raw_master.is_some() || raw_deploy.is_some() {
            return Err(err(
                "Remote cannot be specified with master and/or deploy mode.",
            ));
        }
        return Err(err_hint(
            "Spark Connect (--remote / spark.remote / SPARK_REMOTE) is not supported by spark-k8s-cli.",
            "Submit the application with --master k8s://https://<api-server> instead.",
        ));
    }

    let master = match &raw_master {
        None => None,
        Some(m) => Some(normalise_master(m, &mut warnings)?),
    };
    let deploy_mode = match raw_deploy.as_deref() {
        None | Some("client") => DeployMode::Client,
        Some("cluster") => DeployMode::Cluster,
        Some(_) => {
            return Err(err(
                "--deploy-mode must be either \"client\" or \"cluster\"",
            ));
        }
    };

    let is_special = matches!(args.action, Action::Kill(_) | Action::Status(_));
    let primary = args.primary_resource.clone();
    let app_kind = match primary.as_deref() {
        Some(r) if r == "pyspark-shell" || r.ends_with(".py") => AppKind::Python,
        Some(r) if r == "sparkr-shell" || r.ends_with(".R") || r.ends_with(".r") => AppKind::R,
        _ => AppKind::Java,
    };

    // Shells and the SQL CLI run the driver in the session pod: client mode only.
    if deploy_mode == DeployMode::Cluster {
        let class = args.main_class.as_deref();
        let what = match (primary.as_deref(), class) {
            (Some("spark-shell" | "pyspark-shell" | "sparkr-shell"), _) => Some("Spark shells"),
            (_, Some(crate::parse::SQL_CLI_CLASS)) => Some("Spark SQL shell"),
            (_, Some(crate::parse::THRIFT_SERVER_CLASS)) => Some("Spark Thrift server"),
            _ => None,
        };
        if let Some(what) = what {
            return Err(err(format!(
                "Cluster deploy mode is not applicable to {what}."
            )));
        }
    }

    let executor_memory = pick(
        &args.executor_memory,
        "spark.executor.memory",
        Some("SPARK_EXECUTOR_MEMORY"),
    );
    let executor_cores = pick(
        &args.executor_cores,
        "spark.executor.cores",
        Some("SPARK_EXECUTOR_CORES"),
    );
    let driver_memory = pick(&None, "spark.driver.memory", Some("SPARK_DRIVER_MEMORY"));
    let driver_cores = pick(&args.driver_cores, "spark.driver.cores", None);
    let total_cores = pick(&args.total_executor_cores, "spark.cores.max", None);
    let num_executors = pick(&args.num_executors, "spark.executor.instances", None);
    let mut conf = props;
    let mut set = |key: &str, value: Option<String>| {
        if let Some(v) = value {
            conf.insert(key.to_string(), v);
        }
    };
    set("spark.executor.memory", executor_memory.clone());
    set("spark.executor.cores", executor_cores.clone());
    set("spark.driver.memory", driver_memory.clone());
    set("spark.driver.cores", driver_cores.clone());
    set("spark.cores.max", total_cores.clone());
    set("spark.executor.instances", num_executors.clone());
    set("spark.jars", args.jars.clone());
    set("spark.files", args.files.clone());
    set("spark.archives", args.archives.clone());
    set("spark.submit.pyFiles", args.py_files.clone());
    set("spark.jars.packages", args.packages.clone());
    set("spark.jars.excludes", args.exclude_packages.clone());
    set("spark.jars.repositories", args.repositories.clone());
    set("spark.kerberos.principal", args.principal.clone());
    set("spark.kerberos.keytab", args.keytab.clone());
    set(
        "spark.driver.defaultExtraClassPath",
        args.driver_default_class_path.clone(),
    );
    if let Some(m) = &master {
        set("spark.master", Some(m.clone()));
    }
    set("spark.submit.deployMode", Some(deploy_mode.as_str().into()));
    if args.supervise {
        warnings
            .push("--supervise applies to Spark standalone only; ignored on Kubernetes.".into());
    }

    // Local globs, expanded as SparkSubmit's resolveGlobPaths does (a pattern matching nothing
    // is dropped, as Spark drops it; we say so).
    if !is_special {
        let list = localfiles::lister(files);
        for key in [
            "spark.jars",
            "spark.files",
            "spark.submit.pyFiles",
            "spark.archives",
        ] {
            if let Some(v) = conf.get(key).cloned() {
                let (expanded, dropped) = localfiles::expand_list(&v, &list)?;
                for d in dropped {
                    warnings.push(format!(
                        "{d} ({key}) matches no file; it is left out, as spark-submit leaves it out."
                    ));
                }
                if expanded.is_empty() {
                    conf.remove(key);
                } else {
                    conf.insert(key.to_string(), expanded);
                }
            }
        }
    }
    let app_name = args
        .name
        .clone()
        .or_else(|| conf.get("spark.app.name").cloned())
        .or_else(|| args.main_class.clone())
        .or_else(|| {
            primary
                .as_deref()
                .map(|r| r.rsplit('/').next().unwrap_or(r).to_string())
        })
        .unwrap_or_default();
    if app_name.trim().is_empty() && !is_special {
        // SparkContext would refuse it once the driver runs; refuse it before anything exists.
        return Err(err_hint(
            "An application name must be set in your configuration: the name is empty.",
            "Pass a non-empty --name (or spark.app.name).",
        ));
    }
    if !app_name.is_empty() {
        conf.insert("spark.app.name".into(), app_name.clone());
    }
    // Without --class, a local jar's manifest names the class (SparkSubmit reads it after the
    // app name is settled, so the name still comes from the jar's file name).
    let main_class = match &args.main_class {
        Some(c) => Some(c.clone()),
        None if !is_special
            && app_kind == AppKind::Java
            && !args.mixed_arguments
            && primary.as_deref().is_some_and(|r| {
                ![
                    "spark-internal",
                    "spark-shell",
                    "pyspark-shell",
                    "sparkr-shell",
                ]
                .contains(&r)
            }) =>
        {
            localfiles::main_class_of(primary.as_deref().unwrap_or_default(), files)?
        }
        None => None,
    };

    // 4. Semantic checks, as SparkSubmitArguments.validateSubmitArguments does, and a few more
    //    that Spark only finds once the driver runs.
    if !is_special {
        positive_size(driver_memory.as_deref(), "Driver memory")?;
        positive_size(executor_memory.as_deref(), "Executor memory")?;
        positive_int(driver_cores.as_deref(), "Driver cores")?;
        positive_int(executor_cores.as_deref(), "Executor cores")?;
        positive_int(total_cores.as_deref(), "Total executor cores")?;
        let dynamic = conf
            .get("spark.dynamicAllocation.enabled")
            .is_some_and(|v| v.eq_ignore_ascii_case("true"));
        if !dynamic {
            positive_int(num_executors.as_deref(), "Number of executors")?;
        }
        // KerberosConfDriverFeatureStep's requireBothOrNeitherDefined, checked before anything
        // is created rather than in the submit pod.
        if conf.contains_key("spark.kerberos.keytab")
            && !conf.contains_key("spark.kerberos.principal")
        {
            return Err(err_hint(
                "If a Kerberos keytab is specified you must also specify a Kerberos principal",
                "Pass --principal <name@REALM> with --keytab.",
            ));
        }
        if args.proxy_user.is_some() && args.principal.is_some() {
            return Err(err(
                "Only one of --proxy-user or --principal can be provided.",
            ));
        }
        validate_spark_conf(&conf)?;
    }
    if let Action::Kill(id) | Action::Status(id) = &args.action
        && id.is_empty()
    {
        return Err(err(
            "Please specify a submission to kill or query (namespace:pod-name).",
        ));
    }
    check_namespace_conflict(&conf, &launcher)?;
    let typed = typed_for(command, &launcher, &conf)?;

    Ok(Settings {
        command,
        action: args.action.clone(),
        master,
        deploy_mode,
        main_class,
        app_name,
        primary_resource: primary,
        app_args: args.app_args.clone(),
        app_kind,
        proxy_user: args.proxy_user.clone(),
        verbose: args.verbose,
        spark_conf: conf,
        launcher,
        provenance,
        properties_files: layers,
        warnings,
        redaction,
        args: args.clone(),
        typed,
    })
}

/// The typed groups of a job of `command`: a session's read as [`typed::Typed::for_session`].
fn typed_for(
    command: SparkCommand,
    launcher: &BTreeMap<&'static str, LauncherValue>,
    conf: &BTreeMap<String, String>,
) -> Result<typed::Typed, ResolveError> {
    let mut groups = typed::Typed::build(launcher)?;
    groups.report.ui_port = ui_port(conf)?;
    spark_flag(conf, "spark.ui.killEnabled")?;
    if command == SparkCommand::Shell {
        groups.session.cancel_jobs_port = ui_kill_port(conf)?;
    }
    Ok(if command != SparkCommand::Submit {
        groups.for_session()
    } else {
        groups
    })
}

/// The port of the driver's web UI: `spark.ui.port` (4040), unless `spark.ui.enabled` is false
/// or the port is 0 (a random one). Values read as Spark reads them (`ConfigBuilder.booleanConf`/
/// `intConf`: trimmed, `true`/`false` in any case); what Spark would refuse is refused here,
/// before anything exists.
fn ui_port(conf: &BTreeMap<String, String>) -> Result<Option<u16>, ResolveError> {
    if !spark_flag(conf, "spark.ui.enabled")? {
        return Ok(None);
    }
    let port = match conf.get("spark.ui.port") {
        None => 4040,
        Some(v) => v.trim().parse::<u16>().map_err(|_| {
            err_hint(
                format!("spark.ui.port should be a port number (0-65535), but was {v}"),
                "Leave spark.ui.port unset for 4040, or give a port number.",
            )
        })?,
    };
    Ok((port != 0).then_some(port))
}

/// Where a session's running jobs can be killed: the UI's port, unless `spark.ui.killEnabled`
/// is false.
fn ui_kill_port(conf: &BTreeMap<String, String>) -> Result<Option<u16>, ResolveError> {
    let port = ui_port(conf)?;
    Ok(port.filter(|_| spark_flag(conf, "spark.ui.killEnabled").unwrap_or(true)))
}

/// A Spark boolean setting that defaults to true.
fn spark_flag(conf: &BTreeMap<String, String>, key: &str) -> Result<bool, ResolveError> {
    match conf.get(key).map(|v| v.trim().to_ascii_lowercase()) {
        None => Ok(true),
        Some(v) if v == "true" => Ok(true),
        Some(v) if v == "false" => Ok(false),
        Some(v) => Err(err_hint(
            format!("{key} should be boolean, but was {v}"),
            format!("Set {key} to true or false."),
        )),
    }
}

/// `$SPARK_CONF_DIR/spark-defaults.conf`, else `$SPARK_HOME/conf/spark-defaults.conf`; no fallback
/// from a set `SPARK_CONF_DIR` to `SPARK_HOME` (Spark's `Utils.getDefaultPropertiesFile`).
pub fn default_properties_file(env: &Env) -> Option<String> {
    if let Some(dir) = env.get("SPARK_CONF_DIR") {
        return Some(format!("{}/spark-defaults.conf", dir.trim_end_matches('/')));
    }
    env.get("SPARK_HOME")
        .map(|home| format!("{}/conf/spark-defaults.conf", home.trim_end_matches('/')))
}

/// Spark's `checkAndGetK8sMasterUrl`, plus the launcher's rule that only Kubernetes is served.
pub fn normalise_master(raw: &str, warnings: &mut Vec<String>) -> Result<String, ResolveError> {
    let Some(rest) = raw.strip_prefix("k8s://") else {
        return Err(err_hint(
            format!("Master must be a Kubernetes API server (k8s://...), got '{raw}'."),
            "spark-k8s-cli runs Spark on Kubernetes only: use --master k8s://https://<host>:<port>, \
             or leave --master out to use the kubeconfig's current context.",
        ));
    };
    if rest.is_empty() {
        return Err(err("Kubernetes master URL 'k8s://' names no host."));
    }
    // The fleet (`k8s://fleet`) or one of its clusters (`k8s://fleet/<name>`), as configured.
    if matches!(
        fleet::master_target(raw),
        Some(fleet::MasterTarget::Fleet | fleet::MasterTarget::Member(_))
    ) {
        return Ok(raw.trim_end_matches('/').to_string());
    }
    let Some((scheme, after)) = rest.split_once("://") else {
        return Ok(format!("k8s://https://{rest}"));
    };
    match scheme.to_ascii_lowercase().as_str() {
        "https" if !after.is_empty() => Ok(raw.to_string()),
        "http" if !after.is_empty() => {
            warnings.push("Kubernetes master URL uses HTTP instead of HTTPS.".into());
            Ok(raw.to_string())
        }
        _ => Err(err(format!(
            "Invalid Kubernetes master scheme: {scheme} found in URL: {rest}"
        ))),
    }
}

fn positive_size(value: Option<&str>, what: &str) -> Result<(), ResolveError> {
    if let Some(v) = value {
        // Spark checks `byteStringAsBytes(v) > 0`: a bare number counts as bytes here.
        let bytes = units::byte_string_as(v, units::ByteUnit::Byte, units::ByteUnit::Byte);
        if bytes.as_ref().is_err_and(|e| e.contains("too large")) {
            return Err(err_hint(
                format!("{what} '{v}' is too large."),
                "Use a size a node can hold, e.g. 512m or 4g.",
            ));
        }
        if !bytes.is_ok_and(|b| b > 0) {
            return Err(err_hint(
                format!("{what} must be a positive number (got '{v}')."),
                "Use a whole number with a unit, e.g. 512m or 4g.",
            ));
        }
    }
    Ok(())
}

fn positive_int(value: Option<&str>, what: &str) -> Result<(), ResolveError> {
    if let Some(v) = value
        && !v.parse::<i32>().is_ok_and(|n| n > 0)
    {
        return Err(err(format!(
            "{what} must be a positive number (got '{v}')."
        )));
    }
    Ok(())
}

/// Checks the properties that size the pods, so bad values fail here rather than in the driver.
fn validate_spark_conf(conf: &BTreeMap<String, String>) -> Result<(), ResolveError> {
    for key in [
        "spark.driver.memoryOverhead",
        "spark.executor.memoryOverhead",
        "spark.driver.minMemoryOverhead",
        "spark.executor.minMemoryOverhead",
        "spark.executor.pyspark.memory",
    ] {
        if let Some(v) = conf.get(key)
            && units::mib(v).map_or(true, |m| m < 0)
        {
            return Err(err_hint(
                format!("Invalid value '{v}' for {key}."),
                "Use a whole number with a unit, e.g. 512m or 1g.",
            ));
        }
    }
    if let Some(v) = conf.get("spark.memory.offHeap.size")
        && units::byte_string_as(v, units::ByteUnit::Byte, units::ByteUnit::Byte)
            .map_or(true, |m| m < 0)
    {
        return Err(err(format!(
            "Invalid value '{v}' for spark.memory.offHeap.size."
        )));
    }
    for key in [
        "spark.kubernetes.memoryOverheadFactor",
        "spark.driver.memoryOverheadFactor",
        "spark.executor.memoryOverheadFactor",
    ] {
        if let Some(v) = conf.get(key) {
            let ok = v.trim().parse::<f64>().is_ok_and(|f| {
                if key == "spark.kubernetes.memoryOverheadFactor" {
                    (0.0..1.0).contains(&f)
                } else {
                    f > 0.0
                }
            });
            if !ok {
                return Err(err(format!(
                    "Invalid value '{v}' for {key}: must be a number {}.",
                    if key == "spark.kubernetes.memoryOverheadFactor" {
                        "in [0, 1)"
                    } else {
                        "greater than 0"
                    }
                )));
            }
        }
    }
    for key in [
        "spark.kubernetes.driver.request.cores",
        "spark.kubernetes.driver.limit.cores",
        "spark.kubernetes.executor.request.cores",
        "spark.kubernetes.executor.limit.cores",
    ] {
        if let Some(v) = conf.get(key) {
            crate::quantity::millicores(v).map_err(|e| err(format!("{key}: {e}")))?;
        }
    }
    for key in [
        "spark.dynamicAllocation.minExecutors",
        "spark.dynamicAllocation.initialExecutors",
        "spark.dynamicAllocation.maxExecutors",
    ] {
        if let Some(v) = conf.get(key)
            && !v.trim().parse::<i32>().is_ok_and(|n| n >= 0)
        {
            return Err(err(format!(
                "Invalid value '{v}' for {key}: must be a whole number of executors, 0 or more."
            )));
        }
    }
    if let Some(p) = conf.get("spark.kubernetes.container.image.pullPolicy")
        && !matches!(p.as_str(), "Always" | "Never" | "IfNotPresent")
    {
        return Err(err(format!(
            "Invalid value '{p}' for spark.kubernetes.container.image.pullPolicy: must be Always, Never or IfNotPresent."
        )));
    }
    for key in ["spark.driver.host", "spark.driver.bindAddress"] {
        if conf.contains_key(key)
            && conf.get("spark.submit.deployMode").map(String::as_str) == Some("cluster")
        {
            return Err(err(format!(
                "In Kubernetes cluster mode {key} is set by Spark itself and must not be given."
            )));
        }
    }
    Ok(())
}

fn check_namespace_conflict(
    conf: &BTreeMap<String, String>,
    launcher: &BTreeMap<&'static str, LauncherValue>,
) -> Result<(), ResolveError> {
    if let (
        Some(spark_ns),
        Some(LauncherValue {
            raw: Raw::Text(ours),
            source,
        }),
    ) = (
        conf.get("spark.kubernetes.namespace"),
        launcher.get("namespace"),
    ) && spark_ns != ours
    {
        return Err(err_hint(
            format!(
                "Conflicting namespaces: spark.kubernetes.namespace={spark_ns} but the launcher namespace is {ours} (from {}).",
                describe_source(source, "namespace")
            ),
            "The driver runs in the submit pod's namespace: set only one of them, or the same value in both.",
        ));
    }
    Ok(())
}

/// A human name for where a setting came from.
pub fn describe_source(source: &Source, name: &str) -> String {
    match source {
        Source::Flag(f) => (*f).to_string(),
        Source::Property => format!("{}{name}", registry::PREFIX),
        Source::Env(e) => format!("environment {e}"),
        Source::ConfigFile(p) => format!("launcher config {p}"),
        Source::Cluster(c) => format!("cluster {c}'s overrides in the launcher config"),
        Source::Queue(q) => format!("queue {q}'s queueOverrides in the launcher config"),
    }
}

/// The settings `queueOverrides` may set for a queue's jobs.
const QUEUE_OVERRIDABLE: [&str; 6] = [
    "queueTimeout",
    "queueTimeoutAction",
    "startupTimeout",
    "startupTimeoutAction",
    "runTimeout",
    "runTimeoutAction",
];

/// Each queue's settings from `queueOverrides`.
type ByQueue = BTreeMap<String, Vec<(&'static str, Raw)>>;

/// Parses `queueOverrides`: queue → its settings, each checked to be overridable.
fn queue_overrides(text: &str) -> Result<ByQueue, String> {
    let v: BTreeMap<String, BTreeMap<String, serde_json::Value>> =
        serde_json::from_str(text).map_err(|e| format!("must map queue names to settings: {e}"))?;
    let mut out = BTreeMap::new();
    for (q, values) in v {
        let mut list = Vec::new();
        for (k, value) in values {
            let Some(setting) = registry::find(&k).filter(|s| QUEUE_OVERRIDABLE.contains(&s.name))
            else {
                return Err(format!(
                    "queue {q}: '{k}' cannot be set per queue; queueOverrides takes {}",
                    QUEUE_OVERRIDABLE.join(", ")
                ));
            };
            let raw = yaml_raw(setting, &value).map_err(|why| format!("queue {q}: {k}: {why}"))?;
            list.push((setting.name, raw));
        }
        out.insert(q, list);
    }
    Ok(out)
}

/// Applies the job's queue's `queueOverrides`: they replace what the launcher config set (or
/// the defaults); the job's own properties, environment and flags still win.
fn apply_queue_overrides(
    launcher: &mut BTreeMap<&'static str, LauncherValue>,
) -> Result<(), ResolveError> {
    let Some(Raw::Text(text)) = launcher.get("queueOverrides").map(|v| v.raw.clone()) else {
        return Ok(());
    };
    let queue = match launcher.get("queue").map(|v| &v.raw) {
        Some(Raw::Text(q)) => q.clone(),
        _ => "default".to_string(),
    };
    let mut by_queue = queue_overrides(&text).map_err(err)?;
    for (name, raw) in by_queue.remove(&queue).unwrap_or_default() {
        let keep = launcher
            .get(name)
            .is_some_and(|v| !matches!(v.source, Source::ConfigFile(_)));
        if !keep {
            let value = LauncherValue {
                raw,
                source: Source::Queue(queue.clone()),
            };
            let setting = registry::find(name).expect("checked when parsed");
            launcher.insert(name, check_value(setting, &value)?);
        }
    }
    Ok(())
}

/// A fleet member's overrides as checked launcher values.
pub fn member_overrides(
    m: &fleet::Member,
) -> Result<Vec<(&'static str, LauncherValue)>, ResolveError> {
    let mut out = Vec::new();
    for (k, v) in &m.overrides {
        let Some(setting) = registry::find(k) else {
            return Err(unknown_setting(
                &format!("'{k}' in the overrides of cluster {}", m.name),
                k,
            ));
        };
        let raw = yaml_raw(setting, v).map_err(|why| {
            err(format!(
                "Cluster {}: override '{k}' must be a {}: {why}",
                m.name,
                setting.kind.describe()
            ))
        })?;
        let value = LauncherValue {
            raw,
            source: Source::Cluster(m.name.clone()),
        };
        let value = check_value(setting, &value)?;
        out.push((setting.name, value));
    }
    Ok(out)
}

impl Settings {
    /// Where this job connects: the kubeconfig and context settings, `--master`, and
    /// `spark.kubernetes.authenticate.submission.*`, for [`crate::cluster::connect_with`].
    pub fn connect_options(&self) -> crate::cluster::ConnectOptions {
        let auth = [
            "oauthToken",
            "oauthTokenFile",
            "caCertFile",
            "clientCertFile",
            "clientKeyFile",
        ]
        .iter()
        .filter_map(|k| {
            self.conf(&format!("spark.kubernetes.authenticate.submission.{k}"))
                .map(|v| (k.to_string(), v.to_string()))
        })
        .collect();
        crate::cluster::ConnectOptions {
            kubeconfig: self.job().kubeconfig.clone(),
            context: self.job().context.clone(),
            master: self.master.clone(),
            auth,
            in_cluster: false,
        }
    }

    /// The settings for a job placed on fleet member `m`: its overrides replace what the
    /// launcher config set (or the defaults); the environment, properties and flags still win.
    pub fn for_member(&self, m: &fleet::Member) -> Result<Settings, ResolveError> {
        let mut s = self.clone();
        for (name, value) in member_overrides(m)? {
            let keep = s
                .launcher
                .get(name)
                .is_some_and(|v| !matches!(v.source, Source::ConfigFile(_)));
            if !keep {
                s.launcher.insert(name, value);
            }
        }
        s.typed = typed_for(s.command, &s.launcher, &s.spark_conf)?;
        Ok(s)
    }
}

/// Reads the launcher config: `--launcher-config`, `SPARK_K8S_CLI_CONFIG`, or the XDG default.
/// A named file must exist; the default may be absent.
fn load_launcher_config(
    args: &SubmitArgs,
    env: &Env,
    files: &dyn Files,
) -> Result<LauncherConfig, ResolveError> {
    let named = args
        .launcher_config
        .clone()
        .map(|p| (p, "--launcher-config"))
        .or_else(|| {
            env.get("SPARK_K8S_CLI_CONFIG")
                .filter(|p| !p.is_empty())
                .map(|p| (p.clone(), "SPARK_K8S_CLI_CONFIG"))
        });
    let (path, must_exist) = match named {
        Some((p, _)) => (p, true),
        None => {
            let base = env
                .get("XDG_CONFIG_HOME")
                .filter(|p| !p.is_empty())
                .cloned()
                .or_else(|| env.get("HOME").map(|h| format!("{h}/.config")));
            match base {
                Some(b) => (format!("{b}/spark-k8s-cli/config.yaml"), false),
                None => return Ok(LauncherConfig::default()),
            }
        }
    };
    if !must_exist && !files.is_file(&path) {
        return Ok(LauncherConfig::default());
    }
    let text = files.read(&path).map_err(|e| {
        err_hint(
            format!("Launcher config {path} cannot be read: {e}"),
            "Check --launcher-config / SPARK_K8S_CLI_CONFIG.",
        )
    })?;
    parse_launcher_config(&path, &text)
}

/// The launcher config a command outside a submission reads (`clusters`): `$SPARK_K8S_CLI_CONFIG`,
/// else the XDG one; the same rules as a submission without `--launcher-config`.
pub fn launcher_config(env: &Env, files: &dyn Files) -> Result<LauncherConfig, ResolveError> {
    load_launcher_config(&SubmitArgs::default(), env, files)
}

/// The typed groups of a launcher config alone (commands outside a job: `clusters`), each
/// value checked as a job's would be.
pub fn config_groups(config: &LauncherConfig) -> Result<typed::Typed, ResolveError> {
    let mut launcher = BTreeMap::new();
    for (k, raw) in &config.fields {
        let s = registry::find(k).expect("checked when parsed");
        let value = LauncherValue {
            raw: raw.clone(),
            source: Source::ConfigFile(config.path.clone().unwrap_or_default()),
        };
        launcher.insert(s.name, check_value(s, &value)?);
    }
    typed::Typed::build(&launcher)
}

/// The alert settings of the launcher config and the environment alone (`alert test`), each
/// value checked as a job's would be; the environment wins over the config, as for a job.
pub fn config_alerts(
    env: &Env,
    config: &LauncherConfig,
) -> Result<typed::AlertSettings, ResolveError> {
    let mut launcher = BTreeMap::new();
    for name in [
        "alertSinks",
        "alertLinks",
        "alertFlushTimeout",
        "alertRateLimit",
    ] {
        let s = registry::find(name).expect("registry names");
        let value = match (env.get(&s.env()), config.fields.get(name)) {
            (Some(v), _) => LauncherValue {
                raw: if s.kind.is_map() {
                    Raw::Map(
                        parse_env_map(v)
                            .map_err(|m| err(format!("Environment {}: {m}", s.env())))?,
                    )
                } else {
                    Raw::Text(v.clone())
                },
                source: Source::Env(s.env()),
            },
            (None, Some(raw)) => LauncherValue {
                raw: raw.clone(),
                source: Source::ConfigFile(config.path.clone().unwrap_or_default()),
            },
            (None, None) => continue,
        };
        launcher.insert(s.name, check_value(s, &value)?);
    }
    Ok(typed::Typed::build(&launcher)?.alerts)
}

/// Parses launcher config YAML: a mapping of setting names to values.
pub fn parse_launcher_config(path: &str, text: &str) -> Result<LauncherConfig, ResolveError> {
    let value: serde_json::Value = if text.trim().is_empty() {
        serde_json::Value::Null
    } else {
        serde_saphyr::from_str(text)
            .map_err(|e| err(format!("Launcher config {path} is not valid YAML: {e}")))?
    };
    let mut fields = BTreeMap::new();
    let map = match value {
        serde_json::Value::Null => {
            return Ok(LauncherConfig {
                path: Some(path.into()),
                fields,
            });
        }
        serde_json::Value::Object(m) => m,
        _ => {
            return Err(err(format!(
                "Launcher config {path} must be a YAML mapping of setting names to values."
            )));
        }
    };
    for (k, v) in map {
        let Some(setting) = registry::find(&k) else {
            return Err(unknown_setting(
                &format!("field '{k}' in launcher config {path}"),
                &k,
            ));
        };
        let raw = yaml_raw(setting, &v).map_err(|m| {
            err(format!(
                "Launcher config {path}: field '{k}' must be a {}: {m}",
                setting.kind.describe()
            ))
        })?;
        fields.insert(k, raw);
    }
    Ok(LauncherConfig {
        path: Some(path.into()),
        fields,
    })
}

fn yaml_raw(setting: &Setting, v: &serde_json::Value) -> Result<Raw, String> {
    use serde_json::Value;
    let scalar = |v: &Value| -> Option<String> {
        match v {
            Value::String(s) => Some(s.clone()),
            Value::Bool(b) => Some(b.to_string()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        }
    };
    match (setting.kind, v) {
        (k, Value::Object(m)) if k.is_map() => m
            .iter()
            .map(|(k, v)| {
                scalar(v)
                    .map(|s| (k.clone(), s))
                    .ok_or_else(|| format!("value of '{k}' is not a scalar"))
            })
            .collect::<Result<_, _>>()
            .map(Raw::Map),
        (Kind::List(_), Value::Array(a)) => a
            .iter()
            .map(|v| scalar(v).ok_or_else(|| "items must be scalars".to_string()))
            .collect::<Result<_, _>>()
            .map(Raw::List),
        (Kind::Objects, Value::Array(_) | Value::Object(_)) => Ok(Raw::Text(v.to_string())),
        (k, _) if k.is_map() || k == Kind::Objects => Err(format!("got {v}")),
        (_, v) => scalar(v).map(Raw::Text).ok_or_else(|| format!("got {v}")),
    }
}

fn unknown_setting(what: &str, name: &str) -> ResolveError {
    let hint = match registry::suggest(name, SETTINGS.iter().map(|s| s.name)) {
        Some(s) => format!("Did you mean '{s}'? Known settings: `spark-k8s-cli settings`."),
        None => "Known settings: `spark-k8s-cli settings`.".to_string(),
    };
    err_hint(format!("Unknown launcher setting {what}."), hint)
}

/// Gathers launcher settings from flags, properties, environment and config, and checks them.
fn launcher_settings(
    args: &SubmitArgs,
    props: &BTreeMap<String, String>,
    env: &Env,
    config: &LauncherConfig,
) -> Result<BTreeMap<&'static str, LauncherValue>, ResolveError> {
    let mut out: BTreeMap<&'static str, LauncherValue> = BTreeMap::new();
    // Config file (lowest).
    for (k, raw) in &config.fields {
        let s = registry::find(k).expect("checked when parsed");
        out.insert(
            s.name,
            LauncherValue {
                raw: raw.clone(),
                source: Source::ConfigFile(config.path.clone().unwrap_or_default()),
            },
        );
    }
    // Environment.
    for s in SETTINGS {
        if let Some(v) = env.get(&s.env()) {
            let raw = match s.kind {
                k if k.is_map() => Raw::Map(
                    parse_env_map(v).map_err(|m| err(format!("Environment {}: {m}", s.env())))?,
                ),
                Kind::List(_) => Raw::List(split_list(v)),
                _ => Raw::Text(v.clone()),
            };
            out.insert(
                s.name,
                LauncherValue {
                    raw,
                    source: Source::Env(s.env()),
                },
            );
        }
    }
    // Unknown SPARK_K8S_CLI_* variables are a typo worth reporting.
    for name in env.keys().filter(|k| k.starts_with(registry::ENV_PREFIX)) {
        let known = SETTINGS.iter().any(|s| &s.env() == name)
            || matches!(name.as_str(), "SPARK_K8S_CLI_CONFIG" | "SPARK_K8S_CLI_LOG");
        if !known {
            let envs: Vec<String> = SETTINGS.iter().map(|s| s.env()).collect();
            let hint = match registry::suggest(name, envs.iter().map(String::as_str)) {
                Some(s) => format!("Did you mean {s}? Known settings: `spark-k8s-cli settings`."),
                None => "Known settings: `spark-k8s-cli settings`.".into(),
            };
            return Err(err_hint(
                format!("Unknown launcher setting in environment variable {name}."),
                hint,
            ));
        }
    }
    // Properties (spark.k8scli.*), from --conf and properties files.
    let mut maps: BTreeMap<&'static str, BTreeMap<String, String>> = BTreeMap::new();
    for (key, v) in props {
        let rest = &key[registry::PREFIX.len()..];
        // `spark.k8scli.queue.timeout` also spells the setting `queueTimeout`.
        let camel = camel_case(rest);
        let (name, sub) = match rest.split_once('.') {
            Some(_) if registry::find(&camel).is_some_and(|s| !s.kind.is_map()) => {
                (camel.as_str(), None)
            }
            Some((n, s)) => dotted_map(rest).unwrap_or((n, Some(s))),
            None => (rest, None),
        };
        let Some(s) = registry::find(name) else {
            return Err(unknown_setting(&format!("property {key}"), name));
        };
        match (s.kind, sub) {
            (k, Some(sub)) if k.is_map() && !sub.is_empty() => {
                maps.entry(s.name)
                    .or_default()
                    .insert(sub.to_string(), v.clone());
            }
            (k, _) if k.is_map() => {
                return Err(err_hint(
                    format!("Property {key} needs a key: {key}.<key>=<value>."),
                    format!("For example --conf {key}.disktype=ssd"),
                ));
            }
            (_, Some(_)) => return Err(unknown_setting(&format!("property {key}"), rest)),
            (Kind::List(_), None) => {
                out.insert(
                    s.name,
                    LauncherValue {
                        raw: Raw::List(split_list(v)),
                        source: Source::Property,
                    },
                );
            }
            (_, None) => {
                out.insert(
                    s.name,
                    LauncherValue {
                        raw: Raw::Text(v.clone()),
                        source: Source::Property,
                    },
                );
            }
        }
    }
    for (name, m) in maps {
        out.insert(
            name,
            LauncherValue {
                raw: Raw::Map(m),
                source: Source::Property,
            },
        );
    }
    // Dedicated flags (highest).
    let switch = |on: bool| on.then(|| "true".to_string());
    let flags = [
        ("dryRun", "--dry-run", switch(args.dry_run)),
        ("queue", "--queue", args.queue.clone()),
        ("quiet", "--quiet", switch(args.quiet)),
        ("logLevel", "--log-level", args.log_level.clone()),
        ("logFormat", "--log-format", args.log_format.clone()),
        ("output", "--output", args.output.clone()),
    ];
    for (name, flag, value) in flags {
        if let Some(v) = value {
            out.insert(
                name,
                LauncherValue {
                    raw: Raw::Text(v),
                    source: Source::Flag(flag),
                },
            );
        }
    }
    for (name, value) in out.iter_mut() {
        let s = registry::find(name).expect("registry names only");
        *value = check_value(s, value)?;
    }
    Ok(out)
}

/// Checks a value against its setting's kind; returns it in canonical form (durations as
/// plain seconds), so that no stage parses a unit again.
fn check_value(s: &Setting, value: &LauncherValue) -> Result<LauncherValue, ResolveError> {
    let from = describe_source(&value.source, s.name);
    let text = match &value.raw {
        Raw::Text(t) => t.as_str(),
        Raw::Map(m) => {
            for (k, v) in m {
                let problem = match s.kind {
                    Kind::Map(inner) => item_problem(*inner, v),
                    _ => None,
                };
                if let Some(p) = problem {
                    return Err(err(format!(
                        "Invalid value '{v}' for '{k}' of launcher setting {} (from {from}): {p}.",
                        s.name
                    )));
                }
            }
            return Ok(value.clone());
        }
        Raw::List(items) => {
            if let Kind::List(inner) = s.kind
                && let Some((item, p)) = items
                    .iter()
                    .find_map(|i| item_problem(*inner, i).map(|p| (i, p)))
            {
                return Err(err(format!(
                    "Invalid item '{item}' of launcher setting {} (from {from}): {p}.",
                    s.name
                )));
            }
            return Ok(value.clone());
        }
    };
    let mut canonical = None;
    let problem = match s.kind {
        Kind::Seconds | Kind::PositiveSeconds => match units::seconds(text) {
            Err(e) => Some(e),
            Ok(v) if v == 0.0 && s.kind == Kind::PositiveSeconds => {
                Some("must be above 0".into())
            }
            Ok(v) => {
                canonical = Some(units::format_seconds(v));
                None
            }
        },
        Kind::Integer => text
            .trim()
            .parse::<i32>()
            .err()
            .map(|_| "must be a whole number (higher goes first)".to_string()),
        Kind::Count => count(text, 0).err(),
        Kind::Bool if !matches!(text, "true" | "false") => Some("must be true or false".to_string()),
        Kind::Cpu => crate::quantity::millicores(text).err(),
        Kind::Memory => crate::quantity::memory_bytes(text).err(),
        Kind::Label if !crate::naming::is_dns_label(text) => Some(
            "must be a DNS-1123 label: lower-case letters, digits and '-', starting and ending with a letter or digit".into(),
        ),
        Kind::Label if s.name == "jobId" && text.len() > crate::naming::MAX_JOB_ID => Some(format!(
            "must be at most {} characters (it names pods)",
            crate::naming::MAX_JOB_ID
        )),
        Kind::Label if text.len() > 63 => Some("must be at most 63 characters".into()),
        Kind::LabelValue if !crate::naming::is_label_value(text) => Some(
            "must be a Kubernetes label value: at most 63 of letters, digits, '-', '_' and '.', starting and ending with a letter or digit".into(),
        ),
        Kind::Objects if s.name == "fleet" => match fleet::Fleet::parse(text) {
            Err(e) => Some(format!("must be a list of clusters: {e}")),
            Ok(fleet) => {
                for m in &fleet.members {
                    member_overrides(m)?;
                }
                None
            }
        },
        Kind::Objects if s.name == "queueOverrides" => match queue_overrides(text) {
            Err(e) => Some(e),
            Ok(by_queue) => {
                for (q, values) in by_queue {
                    for (name, raw) in values {
                        let setting = registry::find(name).expect("checked");
                        let value = LauncherValue {
                            raw,
                            source: Source::Queue(q.clone()),
                        };
                        check_value(setting, &value)?;
                    }
                }
                None
            }
        },
        Kind::Objects if s.name == "prices" => prices::Prices::parse(text)
            .err()
            .map(|e| format!("must be a price table {{default, clusters}} of {{coreHour, gibHour, currency}}: {e}")),
        Kind::Objects if s.name == "alertSinks" => sinks::parse(text)
            .err()
            .map(|e| format!("must be a list of alert sinks: {e}")),
        Kind::Objects => serde_json::from_str::<Vec<k8s_openapi::api::core::v1::Toleration>>(text)
            .err()
            .map(|e| format!("must be a JSON array of Toleration objects: {e}")),
        Kind::Choice(words) if !words.contains(&text) => Some(Kind::choices(words)),
        Kind::Text | Kind::Path if text.is_empty() => Some("must not be empty".into()),
        _ => None,
    };
    // Sink URLs and headers hold secrets: the message shows them redacted.
    let text = match s.name {
        "alertSinks" => sinks::redacted(text),
        _ => text.to_string(),
    };
    match problem {
        Some(p) => Err(err(format!(
            "Invalid value '{text}' for launcher setting {} (from {from}): {p}.",
            s.name
        ))),
        None => Ok(LauncherValue {
            raw: canonical.map_or_else(|| value.raw.clone(), Raw::Text),
            source: value.source.clone(),
        }),
    }
}

/// What is wrong with one value of a map or list setting whose values are of kind `inner`.
fn item_problem(inner: Kind, v: &str) -> Option<String> {
    match inner {
        Kind::Count => count(v, 0).err(),
        Kind::Cpu => crate::quantity::millicores(v).err(),
        Kind::Memory => crate::quantity::memory_bytes(v).err(),
        _ => None,
    }
}

/// A whole number at least `min`.
fn count(text: &str, min: u64) -> Result<u64, String> {
    match text.trim().parse::<u64>() {
        Ok(n) if n >= min => Ok(n),
        _ if min > 0 => Err(format!("must be a whole number, {min} or more")),
        _ => Err("must be a whole number, 0 or more".into()),
    }
}

/// Splits a comma list as Spark does: empty items dropped, whitespace inside items kept.
/// A map setting spelt with dots and its key: `uiIngress.annotations.a/b` →
/// (`uiIngressAnnotations`, `a/b`), as `queue.timeout` spells `queueTimeout`; `None` when no
/// dotted start of `rest` (two parts or more) names a map setting.
fn dotted_map(rest: &str) -> Option<(&'static str, Option<&str>)> {
    rest.match_indices('.').skip(1).find_map(|(i, _)| {
        let s = registry::find(&camel_case(&rest[..i])).filter(|s| s.kind.is_map())?;
        Some((s.name, Some(&rest[i + 1..])))
    })
}

/// `queue.timeout` → `queueTimeout`.
fn camel_case(dotted: &str) -> String {
    let mut out = String::new();
    for (i, part) in dotted.split('.').enumerate() {
        let mut chars = part.chars();
        match chars.next() {
            Some(c) if i > 0 => {
                out.push(c.to_ascii_uppercase());
                out.extend(chars);
            }
            Some(c) => {
                out.push(c);
                out.extend(chars);
            }
            None => {}
        }
    }
    out
}

pub fn split_list(s: &str) -> Vec<String> {
    s.split(',')
        .filter(|x| !x.is_empty())
        .map(str::to_string)
        .collect()
}

fn parse_env_map(v: &str) -> Result<BTreeMap<String, String>, String> {
    split_list(v)
        .into_iter()
        .map(|kv| match kv.split_once('=') {
            Some((k, v)) if !k.is_empty() => Ok((k.to_string(), v.to_string())),
            _ => Err(format!("'{kv}' is not key=value")),
        })
        .collect()
}

/// What `argv` (a command line after the command) resolves to with no environment and no
/// files, for the tests of the stages that read settings.
#[cfg(test)]
pub(crate) fn for_test(command: SparkCommand, argv: &[&str]) -> Result<Settings, ResolveError> {
    let argv: Vec<String> = argv.iter().map(|s| s.to_string()).collect();
    let args = crate::parse::parse(command, &argv).expect("parses");
    resolve(command, &args, &Env::new(), &NoFiles)
}

#[cfg(test)]
mod tests;
