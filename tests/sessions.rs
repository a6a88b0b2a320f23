//! Interactive sessions (`spark-shell`, `pyspark`, `spark-sql`) through the real binary against
//! kubesim: driven in tmux as a person would (send-keys, capture-pane), and with piped stdin,
//! `-e` and `-f` as scripts use them.

mod common;

use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

use common::home::{BIN, IMAGE};
use common::mode::Mode;
use common::sandbox::Sandbox;
use common::watch;
use kubesim::SimConfig;
use tokio::io::AsyncWriteExt;

/// A tmux server of its own, one pane running `argv` in the sandbox's environment, behind a
/// script that records `stty -a` before and after and the exit code, then prints
/// [`SCRIPT_DONE`]. A control-mode client (`tmux -C`) tells each time the pane writes
/// (`%output`), so a wait reads the screen again only when it changed.
struct Tmux {
    socket: String,
    /// Where its script writes `stty.before`, `exit.code`, `stty.after`.
    dir: PathBuf,
    /// How many `%output` notifications the control client has seen.
    outputs: tokio::sync::watch::Receiver<u64>,
    _control: tokio::process::Child,
}

/// What the pane's script prints once it has recorded the exit code and `stty -a`.
const SCRIPT_DONE: &str = "[session script done]";

impl Tmux {
    async fn start(env: &Sandbox, argv: &[String]) -> Tmux {
        // Each terminal of a test has its own files and tmux server.
        static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let dir = env.dir.join(format!("tty{n}"));
        std::fs::create_dir_all(&dir).unwrap();
        let script = env.write(
            &format!("tty{n}/run.sh"),
            "cd \"$(dirname \"$0\")\"\nstty -a > stty.before\n\"$@\"\necho $? > exit.code\nstty -a > stty.after\necho '[session script done]'\nexec sleep 3600\n",
        );
        let socket = format!(
            "sk8s-{}-{n}",
            env.dir.file_name().unwrap().to_string_lossy()
        );
        let mut c = env.command("tmux");
        c.args(["-L", &socket, "-f", "/dev/null", "new-session", "-d"])
            .args(["-x", "100", "-y", "30", "sh"])
            .arg(&script)
            .args(argv)
            .env("TERM", "xterm");
        let out = c.output().expect("tmux runs");
        assert!(out.status.success(), "tmux: {out:?}");
        let mut control = tokio::process::Command::new("tmux")
            .args(["-L", &socket, "-C", "attach", "-t", "0"])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .expect("tmux -C runs");
        let mut lines = tokio::io::AsyncBufReadExt::lines(tokio::io::BufReader::new(
            control.stdout.take().unwrap(),
        ));
        // Attached once the client says so; from then on no output goes untold.
        let attached = tokio::time::timeout(Duration::from_secs(60), async {
            while let Some(line) = lines.next_line().await.unwrap() {
                if line.starts_with("%session-changed") {
                    return;
                }
            }
            panic!("tmux -C ended before attaching");
        });
        attached.await.expect("tmux -C attaches");
        let (told, outputs) = tokio::sync::watch::channel(0u64);
        tokio::spawn(async move {
            while let Ok(Some(line)) = lines.next_line().await {
                if line.starts_with("%output") {
                    told.send_modify(|n| *n += 1);
                }
            }
        });
        Tmux {
            socket,
            dir,
            outputs,
            _control: control,
        }
    }

