//! What a container "runs": chosen from its command and args. Spark's spark-submit (cluster and
//! client mode), driver and executor are emulated as Spark 4 behaves on the wire; `sh -c` runs a
//! tiny shell (`echo`, `sleep`, `exit`); anything else runs until its pod is deleted. Spark programs talk to
//! the API through the same handlers as any client, so quota and validation apply to them too.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use serde_json::{Value, json};
use tokio::sync::watch;

use crate::api::{self, Reply, Request};
use crate::cluster::Cluster;
use crate::status::ApiError;

/// How a container ended.
#[derive(Clone, Debug)]
pub struct Exit {
    pub code: i32,
    pub reason: &'static str,
    pub message: Option<String>,
}

impl Exit {
    pub(crate) fn code(code: i32) -> Exit {
        Exit {
            code,
            reason: if code == 0 { "Completed" } else { "Error" },
            message: None,
        }
    }
}

/// What a program gets.
pub struct ProgramCtx {
    pub cluster: Arc<Cluster>,
    pub pod: Value,
    pub container: Value,
    pub env: BTreeMap<String, String>,
    pub log_key: (String, String, String),
    /// Turns true when the pod is being deleted.
    pub stop: watch::Receiver<bool>,
    /// The container's stdin, when its spec opens one (`stdin: true`).
    pub stdin: Option<crate::stdio::Input>,
    /// The realistic latency profile, when in use (`None`: instant).
    pub latency: Option<Arc<crate::latency::Latency>>,
}

impl ProgramCtx {
    pub(crate) fn log(&self, line: impl Into<String>) {
        self.cluster.logs.push(&self.log_key, line);
    }

    /// A Spark log4j line: `yy/MM/dd HH:mm:ss LEVEL Logger: message`.
    pub(crate) fn spark_log(&self, level: &str, logger: &str, msg: &str) {
        let lines = spark_log_lines(level, logger, msg);
        self.cluster.logs.push_lines(&self.log_key, lines);
    }

    /// Whether the container has a terminal (`tty: true`).
    pub(crate) fn tty(&self) -> bool {
        self.container.get("tty") == Some(&Value::Bool(true))
    }

    pub(crate) fn ns(&self) -> String {
        self.pod
            .pointer("/metadata/namespace")
            .and_then(Value::as_str)
            .unwrap_or("default")
            .to_string()
    }

    /// The identity the pod's API calls carry: its service account (the admission sets
    /// `default` when the spec names none), as the token mounted from it authenticates.
    pub(crate) fn user(&self) -> crate::rbac::User {
        let sa = self
            .pod
            .pointer("/spec/serviceAccountName")
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .unwrap_or("default");
        crate::rbac::User::service_account(&self.ns(), sa)
    }

    /// The authorisation of a request this program makes without going through the handlers
    /// (its watches and reads are served from the store directly): the 403 when it is denied.
    pub(crate) fn authorize(&self, method: &str, path: &str) -> Result<(), ApiError> {
        let (path, query) = path.split_once('?').unwrap_or((path, ""));
        api::authorize(
            &self.cluster,
            &Request {
                method: method.into(),
                path: path.into(),
                query: api::parse_query(query),
                user: Some(self.user()),
                ..Default::default()
            },
        )
    }

    /// One API call through the same handlers as the wire (no HTTP).
    fn call(
        &self,
        method: &str,
        path: &str,
        content_type: &str,
        body: Option<&Value>,
    ) -> Result<Value, ApiError> {
        let (verb, resource) = api::classify(&Request {
            method: method.into(),
            path: path.into(),
            ..Default::default()
        });
        // Counted apart from clients' requests, so benchmarks can tell the launcher's cost.
        self.cluster
            .count(verb, &format!("{resource} (in-cluster)"));
        if method == "POST" && resource == "pods" {
            // In-cluster clients meet the quota lock too: injected, or lost to a racing create.
            let ns = self.ns();
            let concurrent = self.cluster.begin_create(&ns);
            let lost = self.cluster.faults.take_quota_conflict(&ns)
                || self.cluster.faults.quota_conflict(concurrent);
            self.cluster.end_create(&ns);
            if lost && let Some(q) = self.cluster.quota_name(&ns) {
                return Err(crate::status::conflict("", "resourcequotas", &q));
            }
        }
        let (path, query) = path.split_once('?').unwrap_or((path, ""));
        let req = Request {
            method: method.into(),
            path: path.into(),
            query: api::parse_query(query),
            content_type: content_type.into(),
            body: body
                .map(|b| serde_json::to_vec(b).unwrap_or_default())
                .unwrap_or_default(),
            user_agent: "fabric8-kubernetes-client/7.3.1".into(),
            user: Some(self.user()),
            ..Default::default()
        };
        api::authorize(&self.cluster, &req)?;
        match api::handle(&self.cluster, &req) {
            Reply::Json(code, v) if code < 300 => Ok(v),
            Reply::Json(code, v) => Err(ApiError { code, body: v }),
            _ => Err(crate::status::internal("unexpected reply")),
        }
    }

    /// Where this program's random ids (app id, resource name prefixes) come from: the store's
    /// resourceVersion and the pod's uid. The resourceVersion alone gave two spark-submits that
    /// started between the same two writes the same app id, config map, service and executor
    /// names; Spark draws them at random (`UUID.randomUUID`, `KubernetesUtils.uniqueID`).
    pub(crate) fn id_seed(&self) -> u64 {
        let uid = self
            .pod
            .pointer("/metadata/uid")
            .and_then(Value::as_str)
            .unwrap_or_default();
        self.cluster.store.resource_version() ^ crate::files::fnv1a64(uid.as_bytes())
    }

    /// Sleeps unless the pod is deleted first (then `false`).
    pub(crate) async fn sleep(&mut self, d: Duration) -> bool {
        tokio::select! {
            _ = tokio::time::sleep(d) => true,
            _ = self.stop.wait_for(|s| *s) => false,
        }
    }
}

/// The lines of one Spark log4j message (`yy/MM/dd HH:mm:ss LEVEL Logger: message`, then any
/// further lines of the message as they are).
fn spark_log_lines(level: &str, logger: &str, msg: &str) -> Vec<String> {
    let ts = crate::store::now();
    // 2026-11-27T02:23:55Z → 26/11/27 02:23:55
    let stamp = format!("{}/{}/{} {}", &ts[2..4], &ts[5..7], &ts[8..10], &ts[11..19]);
    msg.split('\n')
        .enumerate()
        .map(|(i, line)| {
            if i == 0 {
                format!("{stamp} {level} {logger}: {line}")
            } else {
                line.to_string()
            }
        })
        .collect()
}

/// Decodes standard base64 (Secret data) as text.
pub fn b64_decode(s: &str) -> String {
    String::from_utf8_lossy(&b64_decode_bytes(s)).into_owned()
}

/// Decodes standard base64 (Secret data).
pub fn b64_decode_bytes(s: &str) -> Vec<u8> {
    let mut bits = 0u32;
    let mut n = 0;
    let mut out = Vec::new();
    for c in s.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => continue,
        };
        bits = (bits << 6) | u32::from(v);
        n += 6;
        if n >= 8 {
            n -= 8;
            out.push((bits >> n) as u8);
        }
    }
    out
}

/// The container's argv: command + args, with `$(VAR)` expanded as the kubelet does.
fn argv(ctx: &ProgramCtx) -> Vec<String> {
    let list = |k: &str| -> Vec<String> {
        ctx.container
            .get(k)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|v| v.as_str().map(expand_env(&ctx.env)))
            .collect()
    };
    let mut v = list("command");
    v.extend(list("args"));
    v
}

fn expand_env(env: &BTreeMap<String, String>) -> impl Fn(&str) -> String + '_ {
    move |s: &str| {
        let b = s.as_bytes();
        let mut out = String::new();
        let mut i = 0;
        while i < b.len() {
            if b[i] == b'$' && i + 1 < b.len() {
                if b[i + 1] == b'$' {
                    out.push('$');
                    i += 2;
                    continue;
                }
                if b[i + 1] == b'('
                    && let Some(close) = s[i + 2..].find(')')
                {
                    let name = &s[i + 2..i + 2 + close];
                    match env.get(name) {
                        Some(v) => out.push_str(v),
                        None => out.push_str(&s[i..i + 3 + close]),
                    }
                    i += 3 + close;
                    continue;
                }
            }
            let ch = s[i..].chars().next().expect("in bounds");
            out.push(ch);
            i += ch.len_utf8();
        }
        out
    }
}

/// Runs the container's program to its end.
pub async fn run(mut ctx: ProgramCtx) -> Exit {
    let argv = argv(&ctx);
    run_argv(&mut ctx, argv).await
}

/// Runs one command line in the container (`timeout` runs the rest of its own).
fn run_argv(
    ctx: &mut ProgramCtx,
    argv: Vec<String>,
) -> std::pin::Pin<Box<dyn std::future::Future<Output = Exit> + Send + '_>> {
    Box::pin(async move {
        let base = argv
            .first()
            .map(|a| a.rsplit('/').next().unwrap_or(a).to_string())
            .unwrap_or_default();
        match base.as_str() {
            "spark-submit" => spark_submit(ctx, &argv[1..]).await,
            "driver" => {
                let conf = match driver_conf(ctx, &argv[1..]) {
                    Ok(c) => c,
                    Err(e) => {
                        ctx.log(format!("Exception in thread \"main\" java.lang.IllegalArgumentException: requirement failed: {e}"));
                        return Exit::code(1);
                    }
                };
                let resource = argv
                    .iter()
                    .position(|a| a == "--class")
                    .and_then(|i| argv.get(i + 2))
                    .cloned()
                    .unwrap_or_default();
                driver(ctx, &conf, &resource).await
            }
            "executor" => executor(ctx).await,
            "timeout" => timeout(ctx, &argv[1..]).await,
            "tar" => tar(ctx, &argv[1..]).await,
            "sh" | "bash" if argv.get(1).map(String::as_str) == Some("-c") => {
                let (script, args) = crate::shells::script_args(&argv);
                shell(ctx, script, &args).await
            }
            "sleep" => shell(ctx, &argv.join(" "), &["sh".to_string()]).await,
            "true" => Exit::code(0),
            "false" => Exit::code(1),
            b if crate::repl::Lang::from_program(b).is_some() => {
                let lang = crate::repl::Lang::from_program(b).expect("checked");
                crate::repl::run(ctx, lang, &argv[1..]).await
            }
            // Anything else is a long-running server: it runs until its pod is deleted.
            _ => {
                let _ = ctx.stop.wait_for(|s| *s).await;
                Exit::code(143)
            }
        }
    })
}

