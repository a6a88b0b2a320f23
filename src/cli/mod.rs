//! cli: the edge: picks the command from argv[0] or a subcommand, reads env and files, runs the
//! stages, prints, and decides the exit code (the only place that does; see `docs/exit-codes.md`).

#[cfg(feature = "sim")]
mod alerts;
pub mod args;
mod commands;
#[cfg(feature = "sim")]
mod demo;
mod doctor;
mod fleet;
mod jobs;
mod output;
#[cfg(feature = "sim")]
mod sim;

use std::collections::BTreeMap;
use std::io::Write;
use std::process::ExitCode;

use crate::parse::{self, Action, ParseError, SparkCommand, usage};
use crate::plan::{self, PlanInputs};
use crate::resolve::{self, Env, Files, Settings, registry};

pub mod exit;

/// Reads real files.
pub struct DiskFiles;

impl Files for DiskFiles {
    fn read(&self, path: &str) -> Result<String, String> {
        std::fs::read_to_string(path).map_err(|e| e.to_string())
    }
    fn is_file(&self, path: &str) -> bool {
        std::path::Path::new(path).is_file()
    }
    fn read_bytes(&self, path: &str) -> Result<Vec<u8>, String> {
        std::fs::read(path).map_err(|e| e.to_string())
    }
    fn list_dir(&self, dir: &str) -> Result<Vec<resolve::localfiles::DirEntry>, String> {
        let entries = std::fs::read_dir(dir).map_err(|e| e.to_string())?;
        Ok(entries
            .filter_map(Result::ok)
            .map(|e| resolve::localfiles::DirEntry {
                name: e.file_name().to_string_lossy().into_owned(),
                // Hadoop's local FileSystem follows links: a link to a file is a file.
                is_file: std::fs::metadata(e.path()).is_ok_and(|m| m.is_file()),
            })
            .collect())
    }
}

/// What the program was invoked as.
#[derive(Debug, PartialEq, Eq)]
pub enum Invocation {
    /// A Spark command, with its user arguments; `program` is the name usage shows.
    Spark {
        command: SparkCommand,
        program: String,
        args: Vec<String>,
    },
    /// One of our own commands (`args::Command`), from its name on: clap parses it.
    Ours(Vec<String>),
    /// `spark-k8s-cli` alone, or `help`.
    TopHelp {
        no_args: bool,
    },
    Unknown(String),
}

/// The Spark command a multi-call name stands for.
pub fn command_for_program(name: &str) -> Option<SparkCommand> {
    match name {
        "spark-submit" | "spark2-submit" | "spark3-submit" => Some(SparkCommand::Submit),
        "spark-shell" => Some(SparkCommand::Shell),
        "pyspark" => Some(SparkCommand::PySpark),
        "spark-sql" => Some(SparkCommand::Sql),
        _ => None,
    }
}

/// Decides what to run from the whole argv (argv[0] included).
pub fn invocation(argv: &[String]) -> Invocation {
    let program = argv
        .first()
        .map(|a| a.rsplit('/').next().unwrap_or(a).to_string())
        .unwrap_or_default();
    let rest = argv.get(1..).unwrap_or(&[]).to_vec();
    if let Some(command) = command_for_program(&program) {
        return Invocation::Spark {
            command,
            program,
            args: rest,
        };
    }
    let Some(first) = rest.first() else {
        return Invocation::TopHelp { no_args: true };
    };
    let tail = rest[1..].to_vec();
    let spark = |command: SparkCommand, args: Vec<String>| Invocation::Spark {
        command,
        program: format!("spark-k8s-cli {}", subcommand_name(command)),
        args,
    };
    match first.as_str() {
        "submit" => spark(SparkCommand::Submit, tail),
        "shell" => spark(SparkCommand::Shell, tail),
        "pyspark" => spark(SparkCommand::PySpark, tail),
        "sql" => spark(SparkCommand::Sql, tail),
        // `kill ID ...` / `status ID ...` are spark-submit's `--kill ID` / `--status ID`; help
        // and a missing or option-looking id are clap's.
        "kill" | "status" => match args::parse_cli(&rest) {
            Ok(args::Cli {
                command: args::Command::Kill(r) | args::Command::Status(r),
                voice,
            }) => match commands::job_ref_as_spark(first, r, &voice) {
                Ok(args) => spark(SparkCommand::Submit, args),
                Err(_) => Invocation::Ours(rest),
            },
            _ => Invocation::Ours(rest),
        },
        "help" | "--help" | "-h" if tail.is_empty() => Invocation::TopHelp { no_args: false },
        // `help CMD`: the command's own help.
        "help" => match tail[0].as_str() {
            "submit" | "shell" | "pyspark" | "sql" => {
                invocation(&[argv[0].clone(), tail[0].clone(), "--help".into()])
            }
            _ => Invocation::Ours(vec![tail[0].clone(), "--help".into()]),
        },
        f if is_ours(f) => Invocation::Ours(rest),
        f if f.starts_with('-') => Invocation::Spark {
            command: SparkCommand::Submit,
            program: "spark-k8s-cli".into(),
            args: rest,
        },
        other => Invocation::Unknown(other.to_string()),
    }
}

