//! What the edge prints: the version banner, `--verbose` in spark-submit's shape, dry-run YAML
//! and its stderr summary, the settings reference, and a submission's closing object
//! (`--output json|yaml`). Secrets are redacted in all of them.

use std::fmt::Write as _;

use crate::plan::{JobPlan, demand};
use crate::resolve::redact::REPLACEMENT;
use crate::resolve::registry::SETTINGS;
use crate::resolve::{Provenance, Settings, describe_source};

/// What `--output json|yaml` prints when a submission ends.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct JobSummary {
    pub job_id: String,
    /// The fleet member's name, else the API server; `None` when no cluster was reached.
    pub cluster: Option<String>,
    pub namespace: Option<String>,
    /// The submit pod and, in cluster mode, the driver pod.
    pub pods: Vec<String>,
    /// The launcher's exit code (`docs/exit-codes.md`): the driver's when it ran.
    pub exit_code: u8,
    /// Why the job did not succeed, when the launcher knows (the driver's own failure is
    /// in `exit_code`).
    pub error: Option<String>,
    #[serde(flatten)]
    pub seconds: crate::report::progress::StageSeconds,
    /// What the job's pods used (core-seconds, GiB-seconds) and, with `prices`, cost; `None`
    /// when none of its pods ran.
    pub cost: Option<crate::follow::cost::JobCost>,
}

/// The closing object of a job planned as `plan` that ended on `target` with `code`.
pub fn summary(
    plan: &JobPlan,
    target: Option<&crate::cluster::Target>,
    code: u8,
    error: Option<String>,
    cost: Option<crate::follow::cost::JobCost>,
) -> JobSummary {
    let mut pods = vec![plan.submit_pod_name.clone()];
    if !plan.driver_in_submit_pod() {
        pods.push(plan.driver_pod_name.clone());
    }
    JobSummary {
        job_id: plan.job_id.clone(),
        cluster: target.map(|t| t.cluster.clone()),
        namespace: target.map(|t| t.namespace.clone()),
        pods,
        exit_code: code,
        error,
        seconds: crate::report::progress::stage_seconds(std::time::Instant::now()),
        cost,
    }
}