/// coreutils `timeout DURATION COMMAND...`: exit 124 when the command outlives the duration.
async fn timeout(ctx: &mut ProgramCtx, args: &[String]) -> Exit {
    let secs = args
        .first()
        .and_then(|d| d.trim_end_matches('s').parse::<f64>().ok());
    let (Some(secs), Some(_)) = (secs, args.get(1)) else {
        ctx.log("timeout: missing operand");
        return Exit::code(125);
    };
    match tokio::time::timeout(
        Duration::from_secs_f64(secs),
        run_argv(ctx, args[1..].to_vec()),
    )
    .await
    {
        Ok(exit) => exit,
        Err(_) => Exit::code(124),
    }
}

/// `tar -x -f - -C DIR` (or `-xf -`): extracts the archive on stdin into the pod's files.
async fn tar(ctx: &mut ProgramCtx, args: &[String]) -> Exit {
    let mut dir = String::new();
    let mut extract = false;
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        match a {
            "-C" | "--directory" => {
                i += 1;
                dir = args.get(i).cloned().unwrap_or_default();
            }
            "-f" | "--file" => i += 1,
            _ if a.starts_with('-') && !a.starts_with("--") => extract |= a.contains('x'),
            "--extract" => extract = true,
            _ => {}
        }
        i += 1;
    }
    if !extract {
        ctx.log("tar: kubesim only extracts (-x)");
        return Exit::code(2);
    }
    let mut data = Vec::new();
    if let Some(rx) = ctx.stdin.as_mut() {
        let mut stop = ctx.stop.clone();
        loop {
            tokio::select! {
                m = rx.recv() => match m {
                    Some(crate::stdio::StdinMsg::Data(d)) => data.extend_from_slice(&d),
                    Some(crate::stdio::StdinMsg::Eof) | None => break,
                    Some(crate::stdio::StdinMsg::Interrupt | crate::stdio::StdinMsg::Winch) => {}
                },
                _ = stop.wait_for(|s| *s) => return Exit::code(143),
            }
        }
    }
    match crate::files::untar(&data) {
        Ok(files) => {
            let (ns, pod) = (ctx.log_key.0.clone(), ctx.log_key.1.clone());
            for (name, bytes) in files {
                let path = format!("{}/{name}", dir.trim_end_matches('/'));
                ctx.cluster.files.write(&ns, &pod, &path, Arc::new(bytes));
            }
            Exit::code(0)
        }
        Err(e) => {
            ctx.log(e);
            ctx.log("tar: Exiting with failure status due to previous errors");
            Exit::code(2)
        }
    }
}

/// The tiny shell ([`crate::shells::run_script`]) with the container's output and input;
/// `exec` replaces it with the program, which then is the container's.
async fn shell(ctx: &mut ProgramCtx, script: &str, args: &[String]) -> Exit {
    match crate::shells::run_script(&mut crate::shells::ContainerIo(ctx), script, args).await {
        Ok(crate::shells::Done::Exit(code)) => Exit::code(code),
        Ok(crate::shells::Done::Exec(argv)) => run_argv(ctx, argv).await,
        Err(()) => Exit::code(143),
    }
}

/// Java properties as `java.util.Properties.load` reads the lines Spark writes: `#`/`!`
/// comments, `key=value` or `key:value`, a backslash taking the next character as it is
/// (`\\:`, `\\=`, `\\#`, `\\ `) or making a tab, newline, return or `\\uXXXX`.
pub(crate) fn parse_properties(text: &str) -> BTreeMap<String, String> {
    fn unescape(s: &str) -> String {
        let mut out = String::new();
        let mut chars = s.chars();
        while let Some(c) = chars.next() {
            if c != '\\' {
                out.push(c);
                continue;
            }
            match chars.next() {
                Some('t') => out.push('\t'),
                Some('n') => out.push('\n'),
                Some('r') => out.push('\r'),
                Some('f') => out.push('\u{c}'),
                Some('u') => {
                    let hex: String = chars.by_ref().take(4).collect();
                    out.extend(u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32));
                }
                Some(other) => out.push(other),
                None => {}
            }
        }
        out
    }
    text.lines()
        .map(str::trim_start)
        .filter(|l| !l.is_empty() && !l.starts_with('#') && !l.starts_with('!'))
        .map(|l| {
            // The key ends at the first `=`, `:` or blank that no backslash escapes.
            let mut chars = l.char_indices();
            let mut i = l.len();
            while let Some((at, c)) = chars.next() {
                if matches!(c, '=' | ':' | ' ' | '\t') {
                    i = at;
                    break;
                }
                if c == '\\' {
                    chars.next();
                }
            }
            let rest = l[i..].trim_start_matches([' ', '\t']);
            let rest = rest
                .strip_prefix(['=', ':'])
                .unwrap_or(rest)
                .trim_start_matches([' ', '\t']);
            (unescape(&l[..i]), unescape(rest))
        })
        .collect()
}

/// A watch on the pod `name` in `ns` alone (`fieldSelector=metadata.name=<name>`).
fn one_pod(ns: String, name: &str) -> Option<crate::store::WatchFilter> {
    let field =
        crate::selector::FieldSelector::parse("pods", &format!("metadata.name={name}")).ok()?;
    Some(crate::store::WatchFilter {
        res_key: "pods".into(),
        namespace: Some(ns),
        label: Default::default(),
        field,
    })
}

/// The driver's conf as its spark-submit (`driver` in the image's entrypoint: `spark-submit
/// --deploy-mode client "$@"`) merges it (`SparkSubmitArguments.mergeDefaultSparkProperties`
/// in Spark 4.3's jar, [`merge_conf`]): the `--properties-file` (the ConfigMap the pod
/// mounts), each `--extra-properties-file` (Spark 4.2 and later) over it, `--conf` over both.
/// A properties file the container cannot see fails as Spark's
/// `Utils.getPropertiesFromFile` does: "Properties file F does not exist".
fn driver_conf(ctx: &ProgramCtx, args: &[String]) -> Result<BTreeMap<String, String>, String> {
    let mut conf = BTreeMap::new();
    let mut extra = Vec::new();
    let mut i = 0;
    while i < args.len() {
        match args[i].as_str() {
            "--conf" | "-c" => {
                if let Some((k, v)) = args.get(i + 1).and_then(|kv| kv.split_once('=')) {
                    // The last `--conf` of a key wins, as in `SparkSubmitArguments.handle`.
                    conf.insert(k.to_string(), v.to_string());
                }
                i += 1;
            }
            "--extra-properties-file" => {
                extra.extend(args.get(i + 1).cloned());
                i += 1;
            }
            // The app's own arguments start here.
            "--class" => break,
            _ => {}
        }
        i += 1;
    }
    let mut files = vec![spark_conf_from_pod(ctx)];
    for path in extra {
        match crate::files::read(&ctx.cluster, &ctx.pod, &ctx.container, &path) {
            crate::files::Lookup::Found(bytes) => {
                files.push(parse_properties(&String::from_utf8_lossy(&bytes)));
            }
            // In the image: kubesim cannot see it.
            crate::files::Lookup::Image => {}
            crate::files::Lookup::Missing => {
                return Err(format!("Properties file {path} does not exist"));
            }
        }
    }
    Ok(merge_conf(conf, files))
}

/// `mergeDefaultSparkProperties` (Spark 4.3's jar, `$anonfun$mergeDefaultSparkProperties$3`):
/// the `--properties-file` first, then each extra file setting every key the `--conf` args do
/// not (so a later file overrides an earlier one and the properties file), `--conf` over all.
fn merge_conf(
    args: BTreeMap<String, String>,
    files: Vec<BTreeMap<String, String>>,
) -> BTreeMap<String, String> {
    let mut conf = BTreeMap::new();
    for file in files {
        conf.extend(file);
    }
    conf.extend(args);
    conf
}

/// The driver's conf from the config map its pod mounts (as the real driver reads it).
fn spark_conf_from_pod(ctx: &ProgramCtx) -> BTreeMap<String, String> {
    let cm = crate::each(&ctx.pod, "/spec/volumes").find_map(|v| {
        v.pointer("/configMap/name")
            .and_then(Value::as_str)
            .filter(|n| n.starts_with("spark-drv-"))
    });
    let Some(cm) = cm else { return BTreeMap::new() };
    let r = crate::resources::find("", "v1", "configmaps").expect("served");
    ctx.cluster
        .store
        .get(r, &ctx.ns(), cm)
        .ok()
        .and_then(|o| {
            o.pointer("/data/spark.properties")
                .and_then(Value::as_str)
                .map(parse_properties)
        })
        .unwrap_or_default()
}

pub(crate) fn hex(seed: u64, len: usize) -> String {
    let mut x = seed ^ 0x2545_f491_4f6c_dd1d;
    let mut out = String::new();
    while out.len() < len {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        out.push_str(&format!("{x:016x}"));
    }
    out.truncate(len);
    out
}

/// Spark 4's `KubernetesConf.getResourceNamePrefix(appName)`: `"$appName-$uniqueID"` trimmed,
/// lower-cased, every character outside `[a-z0-9-]` turned into `-`, runs of `-` collapsed, a
/// leading `-` removed and a leading digit replaced by `x`, so the driver pod, its service and
/// the executors get valid names whatever the app name (`名前` gives `<id>` alone).
fn resource_name_prefix(app_name: &str, unique: &str) -> String {
    spark_clean(&format!("{app_name}-{unique}"))
}

/// The cleaning chain of [`resource_name_prefix`], on any name.
fn spark_clean(name: &str) -> String {
    let mut out = sanitise(name);
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.replace_range(..1, "x");
    }
    out
}

fn sanitise(name: &str) -> String {
    let mut out = String::new();
    for c in name.trim().to_lowercase().chars() {
        let c = if c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' {
            c
        } else {
            '-'
        };
        if !(c == '-' && out.ends_with('-')) {
            out.push(c);
        }
    }
    out.trim_start_matches('-').to_string()
}

