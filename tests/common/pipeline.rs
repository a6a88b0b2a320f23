//! The pure pipeline without a process: shell-word splitting, an in-memory file system,
//! parse → resolve → plan, and the round trip through the rendered submit pod
//! (`tests/compat.rs`, `tests/round_trip.rs`).

use std::collections::BTreeMap;

use spark_k8s_cli::cli::{self, Early, Invocation};
use spark_k8s_cli::parse::SparkCommand;
use spark_k8s_cli::plan::{self, JobPlan, PlanInputs};
use spark_k8s_cli::resolve::{Env, Files, Settings};

/// Splits a command line as a POSIX shell would (quotes, backslashes, line continuations).
pub fn shell_words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some('\n') => {}
                Some(n) => {
                    cur.push(n);
                    in_word = true;
                }
                None => {}
            },
            '\'' => {
                in_word = true;
                for n in chars.by_ref() {
                    if n == '\'' {
                        break;
                    }
                    cur.push(n);
                }
            }
            '"' => {
                in_word = true;
                while let Some(n) = chars.next() {
                    match n {
                        '"' => break,
                        '\\' => match chars.peek() {
                            Some(&e @ ('"' | '\\' | '$' | '`')) => {
                                cur.push(e);
                                chars.next();
                            }
                            Some('\n') => {
                                chars.next();
                            }
                            _ => cur.push('\\'),
                        },
                        _ => cur.push(n),
                    }
                }
            }
            c if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut cur));
                    in_word = false;
                }
            }
            c => {
                cur.push(c);
                in_word = true;
            }
        }
    }
    if in_word {
        words.push(cur);
    }
    words
}

/// Files held in memory.
#[derive(Default, Clone)]
pub struct MemFiles(pub BTreeMap<String, String>);

impl Files for MemFiles {
    fn read(&self, path: &str) -> Result<String, String> {
        self.0
            .get(path)
            .cloned()
            .ok_or_else(|| "No such file or directory (os error 2)".to_string())
    }
    fn is_file(&self, path: &str) -> bool {
        self.0.contains_key(path)
    }
}