pub fn version_banner() -> String {
    format!(
        r#"Welcome to
      ____              __
     / __/__  ___ _____/ /__
    _\ \/ _ \/ _ `/ __/  '_/
   /___/ .__/\_,_/_/ /_/\_\   spark-k8s-cli version {}
      /_/
                        
Runs the job image's own spark-submit (Spark 3.5 / 4.x) on Kubernetes.
Type --help for more information.
"#,
        env!("CARGO_PKG_VERSION")
    )
}

fn or_null(v: Option<&str>) -> &str {
    v.unwrap_or("null")
}

/// `--verbose`: spark-submit's "Parsed arguments" dump, then the launcher's view.
pub fn verbose_dump(s: &Settings) -> String {
    let mut out = String::new();
    for p in &s.provenance {
        match p {
            Provenance::UsingPropertiesFile(f) => {
                let _ = writeln!(out, "Using properties file: {f}");
            }
            Provenance::AddingDefault(k, v) => {
                let _ = writeln!(
                    out,
                    "Adding default property: {k}={}",
                    s.redaction.show(k, v)
                );
            }
        }
    }
    let a = &s.args;
    // A Spark property as the dump shows it (`null` when unset).
    let conf = |k: &str| or_null(s.conf(k)).to_string();
    let rows: Vec<(&str, String)> = vec![
        ("master", or_null(s.master.as_deref()).into()),
        ("remote", "null".into()),
        ("deployMode", s.deploy_mode.as_str().into()),
        ("executorMemory", conf("spark.executor.memory")),
        ("executorCores", conf("spark.executor.cores")),
        ("totalExecutorCores", conf("spark.cores.max")),
        (
            "propertiesFile",
            or_null(a.properties_file.as_deref()).into(),
        ),
        (
            "extraPropertiesFiles",
            format!("[{}]", a.extra_properties_files.join(", ")),
        ),
        ("driverMemory", conf("spark.driver.memory")),
        ("driverCores", conf("spark.driver.cores")),
        ("driverExtraClassPath", conf("spark.driver.extraClassPath")),
        (
            "driverExtraLibraryPath",
            conf("spark.driver.extraLibraryPath"),
        ),
        (
            "driverExtraJavaOptions",
            or_null(
                s.conf("spark.driver.extraJavaOptions")
                    .map(|v| s.redaction.show("spark.driver.extraJavaOptions", v)),
            )
            .into(),
        ),
        ("supervise", a.supervise.to_string()),
        ("queue", s.queue().name.clone()),
        ("numExecutors", conf("spark.executor.instances")),
        ("files", conf("spark.files")),
        ("pyFiles", conf("spark.submit.pyFiles")),
        ("archives", conf("spark.archives")),
        ("mainClass", or_null(s.main_class.as_deref()).into()),
        (
            "primaryResource",
            or_null(s.primary_resource.as_deref()).into(),
        ),
        ("name", s.app_name.clone()),
        ("childArgs", format!("[{}]", s.app_args.join(" "))),
        ("jars", conf("spark.jars")),
        ("packages", conf("spark.jars.packages")),
        ("packagesExclusions", conf("spark.jars.excludes")),
        ("repositories", conf("spark.jars.repositories")),
        ("verbose", s.verbose.to_string()),
    ];
    out.push_str("Parsed arguments:\n");
    for (k, v) in rows {
        let _ = writeln!(out, "  {k:<24}{v}");
    }
    out.push_str(
        "\nSpark properties used, including those specified through\n --conf and those from the properties files:\n",
    );
    for (k, v) in &s.spark_conf {
        let _ = writeln!(out, "  ({k},{})", s.redaction.show(k, v));
    }
    out.push_str("\nLauncher settings:\n");
    for setting in SETTINGS {
        if let Some(v) = s.launcher.get(setting.name) {
            let shown = crate::resolve::redacted_launcher_value(&s.redaction, setting.name, &v.raw);
            let _ = writeln!(
                out,
                "  {:<24}{shown} (from {})",
                setting.name,
                describe_source(&v.source, setting.name)
            );
        }
    }
    out.push('\n');
    out
}

/// The dry run's stdout: every object the job would create, as YAML documents, in creation
/// order (the secret properties, the shipped files, the submit pod, a session's Service), but not the queue ticket
/// (a heartbeat only a running launcher can keep alive; the header says so). `files` is the Secret of
/// shipped files as the edge read it from disk. Secret values (the properties the redaction
/// rule matches, the keytab's bytes) are redacted unless `show_secrets`.
pub fn dry_run_yaml(
    s: &Settings,
    plan: &JobPlan,
    files: Option<&k8s_openapi::api::core::v1::Secret>,
    show_secrets: bool,
) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# Every object spark-k8s-cli would create for this job, in creation order, except the queue ticket (the Lease {}): a launcher creates it before these, renews it as its heartbeat and deletes it when the job ends. Applied with no launcher to renew it, a ticket would only expire (after queueHeartbeat) and be deleted by the next launcher that looks, so it is left out: applied with kubectl, the job skips the queue (its objects are created at once; a ResourceQuota still refuses what does not fit) and waiting launchers count its pods for its queue, as they count any job whose launcher is gone.",
        crate::queue::ticket_name(&plan.job_id)
    );
    let redacted = (plan.secret.is_some()
        || plan
            .deps
            .as_ref()
            .is_some_and(|d| d.files.iter().any(|f| f.secret)))
        && !show_secrets;
    if redacted {
        let _ = writeln!(
            out,
            "# Secret values are redacted: applied as it is, this job would run without them. Run the dry run again with --show-secrets to print them as they are (then treat the output as a secret)."
        );
    }
    if let Some(secret) = &plan.secret {
        let mut shown = secret.clone();
        if !show_secrets && let Some(data) = shown.string_data.as_mut() {
            for v in data.values_mut() {
                *v = REPLACEMENT.to_string();
            }
        }
        let _ = writeln!(
            out,
            "# Secret properties of the job ({}){}.",
            secret_keys(s).join(", "),
            if show_secrets {
                ", as they are (--show-secrets)"
            } else {
                "; values are redacted"
            }
        );
        out.push_str(&to_yaml(&shown));
        out.push_str(
            "---
",
        );
    }
    if let Some(deps) = &plan.deps {
        let list = deps
            .files
            .iter()
            .map(|f| format!("{} ({} bytes, from {})", f.name, f.size, f.path))
            .collect::<Vec<_>>()
            .join(", ");
        match (&deps.delivery, files) {
            (crate::plan::deps::Delivery::Secret(_), Some(secret)) => {
                let mut shown = secret.clone();
                let mut hidden = Vec::new();
                if !show_secrets && let Some(data) = shown.data.as_mut() {
                    for f in deps.files.iter().filter(|f| f.secret) {
                        if let Some(v) = data.get_mut(&f.name) {
                            *v = k8s_openapi::ByteString(REPLACEMENT.as_bytes().to_vec());
                            hidden.push(f.name.as_str());
                        }
                    }
                }
                let _ = writeln!(
                    out,
                    "# The job's local files, mounted at {} in the submit pod, the driver and the executors: {list}.",
                    crate::plan::deps::DEPS_DIR
                );
                if !hidden.is_empty() {
                    let _ = writeln!(out, "# Redacted (a credential): {}.", hidden.join(", "));
                }
                out.push_str(&to_yaml(&shown));
                out.push_str(
                    "---
",
                );
            }
            _ => {
                let _ = writeln!(
                    out,
                    "# The job's local files, {} bytes in all, too many for a Secret: the launcher streams them (tar) into the submit pod's init container `{}` at {}, whose spark-submit uploads them to spark.kubernetes.file.upload.path. A dry run applied with kubectl has no launcher to stream them: the init container waits {} s and fails. Files: {list}.",
                    deps.total(),
                    crate::plan::deps::DEPS_CONTAINER,
                    crate::plan::deps::DEPS_DIR,
                    crate::plan::deps::STREAM_WAIT_SECONDS
                );
            }
        }
    }
    if let Some(d) = &plan.direct {
        let _ = writeln!(
            out,
            "# Direct submit (spark.k8scli.submitMode=direct): the driver pod, as Spark {}'s spark-submit would create it, then its Service, NetworkPolicy (Spark 4.2+) and ConfigMap (server-side apply, field manager fabric8). The launcher makes those owned by the pod (an ownerReference with its uid, which only then exists); applied with kubectl they have no owner and stay until deleted.{}",
            d.release.version,
            if plan.secret.is_some() {
                " The properties the redaction rule matches are in the Secret above, not in the ConfigMap."
            } else {
                ""
            }
        );
    }
    out.push_str(&to_yaml(&plan.pod));
    if let Some(d) = &plan.direct {
        let policy = d
            .release
            .line
            .network_policy()
            .then(|| to_yaml(&d.objects.network_policy));
        let template = d.objects.executor_pod_template.as_ref().map(to_yaml);
        let docs = [
            Some(to_yaml(&d.objects.service)),
            policy,
            template,
            Some(to_yaml(&d.objects.config_map)),
        ];
        for doc in docs.into_iter().flatten() {
            out.push_str("---\n");
            out.push_str(&doc);
        }
    }
    if let Some(service) = &plan.service {
        let _ = writeln!(
            out,
            "---\n# The session's headless Service, through which executors reach its driver. The launcher creates it once the pod exists, owned by the pod (an ownerReference with the pod's uid, which only then exists), so it is deleted with the pod; applied with kubectl it has no owner and stays until deleted."
        );
        out.push_str(&to_yaml(service));
    }
    out
}

fn secret_keys(s: &Settings) -> Vec<String> {
    s.spark_conf
        .iter()
        .filter(|(k, v)| s.redaction.is_secret(k, v))
        .map(|(k, _)| k.clone())
        .collect()
}

/// `backend=operator`'s dry run: the SparkApplication, its secret values redacted unless
/// `--show-secrets`.
pub fn operator_yaml(s: &Settings, app: &serde_json::Value, show_secrets: bool) -> String {
    let shown = if show_secrets {
        app.clone()
    } else {
        crate::plan::operator::redacted(app, &s.redaction)
    };
    format!(
        "# The job as a Kubeflow Spark operator SparkApplication (spark.k8scli.backend=operator; docs/operator.md). The launcher does not create it yet: apply it with kubectl where the operator runs.{}\n{}",
        if shown == *app {
            ""
        } else {
            " Secret values are redacted (--show-secrets prints them)."
        },
        to_yaml(&shown)
    )
}

fn to_yaml<T: serde::Serialize>(v: &T) -> String {
    // Serialising a k8s-openapi object cannot fail: every field is a plain value.
    serde_saphyr::to_string(v).expect("Kubernetes objects serialise to YAML")
}

/// The dry run's stderr: the plan's decisions and the demand table.
pub fn dry_run_summary(s: &Settings, plan: &JobPlan) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Dry run: nothing was created; the objects are on stdout."
    );
    let rows = [
        ("job id", plan.job_id.clone()),
        (
            "namespace",
            plan.namespace
                .clone()
                .unwrap_or_else(|| "(the kube context's namespace)".into()),
        ),
        ("queue", s.queue().name.clone()),
        ("deploy mode", s.deploy_mode.as_str().into()),
        (
            "submit mode",
            match &plan.direct {
                Some(d) => format!("direct (as Spark {}'s spark-submit)", d.release.version),
                None => "pod".into(),
            },
        ),
        (
            "submit pod",
            if plan.direct.is_some() {
                "(none: the launcher creates the driver)".into()
            } else {
                plan.submit_pod_name.clone()
            },
        ),
        ("driver pod", plan.driver_pod_name.clone()),
        (
            "master",
            s.master
                .clone()
                .unwrap_or_else(|| "(the kube context's cluster)".into()),
        ),
    ];
    for (label, value) in rows {
        let _ = writeln!(out, "  {label:<16}{value}");
    }
    if let Some(ui) = &s.report().ui_ingress {
        let host = ui.host.replace("{job}", &plan.job_id);
        let _ = writeln!(
            out,
            "  {:<16}{} (an Ingress and its Service, made once the driver runs)",
            "ui ingress",
            ui.url(&host)
        );
    }
    out.push_str("\nSpark properties (resolved; the submit pod gets them with its own master):\n");
    for (k, v) in &s.spark_conf {
        let _ = writeln!(out, "  {k}={}", s.redaction.show(k, v));
    }
    out.push_str("\nLauncher settings:\n");
    for setting in SETTINGS {
        let (value, from) = match s.launcher.get(setting.name) {
            Some(v) => (
                crate::resolve::redacted_launcher_value(&s.redaction, setting.name, &v.raw),
                describe_source(&v.source, setting.name),
            ),
            None if setting.default.is_empty() => continue,
            None => (setting.default.to_string(), "default".to_string()),
        };
        let _ = writeln!(out, "  {:<24}{value} ({from})", setting.name);
    }
    out.push('\n');
    out.push_str(&demand::table(&plan.demand));
    out
}

/// `spark-k8s-cli settings`: one row per launcher setting.
pub fn settings_table() -> String {
    let mut out = String::new();
    for s in SETTINGS {
        let _ = writeln!(
            out,
            "{:<24}{:<18}{:<14}{}\n{:<24}{}  {}\n",
            s.name,
            s.kind.describe(),
            if s.default.is_empty() { "-" } else { s.default },
            s.doc,
            "",
            s.key(),
            s.env()
        );
    }
    out
}

/// `spark-k8s-cli settings --markdown`: the text of `docs/config.md`.
pub fn settings_markdown() -> String {
    let mut out = String::from(
        "# Launcher settings\n\n\
         <!-- Generated by `spark-k8s-cli settings --markdown`; a test fails when this file is stale. -->\n\n\
         Every launcher setting has three spellings: a field of the YAML launcher config\n\
         (`--launcher-config FILE`, env `SPARK_K8S_CLI_CONFIG`, default\n\
         `$XDG_CONFIG_HOME/spark-k8s-cli/config.yaml`), a Spark property `--conf spark.k8scli.<name>=<value>`\n\
         (also read from properties files, so schedulers that only pass spark-submit flags can set\n\
         everything), and an environment variable `SPARK_K8S_CLI_<NAME>`.\n\n\
         Precedence, highest first: a dedicated flag (`--dry-run`, `--queue`), the property, the\n\
         environment, the launcher config, the default. An unknown name in any spelling is an error\n\
         with a \"did you mean\" hint. Map settings take `spark.k8scli.<name>.<key>=<value>` properties,\n\
         `k=v,k2=v2` in the environment and a mapping in YAML; list settings take a comma list or a\n\
         YAML sequence.\n\n\
         | YAML field | property | environment | type | default | meaning |\n\
         |---|---|---|---|---|---|\n",
    );
    for s in SETTINGS {
        let _ = writeln!(
            out,
            "| `{}` | `{}` | `{}` | {} | {} | {} |",
            s.name,
            s.key(),
            s.env(),
            s.kind.describe(),
            if s.default.is_empty() {
                "-".to_string()
            } else {
                format!("`{}`", s.default)
            },
            s.doc
        );
    }
    out
}

/// `spark-k8s-cli flags`: every option of the table; `--markdown` gives `docs/flags.md`.
pub fn flags(markdown: bool) -> String {
    use crate::parse::flags::{FLAGS, Origin};
    let mut out = String::new();
    if markdown {
        out.push_str(
            "# Options\n\n\
             <!-- Generated by `spark-k8s-cli flags --markdown`; a test fails when this file is stale. -->\n\n\
             Every option of Spark 3.5 / 4.x spark-submit is accepted and parsed as Spark parses it\n\
             (`--opt value` and `--opt=value`; see `docs/decisions.md`). The launcher adds the rows marked *launcher*.\n\n\
             | option | aliases | value | origin | meaning |\n|---|---|---|---|---|\n",
        );
    }
    for f in FLAGS {
        let origin = match f.origin {
            Origin::Spark => "spark-submit",
            Origin::Launcher => "launcher",
        };
        if markdown {
            let _ = writeln!(
                out,
                "| `{}` | {} | {} | {origin} | {} |",
                f.long,
                f.aliases
                    .iter()
                    .map(|a| format!("`{a}`"))
                    .collect::<Vec<_>>()
                    .join(" "),
                if f.metavar.is_empty() {
                    "-".to_string()
                } else {
                    format!("`{}`", f.metavar)
                },
                f.doc
            );
        } else {
            let label = format!("{} {}", f.long, f.metavar);
            let _ = writeln!(out, "{:<40}{:<14}{}", label.trim_end(), origin, f.doc);
        }
    }
    out
}