fn subcommand_name(c: SparkCommand) -> &'static str {
    match c {
        SparkCommand::Submit => "submit",
        SparkCommand::Shell => "shell",
        SparkCommand::PySpark => "pyspark",
        SparkCommand::Sql => "sql",
    }
}

/// One of our own commands (spark-submit's are not).
fn is_ours(name: &str) -> bool {
    !args::Command::SPARK.contains(&name) && commands().iter().any(|(n, _)| n == name)
}

/// Every command's name and one-line description, from the clap tree.
pub fn commands() -> Vec<(String, String)> {
    let tree = <args::Cli as clap::CommandFactory>::command();
    tree.get_subcommands()
        .map(|c| {
            let about = c.get_about().map(|a| a.to_string()).unwrap_or_default();
            (c.get_name().to_string(), about)
        })
        .collect()
}

fn top_help() -> String {
    let mut s = format!(
        "spark-k8s-cli {}: spark-submit for a fleet of Kubernetes clusters.\n\n\
         Usage: spark-k8s-cli [submit] [spark-submit options] <app jar | python file | R file> [app arguments]\n       \
         spark-k8s-cli <command> [args]\n\n\
         Also answers as spark-submit, spark-shell, pyspark and spark-sql when installed under those names.\n\n\
         Commands:\n",
        env!("CARGO_PKG_VERSION")
    );
    for (name, doc) in commands() {
        s.push_str(&format!("  {name:<13}{doc}\n"));
    }
    s.push_str("\n`spark-k8s-cli submit --help` lists every spark-submit option; `spark-k8s-cli <command> --help` the command's own.\n");
    s
}

/// Runs the program; returns the exit code.
pub fn run(argv: Vec<String>) -> ExitCode {
    // The stages' job events reach alert's delivery (configured per job in `run_on_cluster`).
    crate::events::install(&crate::alert::Alerts);
    let env: Env = std::env::vars().collect();
    let stderr = std::io::stderr();
    let stdout = std::io::stdout();
    let code = match invocation(&argv) {
        // Asked for: stdout, 0. Nothing given: stderr, 255, as spark-submit does.
        Invocation::TopHelp { no_args: false } => {
            let _ = write!(stdout.lock(), "{}", top_help());
            exit::OK
        }
        Invocation::TopHelp { no_args: true } => {
            let _ = write!(stderr.lock(), "{}", top_help());
            exit::NO_ARGS
        }
        Invocation::Unknown(cmd) => {
            let names: Vec<String> = commands().into_iter().map(|(n, _)| n).collect();
            let hint = match registry::suggest(&cmd, names.iter().map(String::as_str)) {
                Some(s) => format!(" Did you mean '{s}'?"),
                None => String::new(),
            };
            let _ = writeln!(
                stderr.lock(),
                "Error: unknown command '{cmd}'.{hint} Run `spark-k8s-cli help` for the commands."
            );
            exit::USAGE
        }
        Invocation::Ours(args) => commands::run(&args, &env),
        Invocation::Spark {
            command,
            program,
            args,
        } => spark(command, &program, &args, &env),
    };
    ExitCode::from(code)
}

fn usage_text(command: SparkCommand, program: &str, env: &Env) -> String {
    match env.get("_SPARK_CMD_USAGE") {
        Some(first) => format!(
            "{first}\n\n{}\n{}",
            usage::SPARK_OPTIONS,
            usage::launcher_options()
        ),
        None => usage::usage(command, program),
    }
}

/// How an invocation ends before anything is planned: an exit code and what goes to stderr.
#[derive(Debug, PartialEq, Eq)]
pub struct Early {
    pub code: u8,
    pub stderr: String,
}