/// Spark's pod memory: heap + max(trunc(factor × heap), 384) MiB.
fn pod_memory_mib(conf: &BTreeMap<String, String>, role: &str, python: bool) -> u64 {
    let heap = conf
        .get(&format!("spark.{role}.memory"))
        .map(String::as_str)
        .unwrap_or("1g");
    let heap = crate::quantity::parse(
        &heap
            .to_uppercase()
            .replace('B', "")
            .replace('K', "Ki")
            .replace('M', "Mi")
            .replace('G', "Gi")
            .replace('T', "Ti"),
    )
    .map(|q| (q / 1000 / (1 << 20)) as u64)
    .filter(|m| *m > 0)
    .unwrap_or(1024);
    let factor = conf
        .get(&format!("spark.{role}.memoryOverheadFactor"))
        .or_else(|| conf.get("spark.kubernetes.memoryOverheadFactor"))
        .and_then(|f| f.parse::<f64>().ok())
        .unwrap_or(if python { 0.4 } else { 0.1 });
    heap + ((factor * heap as f64) as u64).max(384)
}

/// A pod's state in Spark's `formatPodState` shape (tab-indented ` key: value` fields).
fn pod_state(pod: &Value, indent: usize) -> String {
    let t = "\t".repeat(indent);
    let f = |k: &str, v: &str| format!("\n{t} {k}: {}", if v.is_empty() { "N/A" } else { v });
    let g = |p: &str| {
        pod.pointer(p)
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string()
    };
    let labels = pod
        .pointer("/metadata/labels")
        .and_then(Value::as_object)
        .map(|m| {
            let mut v: Vec<String> = m
                .iter()
                .map(|(k, v)| format!("{k} -> {}", v.as_str().unwrap_or("")))
                .collect();
            v.sort();
            v.join(", ")
        })
        .unwrap_or_default();
    let volumes = pod
        .pointer("/spec/volumes")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|v| v["name"].as_str())
                .collect::<Vec<_>>()
                .join(", ")
        })
        .unwrap_or_default();
    let mut out = String::new();
    out.push_str(&f("pod name", &g("/metadata/name")));
    out.push_str(&f("namespace", &g("/metadata/namespace")));
    out.push_str(&f("labels", &labels));
    out.push_str(&f("pod uid", &g("/metadata/uid")));
    out.push_str(&f("creation time", &g("/metadata/creationTimestamp")));
    out.push_str(&f("service account name", &g("/spec/serviceAccountName")));
    out.push_str(&f("volumes", &volumes));
    out.push_str(&f("node name", &g("/spec/nodeName")));
    out.push_str(&f("start time", &g("/status/startTime")));
    out.push_str(&f("phase", &g("/status/phase")));
    let statuses = container_states(pod, indent + 1);
    out.push_str(&f("container status", &statuses));
    out
}

