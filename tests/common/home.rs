//! The sandbox without a cluster: a directory of its own that is the launcher's HOME (its
//! kubeconfig, its launcher config at the default place, the host state under `.local`),
//! removed on drop; the environment every command of a test gets (nothing of the machine's but
//! PATH); and the `spark_pi()` builder of a job's command line. [`super::sandbox::Sandbox`]
//! adds kubesim.

use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use super::mode::Mode;

/// The launcher binary of this build (the release one under `cargo bench`).
pub const BIN: &str = env!("CARGO_BIN_EXE_spark-k8s-cli");

/// The image every job of the tests names.
pub const IMAGE: &str = "apache/spark:4.0.0";
/// SparkPi, as Spark's examples run it on Kubernetes.
pub const SPARK_PI_CLASS: &str = "org.apache.spark.examples.SparkPi";
pub const SPARK_PI_JAR: &str = "local:///opt/spark/examples/jars/spark-examples.jar";

/// How long a launcher may take in these tests before it counts as hung.
pub const HUNG: Duration = Duration::from_secs(180);

/// A HOME of its own for the launcher, removed on drop.
pub struct Home {
    pub dir: PathBuf,
    /// The deploy mode of the jobs [`Home::spark_pi`] builds.
    pub mode: Mode,
    /// `--master` of the jobs [`Home::spark_pi`] builds; `None`: none is given (the launcher
    /// config's fleet, or the kubeconfig, decides).
    pub master: Option<String>,
}

impl Home {
    /// A cluster-mode home.
    pub fn new(name: &str) -> Home {
        Home::in_mode(Mode::Cluster, name)
    }

    /// A home for jobs in `mode`; `name` only makes the directory easy to find.
    pub fn in_mode(mode: Mode, name: &str) -> Home {
        // Unique in the process, so that tests running at once never share a home.
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "sk8s-{}-{}-{}",
            mode.tag(name),
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Home {
            dir,
            mode,
            master: None,
        }
    }

    /// The kubeconfig the launcher is given (`KUBECONFIG`), once written.
    pub fn kubeconfig(&self) -> PathBuf {
        self.dir.join("kubeconfig")
    }

    /// The launcher config where the launcher looks by default (`~/.config/spark-k8s-cli`).
    pub fn config_file(&self) -> PathBuf {
        self.dir.join(".config/spark-k8s-cli/config.yaml")
    }

    /// Writes the launcher config (see [`Home::config_file`]).
    pub fn write_config(&self, yaml: &str) -> PathBuf {
        self.write(".config/spark-k8s-cli/config.yaml", yaml)
    }

    /// Writes `bytes` to `path` under the home (directories made as needed); its full path.
    pub fn write(&self, path: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let file = self.dir.join(path);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(&file, bytes).unwrap();
        file
    }

    /// `program` with the home's environment and nothing of the machine's but PATH: HOME, and
    /// KUBECONFIG once a kubeconfig is written. It runs in the home, stdin closed.
    pub fn command(&self, program: impl AsRef<OsStr>) -> Command {
        let mut c = Command::new(program);
        c.env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("HOME", &self.dir)
            .current_dir(&self.dir)
            .stdin(Stdio::null());
        if self.kubeconfig().exists() {
            c.env("KUBECONFIG", self.kubeconfig());
        }
        // The tests of the submit pod's path name it: direct submit is the default, and its own
        // tests (`direct_mode.rs`, `direct_resilience.rs`, `direct_golden.rs`, `airflow.rs`'s
        // third variant, `the_default_is_direct`) ask for it with the property, which wins.
        c.env("SPARK_K8S_CLI_SUBMIT_MODE", "pod");
        c
    }

    /// The launcher with `args` (one of our own commands, or any command line).
    pub fn cli(&self, args: &[&str]) -> Command {
        let mut c = self.command(BIN);
        c.args(args);
        c
    }

    /// The SparkPi job of Spark's examples in this home's deploy mode, with the image set
    /// and `--master` as the home says; change it with the builder's methods.
    pub fn spark_pi(&self) -> SparkPi<'_> {
        SparkPi {
            home: self,
            program: BIN.into(),
            dry_run: false,
            master: self.master.clone(),
            name: None,
            class: Some(SPARK_PI_CLASS.into()),
            options: Vec::new(),
            resource: SPARK_PI_JAR.into(),
            app_args: Vec::new(),
        }
    }
}

impl Drop for Home {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// A job's command line: `[--dry-run] [--master M] --deploy-mode MODE [--name N] [--class C]
/// --conf spark.kubernetes.container.image=IMAGE [options] RESOURCE [app args]`. Options come
/// after the image, so a `--conf` given here wins over it (the last one wins, as in Spark).
#[derive(Clone)]
pub struct SparkPi<'a> {
    home: &'a Home,
    program: OsString,
    dry_run: bool,
    master: Option<String>,
    name: Option<String>,
    class: Option<String>,
    options: Vec<String>,
    resource: String,
    app_args: Vec<String>,
}