/// Parses and resolves a Spark command line: the settings, or the early exit (help, version,
/// bad input) with spark-submit's exit code and text. Touches nothing but `env` and `files`.
pub fn prepare(
    command: SparkCommand,
    program: &str,
    args: &[String],
    env: &Env,
    files: &dyn Files,
) -> Result<Settings, Early> {
    let early = |code: u8, stderr: String| Err(Early { code, stderr });
    if args.is_empty() && command == SparkCommand::Submit {
        return early(exit::NO_ARGS, usage_text(command, program, env) + "\n");
    }
    let parsed = match parse::parse(command, args) {
        Ok(p) => p,
        Err(ParseError::PySparkScript) => {
            return early(exit::NO_ARGS, format!("{}\n", ParseError::PySparkScript));
        }
        Err(e) => {
            return early(
                exit::USAGE,
                format!("Error: {e}\n\n{}\n", usage_text(command, program, env)),
            );
        }
    };
    match parsed.action {
        Action::Help => return early(exit::OK, usage_text(command, program, env) + "\n"),
        Action::UsageError => return early(exit::USAGE, usage_text(command, program, env) + "\n"),
        Action::Version => return early(exit::OK, output::version_banner()),
        _ => {}
    }
    resolve::resolve(command, &parsed, env, files).map_err(|e| Early {
        code: exit::USAGE,
        stderr: format!("Error: {e}\n"),
    })
}

fn spark(command: SparkCommand, program: &str, args: &[String], env: &Env) -> u8 {
    let settings = match prepare(command, program, args, env, &DiskFiles) {
        Ok(s) => s,
        Err(Early { code, stderr }) => {
            let _ = std::io::stderr().lock().write_all(stderr.as_bytes());
            return code;
        }
    };
    crate::init_logging(env, settings.report().voice, settings.verbose);
    for w in &settings.warnings {
        crate::report::warn(&format!("Warning: {w}"));
    }
    if settings.verbose {
        crate::report::say(&output::verbose_dump(&settings));
    }
    match &settings.action {
        Action::Kill(id) | Action::Status(id) => {
            let kill = matches!(settings.action, Action::Kill(_));
            return kill_or_status(&settings, env, id, kill);
        }
        _ => {}
    }
    tracing::debug!(
        properties = settings.spark_conf.len(),
        files = ?settings.properties_files,
        "resolved settings"
    );
    if settings.job().backend == resolve::typed::Backend::Operator {
        return operator(&settings, env);
    }
    let (plan, inputs) = match make_plan(&settings, env) {
        Ok(p) => p,
        Err(e) => return fail(&e),
    };
    tracing::debug!(job_id = %plan.job_id, pods = plan.demand.total_pods, "planned");
    if settings.job().dry_run {
        let mut out = std::io::stdout().lock();
        // The files' Secret as it would be created (read from disk now).
        let files = match &plan.deps {
            Some(
                d @ plan::Deps {
                    delivery: plan::deps::Delivery::Secret(name),
                    ..
                },
            ) => match crate::submit::ship::secret(&plan, d, name) {
                Ok(s) => Some(s),
                Err(e) => return fail(&e),
            },
            _ => None,
        };
        let yaml =
            output::dry_run_yaml(&settings, &plan, files.as_ref(), settings.args.show_secrets);
        if let Err(e) = out.write_all(yaml.as_bytes())
            && e.kind() != std::io::ErrorKind::BrokenPipe
        {
            return fail(&resolve::err(format!("cannot write to stdout: {e}")));
        }
        crate::report::say(&output::dry_run_summary(&settings, &plan));
        return exit::OK;
    }
    run_on_cluster(&settings, env, &plan, &inputs)
}