pub fn env_of(pairs: &[(&str, &str)]) -> Env {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

pub fn files_of(pairs: &[(&str, &str)]) -> MemFiles {
    MemFiles(
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
    )
}

/// Runs a whole command line (program name first) up to `Settings`.
pub fn prepare_line(line: &str, env: &Env, files: &MemFiles) -> Result<Settings, Early> {
    prepare_argv(&shell_words(line), env, files)
}

pub fn prepare_argv(argv: &[String], env: &Env, files: &MemFiles) -> Result<Settings, Early> {
    match cli::invocation(argv) {
        Invocation::Spark {
            command,
            program,
            args,
        } => cli::prepare(command, &program, &args, env, files),
        other => panic!("not a Spark command line: {other:?}"),
    }
}

pub fn inputs() -> PlanInputs {
    PlanInputs {
        random: 0x5eed,
        epoch_millis: 1_795_000_000_000,
        user: Some("alice".into()),
        host: Some("airflow-worker-1".into()),
        ..Default::default()
    }
}

/// The submit container's command after Kubernetes' `$(VAR)` expansion with the env the pod
/// will really have (namespace, secret values, pod IP), as the Spark program receives it: a
/// session's gate (`sh -c 'read -r go && exec "$0" "$@"' PROGRAM ARGS...`) execs the program
/// with the arguments after it.
pub fn expanded_command(p: &JobPlan, namespace: &str) -> Vec<String> {
    let spec = p.pod.spec.as_ref().unwrap();
    let c = spec
        .containers
        .iter()
        .find(|c| c.name == plan::SUBMIT_CONTAINER)
        .unwrap();
    let mut env = BTreeMap::new();
    env.insert("K8SCLI_NAMESPACE".to_string(), namespace.to_string());
    env.insert("K8SCLI_POD_IP".to_string(), "<pod IP>".to_string());
    if let Some(secret) = &p.secret {
        for (k, v) in secret.string_data.as_ref().unwrap() {
            let n = k.strip_prefix("conf-").unwrap();
            env.insert(format!("K8SCLI_SECRET_{n}"), v.clone());
        }
    }
    let command = c.command.as_ref().unwrap();
    let program = command
        .strip_prefix(&plan::session::GATE.map(String::from)[..])
        .unwrap_or(command);
    program.iter().map(|a| plan::kube_expand(a, &env)).collect()
}

/// Plans `s`, renders the pod, expands its command as the kubelet would, parses and resolves
/// that command again (as the image's spark-submit would see it) and checks that the job's
/// effective settings survived. Returns the plan.
pub fn round_trip(s: &Settings) -> JobPlan {
    let p = plan::build(s, &inputs()).expect("plan");
    let ns = p.namespace.clone().unwrap_or_else(|| "default".into());
    let argv = expanded_command(&p, &ns);
    assert_eq!(argv, p.effective_argv, "expansion disagrees with the plan");
    // No secret property may appear in the pod: not as `key=value` in the command, not as an
    // env value (it reaches spark-submit through `$(K8SCLI_SECRET_n)` from the Secret).
    let container = &p.pod.spec.as_ref().unwrap().containers[0];
    let rendered = container.command.clone().unwrap_or_default();
    for (k, v) in &s.spark_conf {
        if s.redaction.is_secret(k, v)
            && !k.starts_with("spark.kubernetes.authenticate.submission.")
        {
            let entry = format!("{k}={v}");
            assert!(
                !rendered
                    .iter()
                    .any(|a| a == &entry || a == &plan::escape_dollars(&entry)),
                "secret {k} leaked into the pod command"
            );
            assert!(
                container
                    .env
                    .iter()
                    .flatten()
                    .all(|e| e.value.as_deref() != Some(v.as_str()) || v.is_empty()),
                "secret {k} leaked into the pod env"
            );
        }
    }
    let program = argv[0].rsplit('/').next().unwrap().to_string();
    let command = cli::command_for_program(&program).expect("a Spark program");
    assert_eq!(command, s.command);
    let again = cli::prepare(
        command,
        &program,
        &argv[1..],
        &Env::new(),
        &MemFiles::default(),
    )
    .unwrap_or_else(|e| panic!("in-pod argv does not parse: {e:?}\n{argv:?}"));

    let mut expected: BTreeMap<String, String> = s
        .spark_conf
        .iter()
        .filter(|(k, _)| {
            !(k.starts_with("spark.kubernetes.authenticate.submission.")
                || *k == "spark.kubernetes.context"
                || *k == "spark.master")
        })
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    expected.insert("spark.kubernetes.namespace".into(), ns.clone());
    expected.insert(
        "spark.kubernetes.driver.pod.name".into(),
        p.driver_pod_name.clone(),
    );
    let queue = s.queue().name.clone();
    for role in ["driver", "executor"] {
        expected.insert(
            format!("spark.kubernetes.{role}.label.spark-k8s-cli/job-id"),
            p.job_id.clone(),
        );
        if !queue.is_empty() {
            expected.insert(
                format!("spark.kubernetes.{role}.label.spark-k8s-cli/queue"),
                queue.clone(),
            );
        }
    }
    if s.is_session() {
        // Reached through its Service, on the ports it publishes; what the user set stays.
        let service = p.service.as_ref().expect("a session has a Service");
        let name = service.metadata.name.clone().unwrap();
        let ports = service.spec.as_ref().unwrap().ports.clone().unwrap();
        for (k, v) in [
            ("spark.driver.host", format!("{name}.{ns}.svc")),
            ("spark.driver.port", ports[0].port.to_string()),
            ("spark.driver.blockManager.port", ports[1].port.to_string()),
            ("spark.driver.bindAddress", "<pod IP>".into()),
        ] {
            expected.entry(k.into()).or_insert(v);
        }
    } else if s.deploy_mode == spark_k8s_cli::resolve::DeployMode::Client {
        expected.insert("spark.driver.host".into(), "<pod IP>".into());
    }
    let mut got = again.spark_conf.clone();
    assert_eq!(
        got.remove("spark.master").as_deref(),
        Some(plan::IN_CLUSTER_MASTER)
    );
    assert_eq!(
        got, expected,
        "effective properties changed in the pod\n{argv:?}"
    );
    assert_eq!(again.deploy_mode, s.deploy_mode);
    assert_eq!(again.main_class, s.main_class);
    assert_eq!(again.app_name, s.app_name);
    assert_eq!(again.primary_resource, s.primary_resource);
    assert_eq!(again.app_args, s.app_args);
    assert_eq!(again.proxy_user, s.proxy_user);
    assert_eq!(again.app_kind, s.app_kind);
    p
}

/// The command a Spark-command test exercises, from a line.
pub fn command_of(line: &str) -> SparkCommand {
    match cli::invocation(&shell_words(line)) {
        Invocation::Spark { command, .. } => command,
        other => panic!("{other:?}"),
    }
}