fn container_states(pod: &Value, indent: usize) -> String {
    let t = "\t".repeat(indent);
    let Some(cs) = pod
        .pointer("/status/containerStatuses")
        .and_then(Value::as_array)
    else {
        return String::new();
    };
    cs.iter()
        .map(|c| {
            let f =
                |k: &str, v: &str| format!("\n{t} {k}: {}", if v.is_empty() { "N/A" } else { v });
            let g = |p: &str| {
                c.pointer(p)
                    .map(|v| {
                        v.as_str()
                            .map(str::to_string)
                            .unwrap_or_else(|| v.to_string())
                    })
                    .unwrap_or_default()
            };
            let mut s = f("container name", &g("/name")) + &f("container image", &g("/image"));
            if c.pointer("/state/running").is_some() {
                s += &f("container state", "running");
                s += &f("container started at", &g("/state/running/startedAt"));
            } else if c.pointer("/state/waiting").is_some() {
                s += &f("container state", "waiting");
                s += &f("pending reason", &g("/state/waiting/reason"));
            } else if c.pointer("/state/terminated").is_some() {
                s += &f("container state", "terminated");
                s += &f("container started at", &g("/state/terminated/startedAt"));
                s += &f("container finished at", &g("/state/terminated/finishedAt"));
                s += &f("exit code", &g("/state/terminated/exitCode"));
                s += &f("termination reason", &g("/state/terminated/reason"));
            } else {
                s += &f("container state", "N/A");
            }
            s
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// spark-submit: client mode runs the driver here; cluster mode creates the driver pod, its
/// service and config map (server-side apply, owned by the driver), then watches it to the end.
/// A spark-submit (or spark-shell) command line, as far as kubesim needs it.
/// spark-submit's switches (`SparkSubmitOptionParser.switches`).
const SWITCHES: [&str; 7] = [
    "--verbose",
    "-v",
    "--supervise",
    "--help",
    "-h",
    "--version",
    "--usage-error",
];

pub(crate) struct SubmitArgs {
    pub conf: BTreeMap<String, String>,
    pub deploy: String,
    pub class: String,
    pub name: String,
    pub resource: String,
    pub app_args: Vec<String>,
    pub master: String,
    pub properties_file: Option<String>,
}

pub(crate) fn parse_submit_args(args: &[String]) -> SubmitArgs {
    parse_args(args, false)
}

/// A shell's arguments, which spark-submit takes mixed (`SparkSubmitCommandBuilder`'s
/// `allowsMixedArguments` for the shells' classes, `OptionParser.handleUnknown`): its own
/// options wherever they are, everything else (`-e SQL`, `-i FILE`, …) the application's
/// arguments, in order.
pub(crate) fn parse_shell_args(args: &[String]) -> SubmitArgs {
    parse_args(args, true)
}

fn parse_args(args: &[String], mixed: bool) -> SubmitArgs {
    let mut conf: BTreeMap<String, String> = BTreeMap::new();
    let (mut deploy, mut class, mut name, mut resource, mut app_args, mut master) = (
        "client".to_string(),
        String::new(),
        String::new(),
        String::new(),
        Vec::new(),
        String::new(),
    );
    let mut properties_file = None;
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        let (flag, inline) = match a.split_once('=') {
            Some((f, v)) if f.starts_with("--") && !v.is_empty() => {
                (f.to_string(), Some(v.to_string()))
            }
            _ => (a.clone(), None),
        };
        let takes_value = matches!(
            flag.as_str(),
            "--master"
                | "--deploy-mode"
                | "--class"
                | "--name"
                | "--conf"
                | "-c"
                | "--proxy-user"
                | "--properties-file"
                | "--jars"
                | "--files"
                | "--py-files"
                | "--archives"
                | "--packages"
                | "--driver-memory"
                | "--executor-memory"
                | "--executor-cores"
                | "--num-executors"
                | "--driver-cores"
                | "--keytab"
                | "--principal"
                | "--driver-java-options"
                | "--driver-class-path"
                | "--driver-library-path"
                | "--total-executor-cores"
                | "--queue"
                | "--repositories"
                | "--exclude-packages"
                | "--kill"
                | "--status"
                | "--remote"
        );
        if takes_value {
            let v = match inline {
                Some(v) => v,
                None => {
                    i += 1;
                    args.get(i).cloned().unwrap_or_default()
                }
            };
            match flag.as_str() {
                "--deploy-mode" => deploy = v,
                "--master" => master = v,
                "--class" => class = v,
                "--name" => name = v,
                "--conf" | "-c" => {
                    if let Some((k, val)) = v.split_once('=') {
                        conf.insert(k.into(), val.into());
                    }
                }
                "--driver-memory" => drop(conf.insert("spark.driver.memory".into(), v)),
                "--executor-memory" => drop(conf.insert("spark.executor.memory".into(), v)),
                "--num-executors" => drop(conf.insert("spark.executor.instances".into(), v)),
                "--jars" => drop(conf.insert("spark.jars".into(), v)),
                "--files" => drop(conf.insert("spark.files".into(), v)),
                "--py-files" => drop(conf.insert("spark.submit.pyFiles".into(), v)),
                "--archives" => drop(conf.insert("spark.archives".into(), v)),
                "--keytab" => drop(conf.insert("spark.kerberos.keytab".into(), v)),
                "--principal" => drop(conf.insert("spark.kerberos.principal".into(), v)),
                "--properties-file" => properties_file = Some(v),
                _ => {}
            }
        } else if mixed && !SWITCHES.contains(&flag.as_str()) {
            app_args.push(a.clone());
        } else if flag.starts_with('-') {
            // Switches (--verbose, --supervise, …).
        } else {
            resource = a.clone();
            app_args = args[i + 1..].to_vec();
            break;
        }
        i += 1;
    }
    if name.is_empty() {
        name = conf.get("spark.app.name").cloned().unwrap_or_else(|| {
            if class.is_empty() {
                resource.rsplit('/').next().unwrap_or("app").to_string()
            } else {
                class.clone()
            }
        });
    }
    conf.insert("spark.app.name".into(), name.clone());
    SubmitArgs {
        conf,
        deploy,
        class,
        name,
        resource,
        app_args,
        master,
        properties_file,
    }
}

async fn spark_submit(ctx: &mut ProgramCtx, args: &[String]) -> Exit {
    let SubmitArgs {
        mut conf,
        deploy,
        class,
        name,
        mut resource,
        app_args,
        properties_file,
        ..
    } = parse_submit_args(args);
    // What SparkSubmit reads from its own disk before anything is created.
    if let Some(p) = &properties_file {
        match crate::sparkfiles::properties_file(ctx, p) {
            Ok(props) => {
                for (k, v) in props {
                    conf.entry(k).or_insert(v);
                }
            }
            Err(()) => return Exit::code(1),
        }
    }
    if crate::sparkfiles::keytab(ctx, &conf, deploy == "client").is_err() {
        return Exit::code(1);
    }
    if crate::sparkfiles::resolve_globs(ctx, &mut conf).is_err() {
        return Exit::code(1);
    }
    let python = resource.ends_with(".py") || resource.ends_with(".R");
    let class = if class.is_empty()
        && !python
        && ![
            "",
            "spark-internal",
            "spark-shell",
            "pyspark-shell",
            "sparkr-shell",
        ]
        .contains(&resource.as_str())
    {
        match crate::sparkfiles::main_class(ctx, &resource) {
            Ok(c) => c,
            Err(()) => return Exit::code(1),
        }
    } else {
        class
    };
    if deploy == "client" {
        conf.entry("spark.kubernetes.driver.pod.name".into())
            .or_insert_with(|| ctx.log_key.1.clone());
        return driver(ctx, &conf, &resource).await;
    }
    let seed = ctx.id_seed() ^ (ctx.log_key.1.len() as u64) << 32;
    let ns = conf
        .get("spark.kubernetes.namespace")
        .cloned()
        .unwrap_or_else(|| "default".into());
    let app_id = format!("spark-{}", hex(seed, 32));
    let unique = hex(seed.rotate_left(17), 16);
    let prefix = resource_name_prefix(&name, &unique);
    let driver_name = conf
        .get("spark.kubernetes.driver.pod.name")
        .cloned()
        .unwrap_or_else(|| format!("{prefix}-driver"));
    let cm_name = format!("spark-drv-{unique}-conf-map");
    // DriverServiceFeatureStep: the preferred name unless it exceeds 63 characters.
    let preferred = format!("{prefix}-driver-svc");
    let svc = if preferred.len() <= 63 {
        preferred
    } else {
        let short = format!("spark-{}-driver-svc", hex(seed.rotate_left(29), 16));
        ctx.spark_log("WARN", "DriverServiceFeatureStep", &format!("Driver's hostname would preferably be {preferred}, but this is too long (must be <= 63 characters). Falling back to use {short} as the driver service's name."));
        short
    };
    // KubernetesDriverBuilder starts from the driver's template; PodTemplateConfigMapStep and
    // KerberosConfDriverFeatureStep read the executor template and the keytab here.
    let template_labels = match conf.get(crate::sparkfiles::DRIVER_TEMPLATE) {
        Some(t) => match crate::sparkfiles::pod_template(ctx, t) {
            Ok(l) => l,
            Err(()) => return Exit::code(1),
        },
        None => serde_json::Map::new(),
    };
    let executor_template = match conf.get(crate::sparkfiles::EXECUTOR_TEMPLATE) {
        Some(t) => match crate::sparkfiles::executor_template_text(ctx, t) {
            Ok(text) => Some(text),
            Err(()) => return Exit::code(1),
        },
        None => None,
    };
    let keytab = crate::sparkfiles::keytab(ctx, &conf, false).unwrap_or_default();
    // Local files: uploaded to spark.kubernetes.file.upload.path, as Spark's KubernetesUtils does.
    if upload_local_files(ctx, &mut conf, &mut resource, seed).is_err() {
        return Exit::code(1);
    }
    let python = resource.ends_with(".py");
    let image = conf
        .get("spark.kubernetes.driver.container.image")
        .or_else(|| conf.get("spark.kubernetes.container.image"))
        .cloned()
        .unwrap_or_default();
    let mut labels = template_labels;
    labels.insert(
        "spark-app-name".into(),
        json!(
            sanitise(&name)
                .chars()
                .take(63)
                .collect::<String>()
                .trim_matches('-')
        ),
    );
    labels.insert("spark-app-selector".into(), json!(app_id));
    labels.insert("spark-role".into(), json!("driver"));
    labels.insert("spark-version".into(), json!("4.3.0"));
    for (k, v) in &conf {
        if let Some(l) = k.strip_prefix("spark.kubernetes.driver.label.") {
            labels.insert(l.into(), json!(v));
        }
    }
    let mem = pod_memory_mib(&conf, "driver", python);
    let cpu = conf
        .get("spark.kubernetes.driver.request.cores")
        .or_else(|| conf.get("spark.driver.cores"))
        .cloned()
        .unwrap_or_else(|| "1".into());
    let mut main_args = vec![
        "driver".to_string(),
        "--properties-file".into(),
        "/opt/spark/conf/spark.properties".into(),
        "--class".into(),
        if python {
            "org.apache.spark.deploy.PythonRunner".into()
        } else {
            class.clone()
        },
        resource.clone(),
    ];
    main_args.extend(app_args);
    let driver_pod = json!({
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": driver_name, "labels": labels, "annotations": {}},
        "spec": {
            "restartPolicy": "Never",
            "serviceAccountName": conf.get("spark.kubernetes.authenticate.driver.serviceAccountName").cloned().unwrap_or_else(|| "default".into()),
            "containers": [{"name": "spark-kubernetes-driver", "image": image, "args": main_args,
                "ports": [{"name": "driver-rpc-port", "containerPort": 7078, "protocol": "TCP"}, {"name": "blockmanager", "containerPort": 7079, "protocol": "TCP"}, {"name": "spark-ui", "containerPort": 4040, "protocol": "TCP"}],
                "resources": {"requests": {"cpu": cpu, "memory": format!("{mem}Mi")}, "limits": {"memory": format!("{mem}Mi")}},
                "volumeMounts": [{"name": "spark-local-dir-1", "mountPath": "/var/data/spark-local"}, {"name": "spark-conf-volume-driver", "mountPath": "/opt/spark/conf"}]}],
            "volumes": [{"name": "spark-local-dir-1", "emptyDir": {}}, {"name": "spark-conf-volume-driver", "configMap": {"name": cm_name, "items": [{"key": "spark.properties", "path": "spark.properties", "mode": 420}]}}]
        }
    });
    let mut driver_pod = driver_pod;
    mount_secrets(&mut driver_pod, &conf, "driver");
    let template_cm = format!("{prefix}-podspec-configmap");
    let keytab_secret = format!("{prefix}-kerberos-keytab");
    if executor_template.is_some() {
        mount_volume(
            &mut driver_pod,
            json!({"name": "pod-template-volume", "configMap": {"name": template_cm, "items": [{"key": crate::sparkfiles::POD_TEMPLATE_KEY, "path": crate::sparkfiles::POD_TEMPLATE_FILE}]}}),
            crate::sparkfiles::POD_TEMPLATE_MOUNT,
        );
    }
    if keytab.is_some() {
        mount_volume(
            &mut driver_pod,
            json!({"name": "kerberos-keytab", "secret": {"secretName": keytab_secret}}),
            crate::sparkfiles::KEYTAB_MOUNT,
        );
    }
    let created = match ctx.call(
        "POST",
        &format!("/api/v1/namespaces/{ns}/pods"),
        "application/json",
        Some(&driver_pod),
    ) {
        Ok(p) => p,
        Err(e) => {
            ctx.spark_log(
                "ERROR",
                "Client",
                "Please check \"kubectl auth can-i create pod\" first. It should be yes.",
            );
            ctx.log(format!(
                "Exception in thread \"main\" io.fabric8.kubernetes.client.KubernetesClientException: Failure executing: POST at: https://kubernetes.default.svc/api/v1/namespaces/{ns}/pods. Message: {}. Received status: Status(apiVersion=v1, code={}, details=StatusDetails(causes=[], group={}, kind={}, name={}, retryAfterSeconds=null, uid=null, additionalProperties={{}}), kind=Status, message={}, metadata=ListMeta(_continue=null, remainingItemCount=null, resourceVersion=null, selfLink=null, additionalProperties={{}}), reason={}, status=Failure, additionalProperties={{}}).",
                e.message(), e.code,
                e.body.pointer("/details/group").and_then(Value::as_str).filter(|g| !g.is_empty()).unwrap_or("null"),
                e.body.pointer("/details/kind").and_then(Value::as_str).unwrap_or("null"),
                e.body.pointer("/details/name").and_then(Value::as_str).unwrap_or("null"),
                e.message(), e.reason()
            ));
            return Exit::code(1);
        }
    };
    let owner = json!([{"apiVersion": "v1", "kind": "Pod", "controller": true, "name": driver_name, "uid": created["metadata"]["uid"]}]);
    let mut props = conf.clone();
    props.insert("spark.app.id".into(), app_id.clone());
    props.insert(
        "spark.kubernetes.driver.pod.name".into(),
        driver_name.clone(),
    );
    props.insert("spark.driver.host".into(), format!("{svc}.{ns}.svc"));
    props.insert("spark.kubernetes.submitInDriver".into(), "true".into());
    if executor_template.is_some() {
        props.insert(
            crate::sparkfiles::EXECUTOR_TEMPLATE.into(),
            format!(
                "{}/{}",
                crate::sparkfiles::POD_TEMPLATE_MOUNT,
                crate::sparkfiles::POD_TEMPLATE_FILE
            ),
        );
    }
    if let Some((path, _)) = &keytab {
        let file = path.rsplit('/').next().unwrap_or(path);
        props.insert(
            "spark.kerberos.keytab".into(),
            format!("{}/{file}", crate::sparkfiles::KEYTAB_MOUNT),
        );
    }
    props.insert(
        "spark.kubernetes.executor.podNamePrefix".into(),
        resource_name_prefix(&name, &hex(seed ^ 99, 16)),
    );
    let text: String = props.iter().map(|(k, v)| format!("{k}={v}\n")).collect();
    let selector = json!({"spark-app-selector": app_id, "spark-role": "driver"});
    let mut post = vec![
        (
            format!("/api/v1/namespaces/{ns}/services/{svc}"),
            json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": svc, "labels": {"spark-app-selector": app_id}, "ownerReferences": owner},
            "spec": {"clusterIP": "None", "ipFamilies": ["IPv4"], "ipFamilyPolicy": "SingleStack", "selector": selector,
                     "ports": [{"name": "driver-rpc-port", "port": 7078, "targetPort": 7078}, {"name": "blockmanager", "port": 7079, "targetPort": 7079}, {"name": "spark-ui", "port": 4040, "targetPort": 4040}]}}),
        ),
        (
            format!("/api/v1/namespaces/{ns}/configmaps/{cm_name}"),
            json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": cm_name, "labels": {"spark-app-selector": app_id}, "ownerReferences": owner},
            "immutable": true, "data": {"spark.properties": text, "spark.kubernetes.namespace": ns}}),
        ),
    ];
    if let Some(text) = &executor_template {
        post.push((
            format!("/api/v1/namespaces/{ns}/configmaps/{template_cm}"),
            json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": template_cm, "labels": {"spark-app-selector": app_id}, "ownerReferences": owner},
            "immutable": true, "data": {(crate::sparkfiles::POD_TEMPLATE_KEY): text}}),
        ));
    }
    if let Some((path, bytes)) = &keytab {
        let file = path.rsplit('/').next().unwrap_or(path);
        post.push((
            format!("/api/v1/namespaces/{ns}/secrets/{keytab_secret}"),
            json!({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": keytab_secret, "labels": {"spark-app-selector": app_id}, "ownerReferences": owner},
            "immutable": true, "data": {(file): crate::validate::base64(bytes)}}),
        ));
    }
    for (path, body) in &post {
        if let Err(e) = ctx.call(
            "PATCH",
            &format!("{path}?fieldManager=fabric8&force=true"),
            "application/apply-patch+yaml",
            Some(body),
        ) {
            ctx.spark_log(
                "ERROR",
                "Client",
                &format!("Failed to create {path}: {}", e.message()),
            );
            let _ = ctx.call(
                "DELETE",
                &format!("/api/v1/namespaces/{ns}/pods/{driver_name}"),
                "application/json",
                None,
            );
            return Exit::code(1);
        }
    }
    let submission = format!("{ns}:{driver_name}");
    if conf
        .get("spark.kubernetes.submission.waitAppCompletion")
        .map(String::as_str)
        == Some("false")
    {
        ctx.spark_log("INFO", "LoggingPodStatusWatcherImpl", &format!("Deployed Spark application {name} with application ID {app_id} and submission ID {submission} into Kubernetes"));
        return Exit::code(0);
    }
    // Watch the driver (from the create's resourceVersion) until it ends: Client.run watches
    // the pod by name, then reads it (`podWithName.watch(watcher)`, `podWithName.get()`).
    let by_name = format!(
        "/api/v1/namespaces/{ns}/pods?fieldSelector=metadata.name%3D{driver_name}&watch=true"
    );
    for (method, path) in [
        ("GET", by_name),
        ("GET", format!("/api/v1/namespaces/{ns}/pods/{driver_name}")),
    ] {
        if let Err(e) = ctx.authorize(method, &path) {
            ctx.log(format!("Exception in thread \"main\" io.fabric8.kubernetes.client.KubernetesClientException: Failure executing: GET at: https://kubernetes.default.svc{path}. Message: {}.", e.message()));
            return Exit::code(1);
        }
    }
    let pods_r = crate::resources::find("", "v1", "pods").expect("served");
    let Some(filter) = one_pod(ns.clone(), &driver_name) else {
        return Exit::code(1);
    };
    let Ok((_, mut rx)) = ctx.cluster.store.watch(filter, None) else {
        return Exit::code(1);
    };
    let mut current = ctx
        .cluster
        .store
        .get(pods_r, &ns, &driver_name)
        .unwrap_or(created);
    ctx.spark_log(
        "INFO",
        "LoggingPodStatusWatcherImpl",
        &format!("State changed, new state: {}", pod_state(&current, 1)),
    );
    ctx.spark_log("INFO", "LoggingPodStatusWatcherImpl", &format!("Waiting for application {name} with application ID {app_id} and submission ID {submission} to finish..."));
    let interval = conf
        .get("spark.kubernetes.report.interval")
        .and_then(|s| s.trim_end_matches('s').parse::<f64>().ok())
        .unwrap_or(1.0)
        .max(0.05);
    let mut report = tokio::time::interval(Duration::from_secs_f64(interval));
    let mut stop = ctx.stop.clone();
    report.tick().await;
    loop {
        let phase = current
            .pointer("/status/phase")
            .and_then(Value::as_str)
            .unwrap_or("unknown")
            .to_string();
        if phase == "Succeeded" || phase == "Failed" {
            break;
        }
        tokio::select! {
            ev = rx.recv() => match ev {
                Some(ev) => {
                    current = ev["object"].clone();
                    ctx.spark_log("INFO", "LoggingPodStatusWatcherImpl", &format!("State changed, new state: {}", pod_state(&current, 1)));
                    if ev["type"] == "DELETED" { break; }
                }
                None => break,
            },
            _ = report.tick() => ctx.spark_log("INFO", "LoggingPodStatusWatcherImpl", &format!("Application status for {app_id} (phase: {phase})")),
            _ = stop.wait_for(|s| *s) => return Exit::code(143),
        }
    }
    let finals = container_states(&current, 1);
    if finals.is_empty() {
        ctx.spark_log(
            "INFO",
            "LoggingPodStatusWatcherImpl",
            "No containers were found in the driver pod.",
        );
    } else {
        ctx.spark_log(
            "INFO",
            "LoggingPodStatusWatcherImpl",
            &format!("Container final statuses:\n\n{finals}"),
        );
    }
    ctx.spark_log("INFO", "LoggingPodStatusWatcherImpl", &format!("Application {name} with application ID {app_id} and submission ID {submission} finished"));
    Exit::code(0)
}