/// `--kill` / `--status` as spark-submit does them on Kubernetes (exit 0 unless the cluster
/// cannot be reached).
fn kill_or_status(settings: &Settings, env: &Env, id: &str, kill: bool) -> u8 {
    block_on(0, async {
        let (ns, pod) = crate::jobs::split_submission_id(id);
        let grace = settings
            .conf("spark.kubernetes.appKillPodDeletionGracePeriod")
            .and_then(|g| g.parse().ok());
        let namespace = ns.or_else(|| settings.conf("spark.kubernetes.namespace"));
        // On a fleet (no --master, or k8s://fleet), the driver's name finds its cluster.
        // On a fleet (no --master, k8s://fleet or k8s://fleet/NAME), the driver's or job's
        // name finds its cluster.
        let on_fleet = settings.master.as_deref().is_none_or(|m| {
            m.trim_end_matches('/') == "k8s://fleet" || m.starts_with("k8s://fleet/")
        });
        let pinned = settings
            .master
            .as_deref()
            .and_then(|m| m.strip_prefix("k8s://fleet/"));
        let found = if on_fleet {
            match fleet::member_targets(env, namespace).await {
                Ok(Some(members)) => {
                    let mut found = None;
                    for (name, t) in members {
                        if pinned.is_some_and(|p| p.trim_end_matches('/') != name) {
                            continue;
                        }
                        if crate::jobs::knows(&t, id).await {
                            found = Some(t);
                            break;
                        }
                    }
                    found
                }
                Ok(None) => None,
                Err(e) => {
                    crate::report::error(&e);
                    return exit::of(e);
                }
            }
        } else {
            None
        };
        let connected = match found {
            Some(t) => Ok(t),
            // Spark's answer for a name no cluster knows.
            None if on_fleet
                && fleet::member_targets(env, namespace)
                    .await
                    .is_ok_and(|m| m.is_some()) =>
            {
                let master = settings
                    .master
                    .clone()
                    .unwrap_or_else(|| "k8s://fleet".into());
                let text = if kill {
                    crate::jobs::kill_header(id, &master, grace)
                } else {
                    crate::jobs::status_header(id, &master)
                };
                let none = if pod.ends_with('*') {
                    "No applications found."
                } else {
                    "Application not found."
                };
                let output = settings.report().output;
                if kill || output == crate::report::Format::Table {
                    crate::report::say(&format!("{text}{none}"));
                } else {
                    print_status(output, &[]);
                }
                return exit::OK;
            }
            None => crate::cluster::connect_with(&settings.connect_options(), env, namespace).await,
        };
        let target = match connected {
            Ok(t) => t,
            Err(e) => {
                crate::report::error(&e);
                return exit::of(e);
            }
        };
        let output = settings.report().output;
        if !kill && output != crate::report::Format::Table {
            return match crate::jobs::status_rows(&target, id).await {
                Ok(rows) => {
                    print_status(output, &rows);
                    exit::OK
                }
                Err(e) => {
                    crate::report::error(&e);
                    exit::of(e)
                }
            };
        }
        let master = settings
            .master
            .clone()
            .unwrap_or_else(|| format!("k8s://{}", target.server));
        let text = if kill {
            crate::jobs::kill(&target, id, &master, grace).await
        } else {
            crate::jobs::status(&target, id, &master).await
        };
        match text {
            Ok(t) => {
                crate::report::say(&t);
                exit::OK
            }
            Err(e) => {
                crate::report::error(&e);
                exit::of(e)
            }
        }
    })
}