    fn tmux(&self, args: &[&str]) -> String {
        let out = Command::new("tmux")
            .args(["-L", &self.socket])
            .args(args)
            .output()
            .expect("tmux runs");
        assert!(out.status.success(), "tmux {args:?}: {out:?}");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn screen(&self) -> String {
        self.tmux(&["capture-pane", "-p", "-t", "0"])
    }

    /// Types `text` (literally) and, with `enter`, presses Enter.
    fn type_line(&self, text: &str) {
        self.tmux(&["send-keys", "-t", "0", "-l", text]);
        self.tmux(&["send-keys", "-t", "0", "Enter"]);
    }

    fn key(&self, key: &str) {
        self.tmux(&["send-keys", "-t", "0", key]);
    }

    /// Waits until the screen satisfies `pred` (at most a minute): the screen is read again
    /// each time the pane writes.
    async fn wait_screen(&self, what: &str, pred: impl Fn(&str) -> bool) -> String {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
        let mut outputs = self.outputs.clone();
        loop {
            outputs.borrow_and_update();
            let screen = self.screen();
            if pred(&screen) {
                return screen;
            }
            let changed = tokio::time::timeout_at(deadline, outputs.changed()).await;
            assert!(
                matches!(changed, Ok(Ok(()))),
                "waited a minute for {what}; the screen:\n{screen}"
            );
        }
    }

    /// Waits for the session's command to exit; its exit code.
    async fn exit_code(&self) -> i32 {
        self.wait_screen("the command to exit", |s| s.contains(SCRIPT_DONE))
            .await;
        std::fs::read_to_string(self.dir.join("exit.code"))
            .unwrap()
            .trim()
            .parse()
            .unwrap()
    }

    /// At pyspark's prompt: its application id (`sc.applicationId`), which names the shell.
    async fn app_id(&self) -> String {
        self.wait_screen("the prompt", |s| last_line(s).starts_with(">>>"))
            .await;
        self.type_line("sc.applicationId");
        let screen = self
            .wait_screen("the application id", |s| s.contains("'spark-"))
            .await;
        let line = screen.lines().find(|l| l.starts_with("'spark-")).unwrap();
        line.to_string()
    }

    /// The session's command exited with `code`, the terminal's modes are as they were, and
    /// nothing of the session is left in the cluster.
    async fn ended(&self, env: &Sandbox, code: i32) {
        assert_eq!(self.exit_code().await, code, "{}", self.screen());
        assert_eq!(self.stty("before"), self.stty("after"));
        nothing_left(env).await;
    }

    /// `stty -a` as the script recorded it `when` (`before`, `after`), but for its first line's
    /// rows and columns: a resize during the session changes those, not the modes.
    fn stty(&self, when: &str) -> String {
        let all = std::fs::read_to_string(self.dir.join(format!("stty.{when}"))).unwrap();
        let (first, modes) = all.split_once('\n').unwrap();
        let speed = first.split(';').next().unwrap_or_default();
        format!("{speed}\n{modes}")
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["-L", &self.socket, "kill-server"])
            .output();
    }
}

/// The launcher as `shell` (`spark-shell`, `pyspark`, `spark-sql`): by the name it is installed
/// under (a link, as `install.sh --with-spark-aliases` makes), so argv[0] picks the shell.
fn session_argv(env: &Sandbox, shell: &str, extra: &[&str]) -> Vec<String> {
    let link = env.dir.join(shell);
    if !link.exists() {
        std::os::unix::fs::symlink(BIN, &link).unwrap();
    }
    let mut a = vec![
        link.to_string_lossy().into_owned(),
        "--master".into(),
        env.master.clone().unwrap(),
        "--conf".into(),
        format!("spark.kubernetes.container.image={IMAGE}"),
    ];
    a.extend(extra.iter().map(|s| s.to_string()));
    a
}

/// The last non-empty line of the screen.
fn last_line(screen: &str) -> &str {
    screen
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("")
}

/// Nothing of the session is left: no pod, no Service.
async fn nothing_left(env: &Sandbox) {
    let selector = "app.kubernetes.io/component=session";
    env.wait_gone(selector).await;
    let services = watch::list(&env.sim.clusters[0], "services", selector);
    assert!(services.is_empty(), "services left: {services:#?}");
}