/// The driver: creates its executors (retrying when quota is full), runs for
/// `spark.kubesim.driver.durationSeconds`, removes the executors, exits with
/// `spark.kubesim.driver.exitCode` (or fails as `spark.kubesim.driver.failAt` says: `startup`,
/// `running`, `oom`); `spark.kubesim.driver.logLines` and `spark.kubesim.driver.message` add output;
/// `spark.kubesim.driver.sparkFiles` names files the application reads through `SparkFiles.get`;
/// `spark.kubesim.driver.echoConf` (a comma list of keys) logs `conf KEY=VALUE` for each, what
/// the application read (`<unset>` for a key it lacks), for tests of how properties reach it.
async fn driver(ctx: &mut ProgramCtx, conf: &BTreeMap<String, String>, resource: &str) -> Exit {
    let ns = ctx.ns();
    for key in conf
        .get("spark.kubesim.driver.echoConf")
        .map(|k| {
            k.split(',')
                .map(str::trim)
                .filter(|k| !k.is_empty())
                .collect::<Vec<_>>()
        })
        .unwrap_or_default()
    {
        let value = conf.get(key).map_or("<unset>", String::as_str);
        ctx.log(format!("conf {key}={value}"));
    }
    let name = conf
        .get("spark.app.name")
        .cloned()
        .unwrap_or_else(|| "app".into());
    let duration: f64 = conf_parsed(conf, "spark.kubesim.driver.durationSeconds", 2.0);
    let exit_code: i32 = conf_parsed(conf, "spark.kubesim.driver.exitCode", 0);
    let fail_at = conf
        .get("spark.kubesim.driver.failAt")
        .cloned()
        .unwrap_or_else(|| "none".into());
    ctx.spark_log("INFO", "SparkContext", "Running Spark version 4.3.0");
    ctx.spark_log(
        "INFO",
        "SparkContext",
        &format!("Submitted application: {name}"),
    );
    let Ok(registered) = check_dependencies(ctx, conf, resource) else {
        return Exit::code(1);
    };
    if crate::sparkfiles::spark_files_get(ctx, conf, &registered).is_err() {
        return Exit::code(1);
    }
    // SparkSubmit in the driver logs in with the keytab (client mode: the submit pod's path;
    // cluster mode: the Secret KerberosConfDriverFeatureStep mounted).
    match crate::sparkfiles::keytab(ctx, conf, true) {
        Ok(Some((path, b))) => ctx.spark_log(
            "INFO",
            "kubesim",
            &format!(
                "keytab {path}: {} bytes, fnv1a64 {:016x}",
                b.len(),
                crate::files::fnv1a64(&b)
            ),
        ),
        Ok(None) => {}
        Err(()) => return Exit::code(1),
    }
    // KubernetesClusterManager loads the executor template before any executor exists.
    let executor_labels = match conf.get(crate::sparkfiles::EXECUTOR_TEMPLATE) {
        Some(t) => match crate::sparkfiles::pod_template(ctx, t) {
            Ok(l) => l,
            Err(()) => return Exit::code(1),
        },
        None => serde_json::Map::new(),
    };
    if fail_at == "startup" {
        ctx.log("Exception in thread \"main\" org.apache.spark.SparkException: kubesim: driver failed at start-up (spark.kubesim.driver.failAt=startup)");
        return Exit::code(1);
    }
    let app_id = ctx
        .pod
        .pointer("/metadata/labels/spark-app-selector")
        .and_then(Value::as_str)
        .unwrap_or("spark-app")
        .to_string();
    if let Err(e) = scheduler_backend_start(ctx, &ns, &app_id) {
        ctx.log(format!("Exception in thread \"main\" io.fabric8.kubernetes.client.KubernetesClientException: {}", e.message()));
        return Exit::code(1);
    }
    let mut pods = executor_pods(ctx, conf, &app_id);
    for p in &mut pods {
        if let Some(labels) = p
            .pointer_mut("/metadata/labels")
            .and_then(Value::as_object_mut)
        {
            for (k, v) in &executor_labels {
                labels.entry(k.clone()).or_insert_with(|| v.clone());
            }
        }
    }
    let deadline = tokio::time::Instant::now() + Duration::from_secs_f64(duration);
    let mut created = 0;
    // Allocation rounds every second until all executors exist or the run ends.
    while created < pods.len() && tokio::time::Instant::now() < deadline {
        reusable_pvcs(ctx, &ns, &app_id);
        created = create_executors(ctx, &ns, &pods, created);
        if created < pods.len()
            && !ctx
                .sleep(
                    Duration::from_secs(1)
                        .min(deadline.saturating_duration_since(tokio::time::Instant::now())),
                )
                .await
        {
            return Exit::code(143);
        }
    }
    let run_for = deadline.saturating_duration_since(tokio::time::Instant::now());
    let run_for = if matches!(fail_at.as_str(), "running" | "oom") {
        run_for / 2
    } else {
        run_for
    };
    // The job's own output, spread over the run.
    let lines: u32 = conf_parsed(conf, "spark.kubesim.driver.logLines", 0);
    // Line i is due at i/(lines+1) of the run. Paced by deadlines, not by a sleep per line: a
    // timer rounds each sleep up to its 1 ms tick, so 30,000 lines 0.3 ms apart took 33 s
    // longer than the run. Lines that fall due together are written in one batch.
    let start = tokio::time::Instant::now();
    let due = |i: u32| start + run_for.mul_f64(f64::from(i) / f64::from(lines + 1));
    let mut next = 1;
    while next <= lines {
        let now = tokio::time::Instant::now();
        if due(next) > now && !ctx.sleep(due(next) - now).await {
            return Exit::code(143);
        }
        let now = tokio::time::Instant::now();
        let mut batch = Vec::new();
        while next <= lines && due(next) <= now {
            batch.extend(spark_log_lines(
                "INFO",
                "DAGScheduler",
                &format!("Job {next} finished: kubesim line {next} of {lines}"),
            ));
            next += 1;
        }
        ctx.cluster.logs.push_lines(&ctx.log_key, batch);
    }
    let end = start + run_for;
    let now = tokio::time::Instant::now();
    if end > now && !ctx.sleep(end - now).await {
        return Exit::code(143);
    }
    if let Some(m) = conf.get("spark.kubesim.driver.message") {
        ctx.log(m.as_str());
    }
    if fail_at == "oom" {
        // The kernel kills the JVM: no Spark shutdown, executors stay until GC takes them.
        return Exit {
            code: 137,
            reason: "OOMKilled",
            message: None,
        };
    }
    scheduler_backend_stop(ctx, conf, &ns, &app_id);
    if fail_at == "running" {
        ctx.log("Exception in thread \"main\" org.apache.spark.SparkException: kubesim: driver failed while running (spark.kubesim.driver.failAt=running)");
        return Exit::code(1);
    }
    ctx.spark_log("INFO", "SparkContext", "Successfully stopped SparkContext");
    Exit::code(exit_code)
}