/// Submits and follows the job on its cluster; the exit code is the driver's.
fn run_on_cluster(settings: &Settings, env: &Env, plan: &plan::JobPlan, inputs: &PlanInputs) -> u8 {
    let policy = crate::cluster::retry::Policy::default();
    crate::alert::deliver::init(alert_config(settings, env, plan));
    block_on(2, async {
        // Listening from the start: a signal during the first requests still cleans up.
        use tokio::signal::unix::{SignalKind, signal};
        let signals =
            signal(SignalKind::interrupt()).and_then(|i| Ok((i, signal(SignalKind::terminate())?)));
        // The cluster the job is on, for the clean-up on a signal.
        let current: std::sync::Mutex<Option<crate::cluster::Target>> = std::sync::Mutex::new(None);
        // What the job used on the cluster it ran on last, for the closing object.
        let used: std::sync::Mutex<Option<crate::follow::cost::JobCost>> =
            std::sync::Mutex::new(None);
        // On a fleet (`quick`), the queue's requests retry briefly: a job with no pod yet moves
        // to another cluster rather than wait for a dead one.
        let on_cluster = |target: crate::cluster::Target,
                          placed: std::sync::Arc<fleet::Placed>,
                          spill: Option<crate::queue::Spill>,
                          quick: bool| {
            let mut queue = crate::queue::QueueConfig::from_settings(&placed.settings);
            if quick {
                queue.retry = crate::cluster::retry::Policy::quick();
            }
            let (policy, used) = (&policy, &used);
            async move {
                let queue = &queue;
                let (settings, plan) = (&placed.settings, &placed.plan);
                let mut resume = crate::follow::Resume::default();
                loop {
                    let progress = crate::report::progress::Progress::new(
                        &plan.job_id,
                        std::io::IsTerminal::is_terminal(&std::io::stderr()),
                    );
                    let hold = crate::queue::wait_for_room(
                        &target,
                        plan,
                        queue,
                        &progress,
                        spill.as_ref(),
                    )
                    .await;
                    progress.finish();
                    // Whatever failed while the job waited, it has no pod yet.
                    let hold = hold.map_err(crate::outcome::JobFailure::before_pod)?;
                    let result =
                        crate::follow::run(&target, plan, settings, policy, &mut resume).await;
                    *used.lock().unwrap_or_else(|p| p.into_inner()) = resume.cost.clone();
                    match result {
                        // Pods from outside the launcher took the room: back to our place in line.
                        Err(e @ crate::outcome::JobFailure::QuotaFull(_)) => {
                            crate::report::say(&format!("spark-k8s-cli: {e}; back to the queue"));
                            hold.requeue().await;
                        }
                        result => {
                            hold.release().await;
                            return result;
                        }
                    }
                }
            }
        };
        let job = async {
            match fleet::fleet_job(settings, env).await? {
                Some(fj) => {
                    let replan = |s: &Settings| replan(s, inputs);
                    fleet::run(settings, env, plan, &fj, &replan, &current, on_cluster).await
                }
                None => {
                    let target = crate::cluster::connect_with(
                        &settings.connect_options(),
                        env,
                        plan.namespace.as_deref(),
                    )
                    .await?;
                    *current.lock().unwrap_or_else(|p| p.into_inner()) = Some(target.clone());
                    let placed = fleet::Placed {
                        settings: settings.clone(),
                        plan: plan.clone(),
                    };
                    on_cluster(target, std::sync::Arc::new(placed), None, false).await
                }
            }
        };
        tokio::pin!(job);
        let interrupted = async {
            let Ok((mut int, mut term)) = signals else {
                return std::future::pending().await;
            };
            use crate::outcome::{JobFailure::Interrupted, Signal};
            let code = tokio::select! {
                _ = int.recv() => exit::of(Interrupted(Signal::Int)),
                _ = term.recv() => exit::of(Interrupted(Signal::Term)),
            };
            // An attached session's terminal is put back before anything else is printed.
            crate::session::tty::restore();
            // A second signal exits at once.
            tokio::spawn(async move {
                crate::session::tty::restore();
                tokio::select! {
                    _ = int.recv() => std::process::exit(i32::from(exit::of(Interrupted(Signal::Int)))),
                    _ = term.recv() => std::process::exit(i32::from(exit::of(Interrupted(Signal::Term)))),
                }
            });
            code
        };
        let mut error = None;
        let code = tokio::select! {
            r = &mut job => {
                if let Err(e) = &r {
                    crate::report::error(e);
                    error = Some(e.message());
                    if e.is_submission_failure() {
                        let target = current.lock().unwrap_or_else(|p| p.into_inner()).clone();
                        submission_failed(settings, plan, target.as_ref(), e).await;
                    }
                }
                exit::code(&r.into())
            },
            code = interrupted => {
                let target = current.lock().unwrap_or_else(|p| p.into_inner()).clone();
                error = Some("interrupted".to_string());
                if settings.job().delete_on_interrupt && let Some(target) = target {
                    crate::report::warn("spark-k8s-cli: interrupted; deleting the job's pods");
                    let creating = crate::submit::CREATE_IN_FLIGHT.load(std::sync::atomic::Ordering::SeqCst);
                    crate::follow::delete_job_pods(&target, plan).await;
                    crate::queue::delete_ticket(&target, &plan.job_id).await;
                    if creating {
                        crate::follow::sweep_late_creates(&target, plan, std::time::Duration::from_secs(10)).await;
                    }
                }
                code
            }
        };
        crate::session::tty::restore();
        // Alerts still on their way get a bounded time; the exit code stays the job's.
        crate::alert::flush().await;
        let target = current.lock().unwrap_or_else(|p| p.into_inner()).clone();
        let cost = used.lock().unwrap_or_else(|p| p.into_inner()).take();
        let summary = output::summary(plan, target.as_ref(), code, error, cost);
        if let Some(data) = settings.report().output.data(&summary) {
            print_out(&data);
        }
        code
    })
}

/// `--status` as `-o json|yaml|wide` asks: the driver pods' rows.
fn print_status(output: crate::report::Format, rows: &[crate::jobs::StatusRow]) {
    let table = crate::jobs::status_table;
    print_out(&output.rows(rows, table, table));
}

/// Writes what was asked for on stdout (a closed pipe is let be).
fn print_out(text: &str) {
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
}

/// How this job alerts, from its settings.
fn alert_config(
    settings: &Settings,
    env: &Env,
    plan: &plan::JobPlan,
) -> crate::alert::deliver::Config {
    let alerts = settings.alerts();
    crate::alert::deliver::Config {
        sinks: alerts.sinks.clone(),
        links: alerts.links.clone(),
        flush: alerts.flush_timeout,
        rate_limit: alerts.rate_limit,
        state: crate::hoststate::path(env, "alerts.json"),
        driver_pod: plan.driver_pod_name.clone(),
    }
}