impl SparkPi<'_> {
    /// Another program given the same command line (a build of the launcher, spark-submit).
    pub fn program(mut self, program: impl Into<OsString>) -> Self {
        self.program = program.into();
        self
    }

    pub fn dry_run(mut self) -> Self {
        self.dry_run = true;
        self
    }

    pub fn master(mut self, master: impl Into<String>) -> Self {
        self.master = Some(master.into());
        self
    }

    pub fn name(mut self, name: &str) -> Self {
        self.name = Some(name.into());
        self
    }

    pub fn class(mut self, class: &str) -> Self {
        self.class = Some(class.into());
        self
    }

    /// No `--class` (a jar's manifest names it, or a Python application).
    pub fn no_class(mut self) -> Self {
        self.class = None;
        self
    }

    /// The application resource in place of SparkPi's jar: a URI or a path.
    pub fn resource(mut self, resource: impl AsRef<Path>) -> Self {
        let resource = resource.as_ref();
        self.resource = resource.to_str().expect("a UTF-8 resource").into();
        self
    }

    /// `--conf KEY=VALUE`.
    pub fn conf(self, key_value: &str) -> Self {
        self.args(["--conf", key_value])
    }

    /// `--conf spark.k8scli.jobId=JOB`.
    pub fn job(self, job: &str) -> Self {
        self.conf(&format!("spark.k8scli.jobId={job}"))
    }

    /// `--conf spark.kubesim.driver.durationSeconds=SECONDS`: how long kubesim's driver runs.
    pub fn driver_seconds(self, seconds: f64) -> Self {
        self.conf(&format!("spark.kubesim.driver.durationSeconds={seconds}"))
    }

    /// Options as they are given, before the resource.
    pub fn args<S: AsRef<str>>(mut self, args: impl IntoIterator<Item = S>) -> Self {
        self.options
            .extend(args.into_iter().map(|a| a.as_ref().to_string()));
        self
    }

    /// The application's own arguments, after the resource.
    pub fn app_args(mut self, args: &[&str]) -> Self {
        self.app_args.extend(args.iter().map(|a| a.to_string()));
        self
    }

    /// The arguments, without the program.
    pub fn argv(&self) -> Vec<String> {
        let mut a: Vec<String> = Vec::new();
        if self.dry_run {
            a.push("--dry-run".into());
        }
        if let Some(m) = &self.master {
            a.extend(["--master".into(), m.clone()]);
        }
        a.extend(["--deploy-mode".into(), self.home.mode.flag().into()]);
        if let Some(n) = &self.name {
            a.extend(["--name".into(), n.clone()]);
        }
        if let Some(c) = &self.class {
            a.extend(["--class".into(), c.clone()]);
        }
        a.extend([
            "--conf".into(),
            format!("spark.kubernetes.container.image={IMAGE}"),
        ]);
        a.extend(self.options.iter().cloned());
        a.push(self.resource.clone());
        a.extend(self.app_args.iter().cloned());
        a
    }

    /// The command in the home's environment, its stdout and stderr piped.
    pub fn command(&self) -> Command {
        let mut c = self.home.command(&self.program);
        c.args(self.argv())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        c
    }

    pub fn spawn(&self) -> Child {
        self.command().spawn().unwrap()
    }

    /// Starts the job with its stdout dropped and its stderr piped (what
    /// `burst::wait_all` reads).
    pub fn spawn_quiet(&self) -> Child {
        self.command().stdout(Stdio::null()).spawn().unwrap()
    }

    /// Runs the job to its end (at most [`HUNG`]).
    pub async fn run(&self) -> Output {
        output(self.command()).await
    }

    /// Runs the job to its end and asserts its exit code; its stdout and stderr.
    pub async fn exits(&self, code: i32) -> (String, String) {
        exited(&self.run().await, code)
    }

    /// Runs the job to its end and asserts its exit code and that its stderr says `part`; its
    /// stdout and stderr.
    pub async fn exits_saying(&self, code: i32, part: &str) -> (String, String) {
        let (stdout, stderr) = self.exits(code).await;
        assert_holds(&stderr, &[part]);
        (stdout, stderr)
    }
}

/// Runs `c` to its end with stdout and stderr piped (at most [`HUNG`]).
pub async fn output(mut c: Command) -> Output {
    c.stdout(Stdio::piped()).stderr(Stdio::piped());
    finish(c.spawn().unwrap()).await
}

/// Waits for a launcher to end; one that does not end within [`HUNG`] is killed and the test
/// fails (a hang is a failure, not a test that never ends).
pub async fn finish(child: Child) -> Output {
    let pid = child.id().to_string();
    let waited = tokio::task::spawn_blocking(move || child.wait_with_output().unwrap());
    match tokio::time::timeout(HUNG, waited).await {
        Ok(out) => out.unwrap(),
        Err(_) => {
            let _ = Command::new("kill").args(["-KILL", &pid]).status();
            panic!(
                "the launcher (pid {pid}) did not end within {} s",
                HUNG.as_secs()
            );
        }
    }
}

/// The launcher with an empty environment and a HOME that does not exist: no kubeconfig, no
/// config, nothing it could reach a cluster with.
pub fn homeless(args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .env_clear()
        .env("HOME", "/nonexistent")
        .output()
        .unwrap()
}

/// Asserts that a process ended with exit `code`; its stdout and stderr.
pub fn exited(out: &Output, code: i32) -> (String, String) {
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert_eq!(out.status.code(), Some(code), "{stdout}\n{stderr}");
    (stdout, stderr)
}

/// Asserts that `text` (a command's output) holds each of `parts`.
pub fn assert_holds<S: AsRef<str>>(text: &str, parts: &[S]) {
    for part in parts {
        let part = part.as_ref();
        assert!(text.contains(part), "{part:?} is not in:\n{text}");
    }
}

pub fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}