/// Whether a URI names a file on the local disk (`file:` or no scheme).
fn is_local(uri: &str) -> bool {
    match uri.split_once(':') {
        Some((scheme, _))
            if scheme.len() > 1
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')) =>
        {
            scheme == "file"
        }
        _ => true,
    }
}

/// A setting parsed as `T`, or `default` when unset or unparseable.
fn conf_parsed<T: std::str::FromStr>(conf: &BTreeMap<String, String>, key: &str, default: T) -> T {
    conf.get(key)
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The path of a `file:`/`local:` URI (`local:///a` → `/a`), or the path as given.
pub(crate) fn uri_path(uri: &str) -> &str {
    let rest = uri
        .strip_prefix("local:")
        .or_else(|| uri.strip_prefix("file:"))
        .unwrap_or(uri);
    match rest.strip_prefix("//") {
        Some(r) => r.find('/').map_or(r, |i| &r[i..]),
        None => rest,
    }
}

const LIST_KEYS: [&str; 4] = [
    "spark.jars",
    "spark.submit.pyFiles",
    "spark.files",
    "spark.archives",
];

/// spark-submit in cluster mode: every local file is uploaded to
/// `<spark.kubernetes.file.upload.path>/spark-upload-<uuid>/<name>` and the lists rewritten; a
/// local primary jar joins `spark.jars` and becomes `spark-internal`.
fn upload_local_files(
    ctx: &ProgramCtx,
    conf: &mut BTreeMap<String, String>,
    resource: &mut String,
    seed: u64,
) -> Result<(), ()> {
    let upload = conf.get("spark.kubernetes.file.upload.path").cloned();
    let mut n = 0u64;
    let mut up = |item: &str| -> Result<String, ()> {
        let (uri, fragment) = match item.split_once('#') {
            Some((u, f)) => (u, format!("#{f}")),
            None => (item, String::new()),
        };
        if !is_local(uri) {
            return Ok(item.to_string());
        }
        let path = uri_path(uri);
        let Some(base) = &upload else {
            ctx.log("Exception in thread \"main\" org.apache.spark.SparkException: Please specify spark.kubernetes.file.upload.path property.");
            return Err(());
        };
        let crate::files::Lookup::Found(bytes) =
            crate::files::read(&ctx.cluster, &ctx.pod, &ctx.container, path)
        else {
            let name = path.rsplit('/').next().unwrap_or(path);
            ctx.log(format!("Exception in thread \"main\" org.apache.spark.SparkException: Uploading file {path} failed...\nCaused by: org.apache.spark.SparkException: Error uploading file {name}\nCaused by: java.io.FileNotFoundException: File file:{path} does not exist"));
            return Err(());
        };
        n += 1;
        let id = hex(seed ^ n.wrapping_mul(0x9e37_79b9), 32);
        let dest = format!(
            "{}/spark-upload-{}-{}-{}-{}-{}/{}",
            base.trim_end_matches('/'),
            &id[..8],
            &id[8..12],
            &id[12..16],
            &id[16..20],
            &id[20..],
            path.rsplit('/').next().unwrap_or(path)
        );
        ctx.spark_log(
            "INFO",
            "KubernetesUtils",
            &format!("Uploading file: {path} to dest: {dest}..."),
        );
        ctx.cluster.files.upload(&dest, bytes);
        Ok(format!("{dest}{fragment}"))
    };
    for key in LIST_KEYS {
        if let Some(list) = conf.get(key).cloned() {
            let items = list
                .split(',')
                .filter(|i| !i.trim().is_empty())
                .map(|i| up(i.trim()))
                .collect::<Result<Vec<_>, _>>()?;
            conf.insert(key.into(), items.join(","));
        }
    }
    let special = [
        "spark-internal",
        "spark-shell",
        "pyspark-shell",
        "sparkr-shell",
        "",
    ];
    if !special.contains(&resource.as_str()) && is_local(resource) {
        let dest = up(resource)?;
        if resource.ends_with(".py") || resource.ends_with(".R") {
            *resource = dest;
        } else {
            let jars = conf.entry("spark.jars".into()).or_default();
            if !jars.is_empty() {
                jars.push(',');
            }
            jars.push_str(&dest);
            *resource = "spark-internal".into();
        }
    }
    Ok(())
}

/// `spark.kubernetes.{role}.secrets.<name>=<path>`: Spark's MountSecretsFeatureStep.
fn mount_secrets(pod: &mut Value, conf: &BTreeMap<String, String>, role: &str) {
    let prefix = format!("spark.kubernetes.{role}.secrets.");
    for (k, path) in conf {
        let Some(secret) = k.strip_prefix(&prefix) else {
            continue;
        };
        let volume = format!("{secret}-volume");
        if let Some(v) = pod
            .pointer_mut("/spec/volumes")
            .and_then(Value::as_array_mut)
        {
            v.push(json!({"name": volume, "secret": {"secretName": secret}}));
        } else {
            pod["spec"]["volumes"] = json!([{"name": volume, "secret": {"secretName": secret}}]);
        }
        let c = &mut pod["spec"]["containers"][0];
        let mount = json!({"name": volume, "mountPath": path});
        match c.get_mut("volumeMounts").and_then(Value::as_array_mut) {
            Some(m) => m.push(mount),
            None => c["volumeMounts"] = json!([mount]),
        }
    }
}

/// Adds `volume` to the pod and mounts it at `path` in its first container.
fn mount_volume(pod: &mut Value, volume: Value, path: &str) {
    let mount = json!({"name": volume["name"], "mountPath": path});
    match pod
        .pointer_mut("/spec/volumes")
        .and_then(Value::as_array_mut)
    {
        Some(v) => v.push(volume),
        None => pod["spec"]["volumes"] = json!([volume]),
    }
    let c = &mut pod["spec"]["containers"][0];
    match c.get_mut("volumeMounts").and_then(Value::as_array_mut) {
        Some(m) => m.push(mount),
        None => c["volumeMounts"] = json!([mount]),
    }
}

/// What the driver does with its dependencies (in-driver spark-submit downloads, then
/// `SparkContext.addJar`/`addFile`): each must be readable, from its volumes, the image or the
/// upload store. Prints Spark's `Added JAR`/`Added file` lines and, for each file whose bytes
/// kubesim holds, `kubesim: dependency <uri>: <n> bytes, fnv1a64 <hex>`.
///
/// Returns what `SparkContext.addFile`/`addArchive` registered, for
/// [`crate::sparkfiles::spark_files_get`]: a `local:` file or archive is not registered (Spark
/// logs a warning instead of `Added file`).
fn check_dependencies(
    ctx: &ProgramCtx,
    conf: &BTreeMap<String, String>,
    resource: &str,
) -> Result<crate::sparkfiles::Registered, ()> {
    let mut registered = crate::sparkfiles::Registered::new();
    let upload = conf
        .get("spark.kubernetes.file.upload.path")
        .map(|u| u.trim_end_matches('/').to_string());
    let host = conf
        .get("spark.driver.host")
        .cloned()
        .unwrap_or_else(|| "driver".into());
    let in_cluster_driver = conf
        .get("spark.kubernetes.submitInDriver")
        .is_some_and(|v| v == "true");
    // (kind, uri, whether it goes through SparkContext.addFile's getFileStatus)
    let mut items: Vec<(&str, String, bool)> = Vec::new();
    if ![
        "spark-internal",
        "spark-shell",
        "pyspark-shell",
        "sparkr-shell",
        "",
    ]
    .contains(&resource)
    {
        items.push(("resource", resource.to_string(), false));
    }
    for (key, kind) in LIST_KEYS.iter().zip(["JAR", "file", "file", "archive"]) {
        for item in conf.get(*key).into_iter().flat_map(|l| l.split(',')) {
            if !item.trim().is_empty() {
                items.push((kind, item.trim().to_string(), *key == "spark.files"));
            }
        }
    }
    let millis = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis());
    for (kind, item, add_file) in items {
        let uri = item.split('#').next().unwrap_or(&item);
        let local = uri.starts_with("local:") || is_local(uri);
        if add_file && !uri.starts_with("local:") && is_local(uri) {
            // SparkContext.addFile: a plain or file: path must be a file on this container's
            // disk (Hadoop's getFileStatus); a path from the submitting machine is not there.
            let path = uri_path(uri);
            if matches!(
                crate::files::read_strict(&ctx.cluster, &ctx.pod, &ctx.container, path),
                crate::files::Lookup::Missing
            ) {
                ctx.spark_log("ERROR", "SparkContext", "Error initializing SparkContext.");
                ctx.log(format!("Exception in thread \"main\" java.io.FileNotFoundException: File file:{path} does not exist"));
                return Err(());
            }
        }
        let content = if local {
            match crate::files::read(&ctx.cluster, &ctx.pod, &ctx.container, uri_path(uri)) {
                crate::files::Lookup::Found(b) => Some(Some(b)),
                crate::files::Lookup::Image => Some(None),
                crate::files::Lookup::Missing => None,
            }
        } else {
            match ctx.cluster.files.uploaded(uri) {
                Some(b) => Some(Some(b)),
                None if upload.as_ref().is_some_and(|u| uri.starts_with(u.as_str())) => None,
                None => Some(None),
            }
        };
        let Some(content) = content else {
            if in_cluster_driver && local && matches!(kind, "JAR" | "file") {
                // SparkSubmit in a cluster-mode driver copies files, jars and pyFiles into its
                // working directory first (SPARK-33782, `downloadResourcesToCurrentDirectory`:
                // `Files.copy` from the local path), so a missing one fails there.
                ctx.log(format!(
                    "Exception in thread \"main\" java.nio.file.NoSuchFileException: {}",
                    uri_path(uri)
                ));
            } else {
                ctx.log(format!(
                    "Exception in thread \"main\" java.io.FileNotFoundException: File {uri} does not exist"
                ));
            }
            return Err(());
        };
        let name = uri.rsplit('/').next().unwrap_or(uri);
        // SparkContext.addFile (addArchive too) returns at once for a local: URI.
        let served = !(matches!(kind, "file" | "archive") && uri.starts_with("local:"));
        if !served {
            ctx.spark_log("WARN", "SparkContext", &format!("File with 'local' scheme {uri} is not supported to add to file server, since it is already available on every node."));
        } else if matches!(kind, "file" | "archive") {
            // An archive is unpacked into the SparkFiles directory under its #name.
            let fragment = item.split_once('#').map(|(_, f)| f);
            let key = match (kind, fragment) {
                ("archive", Some(f)) => f,
                _ => name,
            };
            registered.insert(key.to_string(), content.clone());
        }
        if kind != "resource" && served {
            let dir = if kind == "JAR" { "jars" } else { "files" };
            ctx.spark_log(
                "INFO",
                "SparkContext",
                &format!("Added {kind} {item} at spark://{host}:7078/{dir}/{name} with timestamp {millis}"),
            );
        }
        if let Some(b) = content {
            ctx.spark_log(
                "INFO",
                "kubesim",
                &format!(
                    "dependency {uri}: {} bytes, fnv1a64 {:016x}",
                    b.len(),
                    crate::files::fnv1a64(&b)
                ),
            );
        }
    }
    Ok(registered)
}