/// The submission failed for good (after retries and any failover): tell the sinks, and the
/// cluster it last tried.
async fn submission_failed(
    settings: &Settings,
    plan: &plan::JobPlan,
    target: Option<&crate::cluster::Target>,
    e: &crate::outcome::JobError,
) {
    use crate::events::{Event, Kind, Subject};
    let mut event = Event::new(Kind::SubmissionFailed, &plan.job_id, e.message());
    event.app_name = plan.app_name.clone();
    event.queue = settings.queue().name.clone();
    event.pods = vec![plan.submit_pod_name.clone()];
    match target {
        Some(t) => {
            event.cluster = t.cluster.clone();
            event.namespace = t.namespace.clone();
            event.subject = Some(Subject {
                api_version: "v1".into(),
                kind: "Pod".into(),
                name: plan.submit_pod_name.clone(),
            });
            crate::events::raise(t, &event).await;
        }
        None => crate::events::raise_local(&event),
    }
}

fn fail(e: &dyn std::fmt::Display) -> u8 {
    crate::report::error(e);
    exit::USAGE
}

/// Runs `work` to its exit code on a runtime of `workers` threads (0: this thread only); a
/// runtime that cannot start is an `Error:` line, exit 1.
fn block_on(workers: usize, work: impl std::future::Future<Output = u8>) -> u8 {
    let mut builder = if workers == 0 {
        tokio::runtime::Builder::new_current_thread()
    } else {
        let mut b = tokio::runtime::Builder::new_multi_thread();
        b.worker_threads(workers);
        b
    };
    match builder.enable_all().build() {
        Ok(runtime) => runtime.block_on(work),
        Err(e) => fail(&format!("cannot start the runtime: {e}")),
    }
}

/// `spark.k8scli.backend=operator`: the job as a Spark operator SparkApplication
/// (`plan::operator`, docs/operator.md). Only a dry run so far: without `--dry-run` the job is
/// refused before anything is created.
fn operator(settings: &Settings, env: &Env) -> u8 {
    let app = match operator_app(settings, env) {
        Ok(app) => app,
        Err(e) => return fail(&e),
    };
    if !settings.job().dry_run {
        return fail(&resolve::err_hint(
            "spark.k8scli.backend=operator can only dry-run so far: the launcher does not create SparkApplications yet. Nothing was created.",
            "Add --dry-run to print the SparkApplication (and apply it yourself), or use spark.k8scli.backend=submit.",
        ));
    }
    let yaml = output::operator_yaml(settings, &app, settings.args.show_secrets);
    if let Err(e) = std::io::stdout().lock().write_all(yaml.as_bytes())
        && e.kind() != std::io::ErrorKind::BrokenPipe
    {
        return fail(&resolve::err(format!("cannot write to stdout: {e}")));
    }
    crate::report::say("Dry run: nothing was created; the SparkApplication is on stdout.");
    exit::OK
}

/// The job planned as a submit pod would run it (pod templates read here), resolved as its
/// in-pod spark-submit would, then translated.
fn operator_app(
    settings: &Settings,
    env: &Env,
) -> Result<serde_json::Value, resolve::ResolveError> {
    let inputs = PlanInputs {
        templates_read_here: true,
        ..plan_inputs(settings, env)?
    };
    let plan = plan::plan(settings, &inputs)?;
    let templates = plan::direct::Files {
        driver_pod_template: local_template(settings, plan::deps::TEMPLATE_KEYS[0])?,
        executor_pod_template: local_template(settings, plan::deps::TEMPLATE_KEYS[1])?,
    };
    let argv = plan.effective_argv.get(1..).unwrap_or_default();
    let in_pod = prepare(
        SparkCommand::Submit,
        "spark-submit",
        argv,
        &Env::new(),
        &resolve::NoFiles,
    )
    .map_err(|e| resolve::err(e.stderr.trim()))?;
    plan::operator::make(settings, &plan, &in_pod, &templates)
}

/// Gathers what plan needs from the machine (clock, randomness, user, host, template file).
/// Returns the inputs too, so that the job can be planned again with a fleet member's overrides.
fn make_plan(
    settings: &Settings,
    env: &Env,
) -> Result<(plan::JobPlan, PlanInputs), resolve::ResolveError> {
    let inputs = plan_inputs(settings, env)?;
    let plan = go_direct(settings, plan::plan(settings, &inputs)?, &inputs)?;
    Ok((plan, inputs))
}