struct Shell {
    name: &'static str,
    prompt: &'static str,
    /// An expression and what it prints.
    eval: (&'static str, &'static str),
    /// A statement that shows the terminal's size, and what it shows at 90 columns, 25 lines.
    size: Option<(&'static str, &'static str)>,
    /// A statement that prepares, one that runs until interrupted, and what Ctrl-C prints.
    long: Option<(&'static str, &'static str, &'static str)>,
}

async fn drive(shell: Shell) {
    drive_on(shell, SimConfig::default()).await;
}

/// [`drive`] against a kubesim set up as `config`; the sandbox, for what it counted.
async fn drive_on(shell: Shell, config: SimConfig) -> Sandbox {
    let env = Sandbox::start(Mode::Client, shell.name, config).await;
    let tmux = Tmux::start(&env, &session_argv(&env, shell.name, &[])).await;
    // The banner (the gate held the shell until the launcher attached) and the prompt.
    tmux.wait_screen("the banner and the prompt", |s| {
        s.contains("available as 'spark'") && last_line(s).starts_with(shell.prompt.trim_end())
    })
    .await;
    // An expression is evaluated.
    tmux.type_line(shell.eval.0);
    tmux.wait_screen("the expression's value", |s| {
        s.contains(shell.eval.1) && last_line(s).starts_with(shell.prompt.trim_end())
    })
    .await;
    // A resize reaches the pod.
    if let Some((statement, shows)) = shell.size {
        tmux.tmux(&["resize-window", "-t", "0", "-x", "90", "-y", "25"]);
        tmux.type_line(statement);
        tmux.wait_screen("the new size", |s| s.contains(shows))
            .await;
    }
    // Ctrl-C interrupts a running statement, and the session goes on.
    if let Some((prepare, statement, interrupted)) = shell.long {
        tmux.type_line(prepare);
        tmux.type_line(statement);
        tmux.wait_screen("the long statement to start", |s| {
            last_line(s).contains(statement)
        })
        .await;
        // The terminal echoes the statement before the shell reads it: a Ctrl-C before its
        // Spark job runs would find none to cancel (seen on a loaded machine).
        if shell.name == "spark-shell" {
            let started = env.sim.clusters[0].uis.job_running();
            tokio::time::timeout(common::home::HUNG, started)
                .await
                .expect("the statement's Spark job runs");
        }
        tmux.key("C-c");
        tmux.wait_screen("the interruption and a prompt", |s| {
            s.contains(interrupted) && last_line(s).starts_with(shell.prompt.trim_end())
        })
        .await;
        tmux.type_line("40+2");
        tmux.wait_screen("the session to go on", |s| s.contains("42"))
            .await;
    }
    // Ctrl-D ends it with exit 0, the terminal as it was, nothing left in the cluster.
    tmux.key("C-d");
    tmux.ended(&env, 0).await;
    env
}

fn pyspark() -> Shell {
    Shell {
        name: "pyspark",
        prompt: ">>> ",
        eval: ("spark.range(10).count()", "\n10\n"),
        size: Some((
            // pyspark's shell.py has imported os.
            "os.get_terminal_size()",
            "os.terminal_size(columns=90, lines=25)",
        )),
        long: Some(("import time", "time.sleep(600)", "KeyboardInterrupt")),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pyspark_in_a_terminal() {
    let env = drive_on(pyspark(), SimConfig::default()).await;
    assert!(attached_over(&env, "v5.channel.k8s.io"));
}

/// An API server before 1.30 serves attach in `v4.channel.k8s.io` only (no stdin close signal,
/// which a session never needs: it ends its input with Ctrl-D): the launcher falls back to it
/// and the session is the same, resize and Ctrl-C included.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_falls_back_to_v4_on_an_api_server_before_1_30() {
    let config = SimConfig {
        v4_streams_only: true,
        ..SimConfig::default()
    };
    let env = drive_on(pyspark(), config).await;
    assert!(attached_over(&env, "v4.channel.k8s.io"));
    assert!(!attached_over(&env, "v5.channel.k8s.io"));
}

/// Whether kubesim served an attach or exec stream in `protocol`.
fn attached_over(env: &Sandbox, protocol: &str) -> bool {
    env.sim.clusters[0]
        .counters()
        .contains_key(&format!("stream {protocol}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn spark_shell_in_a_terminal() {
    drive(Shell {
        name: "spark-shell",
        prompt: "scala> ",
        eval: ("1 + 1", "= 2"),
        size: None,
        // Spark 4's spark-shell ends on a SIGINT: the launcher kills the running job through
        // the driver's web UI instead (`src/session/cancel.rs`), and the REPL shows the job's
        // failure as it does for a kill link.
        long: Some((
            "val big = 100000000000000L",
            "spark.range(big).count()",
            "[SPARK_JOB_CANCELLED] Job 0 cancelled killed via Web UI",
        )),
    })
    .await;
}

/// A Ctrl-C with no Spark job to cancel (here during `Thread.sleep`) says so, and reaches
/// spark-shell only when pressed again, nothing typed between: then spark-shell ends on it as
/// Spark 4's does (JLine 3 puts SIGINT back to its default during a statement; `bin/spark-shell`
/// exits 127: `docs/kubesim.md`), and the launcher ends with it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_ctrl_c_ends_spark_shell_as_spark_does() {
    let env = Sandbox::start(Mode::Client, "spark-shell-int", SimConfig::default()).await;
    let tmux = Tmux::start(&env, &session_argv(&env, "spark-shell", &[])).await;
    tmux.wait_screen("the prompt", |s| last_line(s).starts_with("scala>"))
        .await;
    tmux.type_line("Thread.sleep(600000)");
    tmux.wait_screen("the statement to start", |s| {
        last_line(s).contains("Thread.sleep")
    })
    .await;
    tmux.key("C-c");
    tmux.wait_screen("the launcher to say no job runs", |s| {
        s.contains("Ctrl-C: no Spark job is running; press Ctrl-C again to end spark-shell")
    })
    .await;
    tmux.key("C-c");
    tmux.ended(&env, 127).await;
}

/// Runs `shell` with `stdin` piped in; (exit code, stdout, stderr).
async fn piped(env: &Sandbox, shell: &str, extra: &[&str], stdin: &str) -> (i32, String, String) {
    let argv = session_argv(env, shell, extra);
    let mut c = tokio::process::Command::from(env.command(&argv[0]));
    c.args(&argv[1..]);
    c.stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let mut child = c.spawn().unwrap();
    let mut input = child.stdin.take().unwrap();
    input.write_all(stdin.as_bytes()).await.unwrap();
    drop(input);
    let out = tokio::time::timeout(common::home::HUNG, child.wait_with_output())
        .await
        .expect("the session ends")
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Runs `shell` with `stdin` piped in, checks it exits with `code`; its stdout.
async fn piped_exits(env: &Sandbox, shell: &str, extra: &[&str], stdin: &str, code: i32) -> String {
    let (got, out, err) = piped(env, shell, extra, stdin).await;
    assert_eq!(got, code, "{shell} {extra:?}:\n{out}\n{err}");
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn piped_stdin_returns_the_output_and_the_exit_code() {
    let env = Sandbox::start(Mode::Client, "piped", SimConfig::default()).await;
    let out = piped_exits(&env, "pyspark", &[], "spark.range(7).count()\n1+1\n", 0).await;
    // The REPL's transcript: the input echoed by the pod's terminal, the prompts, the values.
    let lines: Vec<&str> = out
        .lines()
        .map(|l| l.trim_start_matches(">>> ").trim())
        .collect();
    assert!(lines.contains(&"7") && lines.contains(&"2"), "{out}");
    assert!(
        !out.contains('\r'),
        "plain newlines when stdout is not a terminal: {out:?}"
    );
    // The shell's own exit code is the command's.
    piped_exits(&env, "pyspark", &[], "import sys\nsys.exit(3)\n", 3).await;
    let out = piped_exits(&env, "spark-shell", &[], "6 * 7", 0).await;
    assert!(out.contains("42"), "{out}");
    nothing_left(&env).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn spark_sql_e_and_f_return_the_output_and_the_exit_code() {
    let env = Sandbox::start(Mode::Client, "sql", SimConfig::default()).await;
    let out = piped_exits(&env, "spark-sql", &["-e", "SELECT 1 + 1, 'x';"], "", 0).await;
    assert!(out.contains("2\tx"), "{out}");
    piped_exits(&env, "spark-sql", &["-e", "SELEC oops;"], "", 1).await;
    // A local file reaches the pod.
    let file = env.write("q.sql", "SELECT 40 + 2;\n");
    let out = piped_exits(&env, "spark-sql", &["-f", file.to_str().unwrap()], "", 0).await;
    assert!(out.contains("42"), "{out}");
    nothing_left(&env).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cut_connection_attaches_again_and_the_session_goes_on() {
    let env = Sandbox::start(Mode::Client, "cut", SimConfig::default()).await;
    let tmux = Tmux::start(&env, &session_argv(&env, "pyspark", &[])).await;
    let app_id = tmux.app_id().await;
    // The API server goes away (open connections cut), then comes back.
    let faults = &env.sim.clusters[0].faults;
    faults.down.send_replace(true);
    tmux.wait_screen("the launcher to notice", |s| s.contains("attaching again"))
        .await;
    faults.down.send_replace(false);
    tmux.wait_screen("the re-attach", |s| s.contains("attached again"))
        .await;
    // The same shell: the same application.
    tmux.type_line("sc.applicationId");
    tmux.wait_screen("the same application id", |s| {
        s.matches(&app_id).count() == 2
    })
    .await;
    tmux.key("C-d");
    tmux.ended(&env, 0).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_launcher_leaves_a_session_that_attach_rejoins_and_the_idle_timeout_ends() {
    let env = Sandbox::start(Mode::Client, "rejoin", SimConfig::default()).await;
    // Idle for 8 s ends the session, with a warning 4 s before; the settings travel with the
    // session to whichever launcher attaches.
    let idle = [
        "--conf",
        "spark.k8scli.sessionIdleTimeout=8s",
        "--conf",
        "spark.k8scli.sessionIdleWarning=4s",
    ];
    let first = Tmux::start(&env, &session_argv(&env, "pyspark", &idle)).await;
    let app_id = first.app_id().await;
    // SIGKILL: nothing is cleaned up, the session's pod runs on.
    let launcher = env.dir.join("pyspark");
    let pid = std::fs::read_dir("/proc")
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .find(|pid| {
            let argv = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
            argv.split(|b| *b == 0).next() == Some(launcher.as_os_str().as_encoded_bytes())
        })
        .expect("the launcher runs");
    let killed = Command::new("kill")
        .args(["-KILL", &pid.to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    assert_eq!(first.exit_code().await, 137);
    let running = env.pods("app.kubernetes.io/component=session");
    assert_eq!(running.len(), 1, "{running:#?}");
    let job = running[0]["metadata"]["labels"]["spark-k8s-cli/job-id"]
        .as_str()
        .unwrap()
        .to_string();
    // `sessions` lists it, with who started it and how long it has been idle.
    let master = env.master.clone().unwrap();
    let out = env
        .cli(&["sessions", "--master", &master])
        .output()
        .unwrap();
    let listed = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{out:?}");
    assert!(
        listed.contains(&job) && listed.contains("Running"),
        "{listed}"
    );
    // `attach` joins the same shell.
    let again = Tmux::start(
        &env,
        &[
            BIN.to_string(),
            "attach".into(),
            job.clone(),
            "--master".into(),
            master,
        ],
    )
    .await;
    again
        .wait_screen("the prompt again", |s| last_line(s).starts_with(">>>"))
        .await;
    again.type_line("sc.applicationId");
    again
        .wait_screen("the same application", |s| s.contains(&app_id))
        .await;
    // Left alone, it is warned, then ended (exit 6, as a run timeout), and its pod goes.
    again
        .wait_screen("the idle warning", |s| s.contains("it ends in"))
        .await;
    assert_eq!(again.exit_code().await, 6, "{}", again.screen());
    assert!(
        again.screen().contains("was idle for 8 s"),
        "{}",
        again.screen()
    );
    assert_eq!(again.stty("before"), again.stty("after"));
    nothing_left(&env).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_on_a_full_quota_waits_its_turn_then_starts() {
    // Room for one of the usual client-mode jobs (2 cpu: the driver and one executor).
    let env = common::burst::sandbox(Mode::Client, "session-queue", &[("requests.cpu", "2")]).await;
    let batch = env
        .spark_pi()
        .name("first")
        .conf("spark.executor.instances=1")
        .driver_seconds(3.0)
        .spawn_quiet();
    env.wait_pod("spark-role=driver", |p| p["status"]["phase"] == "Running")
        .await;
    // The session needs the same room: it waits in the queue, then starts once the job ends.
    let (code, out, err) = piped(
        &env,
        "pyspark",
        &["--conf", "spark.executor.instances=1"],
        "spark.range(7).count()\n",
    )
    .await;
    assert_eq!(code, 0, "{out}\n{err}");
    assert!(err.contains("queued in default, 0 ahead"), "{err}");
    assert!(
        out.lines()
            .any(|l| l.trim_start_matches(">>> ").trim() == "7"),
        "{out}"
    );
    let batch = common::home::finish(batch).await;
    assert_eq!(batch.status.code(), Some(0));
    nothing_left(&env).await;
}