/// The executor pods a driver asks for: Spark's names, labels, requests and owner reference.
pub(crate) fn executor_pods(
    ctx: &ProgramCtx,
    conf: &BTreeMap<String, String>,
    app_id: &str,
) -> Vec<Value> {
    let name = conf
        .get("spark.app.name")
        .cloned()
        .unwrap_or_else(|| "app".into());
    let driver_name = ctx.log_key.1.clone();
    let driver_uid = ctx
        .pod
        .pointer("/metadata/uid")
        .cloned()
        .unwrap_or(Value::Null);
    let executors: u32 = conf_parsed(conf, "spark.executor.instances", 2);
    // KubernetesExecutorConf.resourceNamePrefix: spark.kubernetes.executor.podNamePrefix (set by
    // spark-submit in cluster mode), else KubernetesConf.getResourceNamePrefix(appName), which
    // draws a random id: two drivers of one app name never share executor names.
    let prefix = conf
        .get("spark.kubernetes.executor.podNamePrefix")
        .cloned()
        .unwrap_or_else(|| resource_name_prefix(&name, &hex(ctx.id_seed().rotate_left(41), 16)));
    let image = conf
        .get("spark.kubernetes.executor.container.image")
        .or_else(|| conf.get("spark.kubernetes.container.image"))
        .cloned()
        .unwrap_or_else(|| "apache/spark:4.3.0".into());
    let mem = pod_memory_mib(conf, "executor", false);
    let cpu = conf
        .get("spark.kubernetes.executor.request.cores")
        .or_else(|| conf.get("spark.executor.cores"))
        .cloned()
        .unwrap_or_else(|| "1".into());
    // BasicExecutorFeatureStep's SPARK_DRIVER_URL: spark.driver.host (the driver service in
    // cluster mode), else the driver's own address (client mode: its pod's IP).
    let host = conf.get("spark.driver.host").cloned().unwrap_or_else(|| {
        let pods_r = crate::resources::find("", "v1", "pods").expect("served");
        ctx.cluster
            .store
            .get(pods_r, &ctx.ns(), &driver_name)
            .ok()
            .and_then(|p| {
                p.pointer("/status/podIP")
                    .and_then(Value::as_str)
                    .map(str::to_string)
            })
            .unwrap_or_else(|| driver_name.clone())
    });
    let port = conf
        .get("spark.driver.port")
        .cloned()
        .unwrap_or_else(|| "7078".into());
    let driver_url = format!("spark://CoarseGrainedScheduler@{host}:{port}");
    let mut extra_labels = serde_json::Map::new();
    for (k, v) in conf {
        if let Some(l) = k.strip_prefix("spark.kubernetes.executor.label.") {
            extra_labels.insert(l.into(), json!(v));
        }
    }
    (1..=executors)
        .map(|id| {
            let mut labels = extra_labels.clone();
            labels.insert("spark-app-selector".into(), json!(app_id));
            labels.insert("spark-role".into(), json!("executor"));
            labels.insert("spark-exec-id".into(), json!(id.to_string()));
            labels.insert("spark-exec-resourceprofile-id".into(), json!("0"));
            labels.insert("spark-version".into(), json!("4.3.0"));
            let mut pod = json!({"apiVersion": "v1", "kind": "Pod",
                "metadata": {"name": format!("{prefix}-exec-{id}"), "labels": labels, "ownerReferences": [{"apiVersion": "v1", "kind": "Pod", "controller": true, "name": driver_name, "uid": driver_uid}]},
                "spec": {"restartPolicy": "Never", "containers": [{"name": "spark-kubernetes-executor", "image": image, "args": ["executor"],
                    "env": [{"name": "SPARK_DRIVER_URL", "value": driver_url}, {"name": "SPARK_EXECUTOR_ID", "value": id.to_string()}, {"name": "SPARK_APPLICATION_ID", "value": app_id}],
                    "resources": {"requests": {"cpu": cpu, "memory": format!("{mem}Mi")}, "limits": {"memory": format!("{mem}Mi")}}}]}});
            mount_secrets(&mut pod, conf, "executor");
            pod
        })
        .collect()
}

/// Creates executors from `created` on, in order; stops at the first refusal (logged as Spark's
/// allocator does) and returns how many exist now.
pub(crate) fn create_executors(
    ctx: &ProgramCtx,
    ns: &str,
    pods: &[Value],
    created: usize,
) -> usize {
    for (i, pod) in pods.iter().enumerate().skip(created) {
        if let Err(e) = ctx.call(
            "POST",
            &format!("/api/v1/namespaces/{ns}/pods"),
            "application/json",
            Some(pod),
        ) {
            ctx.spark_log("WARN", "ExecutorPodsSnapshotsStoreImpl", &format!("Exception when notifying snapshot subscriber.\nio.fabric8.kubernetes.client.KubernetesClientException: Failure executing: POST at: https://kubernetes.default.svc/api/v1/namespaces/{ns}/pods. Message: {}.", e.message()));
            return i;
        }
    }
    pods.len()
}

/// What `KubernetesClusterSchedulerBackend.start` asks of the API before any executor exists:
/// the driver's own pod (`ExecutorPodsAllocator.start`), a watch on the application's executors
/// (`ExecutorPodsWatchSnapshotSource.start`) and the executors' config map
/// (`setUpExecutorConfigMap`, owned by the driver pod). A refusal fails the SparkContext.
fn scheduler_backend_start(ctx: &ProgramCtx, ns: &str, app_id: &str) -> Result<(), ApiError> {
    let driver = ctx.log_key.1.clone();
    ctx.authorize("GET", &format!("/api/v1/namespaces/{ns}/pods/{driver}"))?;
    let executors = format!("spark-app-selector%3D{app_id}%2Cspark-role%3Dexecutor");
    ctx.authorize(
        "GET",
        &format!("/api/v1/namespaces/{ns}/pods?labelSelector={executors}&watch=true"),
    )?;
    let uid = ctx
        .pod
        .pointer("/metadata/uid")
        .cloned()
        .unwrap_or(Value::Null);
    let name = format!(
        "spark-exec-{}-conf-map",
        hex(ctx.id_seed().rotate_left(7), 16)
    );
    let config_map = json!({"apiVersion": "v1", "kind": "ConfigMap",
        "metadata": {"name": name, "labels": {"spark-app-selector": app_id, "spark-role": "executor"},
            "ownerReferences": [{"apiVersion": "v1", "kind": "Pod", "controller": true, "name": driver, "uid": uid}]},
        "immutable": true, "data": {"spark.kubernetes.namespace": ns}});
    ctx.call(
        "POST",
        &format!("/api/v1/namespaces/{ns}/configmaps"),
        "application/json",
        Some(&config_map),
    )
    .map(|_| ())
}

/// `ExecutorPodsAllocator.getReusablePVCs`, before each allocation batch: the application's
/// claims (a refusal is logged at INFO and allocation goes on).
fn reusable_pvcs(ctx: &ProgramCtx, ns: &str, app_id: &str) {
    let path = format!(
        "/api/v1/namespaces/{ns}/persistentvolumeclaims?labelSelector=spark-app-selector%3D{app_id}"
    );
    if ctx.call("GET", &path, "application/json", None).is_err() {
        ctx.spark_log(
            "INFO",
            "ExecutorPodsAllocator",
            "Cannot list PVC resources. Please check account permissions.",
        );
    }
}

/// `KubernetesClusterSchedulerBackend.stop` with Spark 4's defaults: the application's services
/// (`spark.kubernetes.driver.service.deleteOnTermination`) and claims
/// (`spark.kubernetes.driver.ownPersistentVolumeClaim`), then its executors and their config map
/// (`spark.kubernetes.executor.deleteOnTermination`); each refusal is only logged.
fn scheduler_backend_stop(
    ctx: &ProgramCtx,
    conf: &BTreeMap<String, String>,
    ns: &str,
    app_id: &str,
) {
    let app = format!("spark-app-selector%3D{app_id}");
    let on = |key: &str| conf.get(key).map(String::as_str) != Some("false");
    let kinds = [
        (
            "services",
            "spark.kubernetes.driver.service.deleteOnTermination",
        ),
        (
            "persistentvolumeclaims",
            "spark.kubernetes.driver.ownPersistentVolumeClaim",
        ),
    ];
    for (plural, _) in kinds.iter().filter(|(_, key)| on(key)) {
        let path = format!("/api/v1/namespaces/{ns}/{plural}?labelSelector={app}");
        if let Err(e) = ctx.call("DELETE", &path, "application/json", None) {
            ctx.spark_log("ERROR", "Utils", &format!("Uncaught exception in thread main\nio.fabric8.kubernetes.client.KubernetesClientException: {}", e.message()));
        }
    }
    delete_executors(ctx, ns, app_id);
    let _ = ctx.call(
        "DELETE",
        &format!("/api/v1/namespaces/{ns}/configmaps?labelSelector={app}%2Cspark-role%3Dexecutor"),
        "application/json",
        None,
    );
}