fn plan_inputs(settings: &Settings, env: &Env) -> Result<PlanInputs, resolve::ResolveError> {
    let pod_template = pod_template(settings)?;
    Ok(PlanInputs {
        random: random_u64(),
        epoch_millis: std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_millis() as u64)
            .unwrap_or(0),
        user: env
            .get("SPARK_USER")
            .or_else(|| env.get("USER"))
            .or_else(|| env.get("LOGNAME"))
            .cloned(),
        host: hostname(env),
        context_namespace: None,
        pod_template,
        local_files: look_up_local_files(settings),
        templates_read_here: false,
    })
}

/// The same job (same id, same files) planned with other settings: a fleet member's overrides.
fn replan(
    settings: &Settings,
    inputs: &PlanInputs,
) -> Result<plan::JobPlan, resolve::ResolveError> {
    let mut inputs = inputs.clone();
    inputs.pod_template = pod_template(settings)?;
    go_direct(settings, plan::plan(settings, &inputs)?, &inputs)
}

/// `submitMode=direct`: the job as the launcher itself submits it (`plan::direct_mode`),
/// resolved from the argv the submit pod's spark-submit would run, as that spark-submit would
/// resolve it (no environment, no files: the image's are not ours to read). A job direct mode
/// does not cover keeps its submit pod, and a line says why.
fn go_direct(
    settings: &Settings,
    plan: plan::JobPlan,
    inputs: &PlanInputs,
) -> Result<plan::JobPlan, resolve::ResolveError> {
    use plan::direct_mode;
    if settings.job().submit_mode != resolve::typed::SubmitMode::Direct {
        return Ok(plan);
    }
    let fallback = |plan: plan::JobPlan, why: &str| {
        crate::report::say(&format!(
            "spark-k8s-cli: job {}: direct submit does not cover {why}; submitting through a submit pod (spark.k8scli.submitMode=pod)",
            plan.job_id
        ));
        Ok(plan)
    };
    // Spark's spark-submit reads the pod templates where it runs: here. Planned so, they are
    // not shipped to the cluster and the properties keep the paths as written.
    let files = plan::direct::Files {
        driver_pod_template: local_template(settings, plan::deps::TEMPLATE_KEYS[0])?,
        executor_pod_template: local_template(settings, plan::deps::TEMPLATE_KEYS[1])?,
    };
    let pod_plan = plan;
    let plan = if files == plan::direct::Files::default() {
        pod_plan.clone()
    } else {
        let inputs = PlanInputs {
            templates_read_here: true,
            ..inputs.clone()
        };
        plan::plan(settings, &inputs)?
    };
    let fallback = |why: &str| fallback(pod_plan.clone(), why);
    if let Some(why) = direct_mode::why_not(settings, &plan) {
        return fallback(&why);
    }
    let release = match direct_mode::release(settings.spark_version()) {
        Ok(r) => r,
        Err(why) => return fallback(&why),
    };
    let argv = direct_argv(settings, &plan.effective_argv);
    let in_pod = match prepare(
        SparkCommand::Submit,
        "spark-submit",
        &argv,
        &Env::new(),
        &resolve::NoFiles,
    ) {
        Ok(s) => s,
        Err(e) => return fallback(e.stderr.trim()),
    };
    if let Some(why) = plan::direct::unsupported(&in_pod) {
        return fallback(&why);
    }
    // The seed differs from the job id's: the app id must not follow from the job id.
    let randoms = direct_mode::randoms(
        inputs.random.rotate_left(17) ^ 0x5bd1_e995,
        inputs.epoch_millis,
    );
    let user = inputs.user.clone().unwrap_or_else(|| "spark".into());
    match direct_mode::make(plan, in_pod, release, randoms, &user, files) {
        Ok(direct) => Ok(direct),
        // What the builder cannot make, the submit pod's spark-submit may (or says why not).
        Err(e) => fallback(
            e.to_string()
                .trim_start_matches("Direct submit does not cover ")
                .trim_end_matches('.'),
        ),
    }
}