/// Deletes the application's executors, as the driver does when it stops.
pub(crate) fn delete_executors(ctx: &ProgramCtx, ns: &str, app_id: &str) {
    let selector = format!("spark-app-selector%3D{app_id}%2Cspark-role%3Dexecutor");
    let _ = ctx.call(
        "DELETE",
        &format!("/api/v1/namespaces/{ns}/pods?labelSelector={selector}"),
        "application/json",
        None,
    );
}

/// Whether a driver pod (as a watch or a get saw it) no longer runs the driver: gone, replaced by
/// a new pod of the same name, or ended.
fn driver_gone(pod: Option<&Value>, uid: &str) -> bool {
    pod.is_none_or(|p| {
        p.pointer("/metadata/uid").and_then(Value::as_str) != Some(uid)
            || matches!(
                p.pointer("/status/phase").and_then(Value::as_str),
                Some("Succeeded" | "Failed")
            )
    })
}

/// An executor: connected to its driver (the pod its controller ownerReference names, at
/// `SPARK_DRIVER_URL`) until its pod is deleted or the driver stops running. As Spark 4's:
/// - a driver already gone at start: `KubernetesExecutorBackend.run` cannot fetch the driver's
///   properties (`setupEndpointRefByURI`, 3 tries) and `main` dies with the exception, exit 1;
/// - a driver that ends while it runs: `CoarseGrainedExecutorBackend.onDisconnected` calls
///   `exitExecutor(1, "Driver <host:port> disassociated! Shutting down.")`, which logs
///   `Executor self-exiting due to : …` at ERROR and sends itself `Shutdown`; `executor.stop()`
///   stops the RpcEnv, `run` returns and `main` ends in `System.exit(0)` (the 1 only chooses the
///   log level since SPARK-35714's follow-up), so the container exits 0.
///
/// An executor pod with no driver owner runs until deleted.
async fn executor(ctx: &mut ProgramCtx) -> Exit {
    ctx.spark_log(
        "INFO",
        "CoarseGrainedExecutorBackend",
        "Started daemon with process name: 1@executor",
    );
    let owner = crate::each(&ctx.pod, "/metadata/ownerReferences")
        .find(|o| o["kind"] == "Pod" && o["controller"] == true)
        .cloned();
    let watch = owner.as_ref().and_then(|o| {
        let filter = one_pod(ctx.ns(), o["name"].as_str().unwrap_or_default())?;
        ctx.cluster.store.watch(filter, None).ok()
    });
    let (Some(owner), Some((initial, mut rx))) = (owner, watch) else {
        let _ = ctx.stop.wait_for(|s| *s).await;
        return Exit::code(143);
    };
    let uid = owner["uid"].as_str().unwrap_or_default().to_string();
    let url = ctx.env.get("SPARK_DRIVER_URL").cloned().unwrap_or_else(|| {
        format!(
            "spark://CoarseGrainedScheduler@{}:7078",
            owner["name"].as_str().unwrap_or_default()
        )
    });
    let address = url.rsplit('@').next().unwrap_or(&url).to_string();
    if driver_gone(initial.first().map(|e| &e["object"]), &uid) {
        ctx.log("Exception in thread \"main\" java.lang.reflect.UndeclaredThrowableException");
        ctx.log("Caused by: org.apache.spark.SparkException: Exception thrown in awaitResult: ");
        ctx.log(format!(
            "Caused by: java.io.IOException: Failed to connect to {address}"
        ));
        return Exit::code(1);
    }
    ctx.spark_log(
        "INFO",
        "CoarseGrainedExecutorBackend",
        &format!("Connecting to driver: {url}"),
    );
    ctx.spark_log(
        "INFO",
        "CoarseGrainedExecutorBackend",
        "Successfully registered with driver",
    );
    let mut stop = ctx.stop.clone();
    let disconnected = loop {
        tokio::select! {
            ev = rx.recv() => match ev {
                Some(ev) if ev["type"] == "DELETED" || driver_gone(Some(&ev["object"]), &uid) => {
                    break true;
                }
                Some(_) => {}
                // The store never ends an in-process watch; should it, wait for the pod's end.
                None => break false,
            },
            _ = stop.wait_for(|s| *s) => return Exit::code(143),
        }
    };
    if !disconnected {
        let _ = stop.wait_for(|s| *s).await;
        return Exit::code(143);
    }
    ctx.spark_log(
        "ERROR",
        "CoarseGrainedExecutorBackend",
        &format!("Executor self-exiting due to : Driver {address} disassociated! Shutting down."),
    );
    ctx.spark_log("INFO", "MemoryStore", "MemoryStore cleared");
    ctx.spark_log("INFO", "BlockManager", "BlockManager stopped");
    ctx.spark_log("INFO", "ShutdownHookManager", "Shutdown hook called");
    Exit::code(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conf_args_then_extra_files_then_the_properties_file() {
        let m = |pairs: &[(&str, &str)]| -> BTreeMap<String, String> {
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        };
        let merged = merge_conf(
            m(&[("a", "arg")]),
            vec![
                m(&[("a", "file"), ("b", "file"), ("c", "file")]),
                m(&[("a", "extra1"), ("b", "extra1")]),
                m(&[("b", "extra2")]),
            ],
        );
        assert_eq!(merged, m(&[("a", "arg"), ("b", "extra2"), ("c", "file")]));
    }

    /// What `java.util.Properties.store` writes (escapes, comments, the date line) reads back.
    #[test]
    fn properties_read_as_java_loads_them() {
        let text = "#Java properties built from Kubernetes config map with name: x\n\
                    #Mon Dec 07 20:56:36 UTC 2026\n\
                    spark.master=k8s\\://https\\://kubernetes.default.svc\n\
                    a\\ key=\\ lead\\=x\\#\\!\\\\\n\
                    ! a comment\n\
                    spark.empty=\n\
                    colon:value\n\
                    spark.name=\\u540d\\u524d\n";
        let p = parse_properties(text);
        assert_eq!(p["spark.master"], "k8s://https://kubernetes.default.svc");
        assert_eq!(p["a key"], " lead=x#!\\");
        assert_eq!(p["spark.empty"], "");
        assert_eq!(p["colon"], "value");
        assert_eq!(p["spark.name"], "名前");
        assert_eq!(p.len(), 5, "{p:?}");
    }

    #[test]
    fn env_expansion_matches_the_kubelet() {
        let env = BTreeMap::from([("A".to_string(), "x".to_string())]);
        let e = expand_env(&env);
        assert_eq!(e("$(A)"), "x");
        assert_eq!(e("$$(A)"), "$(A)");
        assert_eq!(e("$(B)"), "$(B)");
        assert_eq!(e("a$b"), "a$b");
        assert_eq!(e("é$(A)"), "éx");
    }

    #[test]
    fn memory_like_spark() {
        let conf = BTreeMap::new();
        assert_eq!(pod_memory_mib(&conf, "driver", false), 1408);
        assert_eq!(pod_memory_mib(&conf, "driver", true), 1433);
        let conf = BTreeMap::from([("spark.executor.memory".to_string(), "4g".to_string())]);
        assert_eq!(pod_memory_mib(&conf, "executor", false), 4505);
    }

    /// Spark 4's `KubernetesConf.getResourceNamePrefix` rules (resource-managers/kubernetes/core/
    /// src/main/scala/org/apache/spark/deploy/k8s/KubernetesConf.scala).
    #[test]
    fn resource_name_prefix_like_spark() {
        let id = "a1b2c3d4e5f60718";
        assert_eq!(
            resource_name_prefix("Spark Pi", id),
            format!("spark-pi-{id}")
        );
        assert_eq!(resource_name_prefix("名前", id), id);
        assert_eq!(
            resource_name_prefix("名前", "0123456789abcdef"),
            "x123456789abcdef"
        );
        assert_eq!(
            resource_name_prefix("  _my__app ", id),
            format!("my-app-{id}")
        );
        assert_eq!(resource_name_prefix("7up", id), format!("xup-{id}"));
        assert_eq!(spark_clean("名前-exec"), "exec");
    }

    /// Two spark-submits that start between the same two store writes (same resourceVersion,
    /// pod names of the same length, as a burst of launcher jobs has) still get their own ids.
    #[test]
    fn concurrent_submits_draw_different_ids() {
        let cluster = Arc::new(Cluster::new("kubesim-1", "127.0.0.1:0", "t", 100));
        let ctx = |name: &str, uid: &str| ProgramCtx {
            cluster: cluster.clone(),
            pod: json!({"metadata": {"name": name, "uid": uid}}),
            container: json!({}),
            env: BTreeMap::new(),
            log_key: ("default".into(), name.into(), "c".into()),
            stop: watch::channel(false).1,
            stdin: None,
            latency: None,
        };
        let (a, b) = (ctx("w-018-submit", "uid-a"), ctx("w-019-submit", "uid-b"));
        assert_ne!(a.id_seed(), b.id_seed());
        assert_eq!(a.id_seed(), ctx("w-018-submit", "uid-a").id_seed());
    }

    /// A shell's arguments: spark-submit's options (with their values) wherever they are, the
    /// rest the shell's, in order.
    #[test]
    fn shells_take_mixed_arguments() {
        let args: Vec<String> = [
            "-S",
            "--master",
            "k8s://https://k",
            "--driver-java-options",
            "-Dx=y",
            "-e",
            "SELECT 1",
            "--conf",
            "spark.executor.cores=2",
            "-v",
            "--database",
            "sales",
        ]
        .map(String::from)
        .into();
        let parsed = parse_shell_args(&args);
        assert_eq!(parsed.master, "k8s://https://k");
        assert_eq!(parsed.conf["spark.executor.cores"], "2");
        assert_eq!(
            parsed.app_args,
            ["-S", "-e", "SELECT 1", "--database", "sales"]
        );
    }

    #[test]
    fn base64_decoding() {
        assert_eq!(b64_decode("aHVudGVyMg=="), "hunter2");
    }
}