/// The submit pod's argv (program path first) as spark-submit on this machine would have
/// it: the master as the user gave it and the keys of the submission's own credentials, which
/// the submit pod does without (Spark writes both into `spark.properties`, a token as
/// `<present_but_redacted>`: no credential is read here).
fn direct_argv(settings: &Settings, effective: &[String]) -> Vec<String> {
    let mut argv: Vec<String> = effective.get(1..).unwrap_or_default().to_vec();
    let given = settings
        .master
        .as_deref()
        .filter(|m| m.starts_with("k8s://"));
    if let (Some(master), Some(at)) = (given, argv.iter().position(|a| a == "--master"))
        && let Some(value) = argv.get_mut(at + 1)
    {
        *value = master.to_string();
    }
    let own = settings
        .spark_conf
        .iter()
        .filter(|(k, _)| k.starts_with("spark.kubernetes.authenticate.submission."));
    for (k, v) in own {
        let v = if k.ends_with(".oauthToken") {
            plan::direct::REDACTED_TOKEN
        } else {
            v.as_str()
        };
        argv.splice(0..0, ["--conf".to_string(), format!("{k}={v}")]);
    }
    argv
}

/// The text of the local pod template `key` names, if it names one on this machine.
fn local_template(settings: &Settings, key: &str) -> Result<Option<String>, resolve::ResolveError> {
    match settings.conf(key).map(str::trim) {
        Some(uri) if crate::naming::is_local_uri(uri) => {
            let path = crate::naming::local_path(uri);
            DiskFiles.read(path).map(Some).map_err(|e| {
                resolve::err(format!("{key}: the pod template {uri} cannot be read: {e}"))
            })
        }
        _ => Ok(None),
    }
}

fn pod_template(settings: &Settings) -> Result<Option<String>, resolve::ResolveError> {
    match settings.submit_pod().template_file.clone() {
        Some(path) => Ok(Some(DiskFiles.read(&path).map_err(|e| {
            resolve::err(format!("Submit pod template {path} cannot be read: {e}"))
        })?)),
        None => Ok(None),
    }
}

/// Finds every local file the job names (relative paths from the current directory).
fn look_up_local_files(settings: &Settings) -> BTreeMap<String, plan::deps::Lookup> {
    plan::deps::local_uris(settings)
        .into_iter()
        .map(|(uri, _)| {
            let path = std::path::Path::new(crate::naming::local_path(&uri));
            let found = std::path::absolute(path)
                .and_then(|abs| Ok((std::fs::metadata(&abs)?, abs)))
                .map_err(|e| e.to_string())
                .and_then(|(meta, abs)| {
                    if meta.is_dir() {
                        Err("a directory, not a file".to_string())
                    } else {
                        Ok(plan::deps::Found {
                            path: abs.to_string_lossy().into_owned(),
                            size: meta.len(),
                        })
                    }
                });
            (uri, found)
        })
        .collect()
}

/// Random bits without a dependency: std's hasher keys are seeded from the OS.
fn random_u64() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u64(std::process::id().into());
    h.finish()
}

fn hostname(env: &Env) -> Option<String> {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .or_else(|| env.get("HOSTNAME").cloned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tests::argv;

    #[test]
    fn multi_call_names() {
        for (name, cmd) in [
            ("/usr/bin/spark-submit", SparkCommand::Submit),
            ("spark3-submit", SparkCommand::Submit),
            ("spark-shell", SparkCommand::Shell),
            ("./pyspark", SparkCommand::PySpark),
            ("spark-sql", SparkCommand::Sql),
        ] {
            match invocation(&argv(&[name, "--version"])) {
                Invocation::Spark { command, args, .. } => {
                    assert_eq!(command, cmd);
                    assert_eq!(args, argv(&["--version"]));
                }
                other => panic!("{name}: {other:?}"),
            }
        }
    }

    #[test]
    fn subcommands_and_implicit_submit() {
        assert!(matches!(
            invocation(&argv(&["spark-k8s-cli", "--master", "k8s://x", "a.jar"])),
            Invocation::Spark {
                command: SparkCommand::Submit,
                ..
            }
        ));
        assert!(matches!(
            invocation(&argv(&["spark-k8s-cli", "shell"])),
            Invocation::Spark {
                command: SparkCommand::Shell,
                ..
            }
        ));
        match invocation(&argv(&[
            "spark-k8s-cli",
            "kill",
            "ns:pod",
            "--master",
            "k8s://h",
        ])) {
            Invocation::Spark { args, .. } => {
                assert_eq!(args, argv(&["--kill", "ns:pod", "--master", "k8s://h"]))
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(
            invocation(&argv(&["spark-k8s-cli"])),
            Invocation::TopHelp { no_args: true }
        );
        assert_eq!(
            invocation(&argv(&["spark-k8s-cli", "sumbit"])),
            Invocation::Unknown("sumbit".into())
        );
        assert_eq!(
            invocation(&argv(&["spark-k8s-cli", "completions", "bash"])),
            Invocation::Ours(argv(&["completions", "bash"]))
        );
    }
}
