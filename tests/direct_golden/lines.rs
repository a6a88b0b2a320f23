//! Per-line goldens (issue 21, docs/direct-submit.md "The golden suite"): what the JVM
//! spark-submit of each modelled Spark line creates for every case of this suite, and direct
//! mode's whole pure path for that line (`plan::direct_mode::make`) compared with it.
//!
//! - `capture_line_goldens` (on demand: it downloads pyspark 3.5.9, 4.0.5, 4.1.4 and 4.2.1 and
//!   runs one JVM per line and case) runs each line's spark-submit exactly as
//!   `goldens_are_what_spark_submit_creates` runs the pinned one (the same in-pod argv, a
//!   kubesim without nodes, [`JVM_OPTIONS`]) and writes `tests/golden/direct-lines/<line>/
//!   <case>.json`: the arguments and the objects, or, when that spark-submit refuses the case,
//!   what it printed.
//! - `direct_mode_matches_each_lines_goldens` needs no JVM: for every line (4.3's goldens are
//!   `tests/golden/direct`) and case it plans the job in direct mode with that line's release
//!   and the golden's random values, undoes the one deliberate difference (the secret
//!   properties moved into the job's Secret), creates the objects in kubesim and compares them
//!   with the golden as `builder_matches_goldens` does. A case Spark refused must make direct
//!   mode fall back.

use std::process::Command;

use k8s_openapi::api::core::v1::Secret;
use spark_k8s_cli::plan::direct::Objects;
use spark_k8s_cli::plan::direct::version::SecretProperties;
use spark_k8s_cli::plan::direct_mode::{self, Release, SECRET_CONF_DIR, SECRET_PROPERTIES};
use spark_k8s_cli::resolve::properties;

use super::*;

/// The lines with goldens of their own and the pyspark release that captured them: the newest
/// patch release of each line docs/spark-versions.md measured.
const LINES: &[(&str, &str)] = &[
    ("3.5", "3.5.9"),
    ("4.0", "4.0.5"),
    ("4.1", "4.1.4"),
    ("4.2", "4.2.1"),
];

/// The pinned pyspark's line, whose goldens are `tests/golden/direct`.
const PINNED: (&str, &str) = ("4.3", "4.3.0");

fn fixture_path(line: &str, case: &Case) -> PathBuf {
    if line == PINNED.0 {
        return golden_path(case);
    }
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden/direct-lines")
        .join(line)
        .join(format!("{}.json", case.name))
}

/// What a line's spark-submit did with a case.
enum Fixture {
    /// It created `objects` (creation order, as [`created`] reads them) from `args`.
    Created {
        args: Vec<String>,
        objects: Vec<Value>,
    },
    /// It refused `args` and printed `output`.
    Refused { args: Vec<String>, output: String },
}

fn read_fixture(line: &str, case: &Case) -> Result<Fixture, String> {
    let path = fixture_path(line, case);
    let text = std::fs::read_to_string(&path).map_err(|e| {
        format!(
            "{}: {e}; capture it with SPARK_K8S_CLI_BLESS_LINES={line} cargo test --test \
             direct_golden capture_line_goldens -- --ignored",
            path.display()
        )
    })?;
    let v: Value = serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    fn field<T: serde::de::DeserializeOwned>(v: &Value, k: &str) -> Result<T, String> {
        serde_json::from_value(v[k].clone()).map_err(|e| format!("{k}: {e}"))
    }
    let args = field(&v, "sparkSubmitArgs")?;
    Ok(match v["refused"].as_str() {
        Some(output) => Fixture::Refused {
            args,
            output: output.to_string(),
        },
        None => Fixture::Created {
            args,
            objects: field(&v, "objects")?,
        },
    })
}

/// The JVM spark-submit of pyspark `version`, fetched once into
/// `<target dir>/spark-lines/pyspark-<version>` (`pip download` of the source package, then
/// only its `deps/bin` and `deps/jars` unpacked: `bin/spark-submit` finds its Spark home
/// beside it), under a lock so that test processes at once fetch it once.
fn line_spark_submit(version: &str) -> PathBuf {
    let cache = pyenv::target_dir().join("spark-lines");
    let home = cache.join(format!("pyspark-{version}"));
    let bin = home.join("bin").join("spark-submit");
    std::fs::create_dir_all(&cache).unwrap();
    let lock = std::fs::File::create(cache.join(".lock")).unwrap();
    lock.lock().unwrap();
    if bin.exists() {
        return bin;
    }
    let download = cache.join("download");
    let package = format!("pyspark=={version}");
    run_tool(
        Command::new("python3")
            .args(["-m", "pip", "download", "--no-deps", "--no-binary", ":all:"])
            .args(["--disable-pip-version-check", "--quiet", "--dest"])
            .arg(&download)
            .arg(&package),
    );
    let tarball = download.join(format!("pyspark-{version}.tar.gz"));
    let part = cache.join(format!("pyspark-{version}.part"));
    let _ = std::fs::remove_dir_all(&part);
    std::fs::create_dir_all(&part).unwrap();
    let top = format!("pyspark-{version}/deps");
    run_tool(
        Command::new("tar")
            .arg("-xzf")
            .arg(&tarball)
            .arg("-C")
            .arg(&part)
            .args(["--strip-components=2", "--wildcards"])
            .args([format!("{top}/bin/*"), format!("{top}/jars/*")]),
    );
    std::fs::rename(&part, &home).unwrap();
    std::fs::remove_file(&tarball).unwrap();
    bin
}

fn run_tool(cmd: &mut Command) {
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("{cmd:?} did not start: {e}"));
    assert!(
        out.status.success(),
        "{cmd:?} failed ({}); it needs python3 with pip and access to the Python package \
         index (or a pip configured with a mirror):\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The lines `SPARK_K8S_CLI_BLESS_LINES` (a comma list) names.
fn lines_to_bless() -> Vec<(&'static str, &'static str)> {
    let wanted = std::env::var("SPARK_K8S_CLI_BLESS_LINES").unwrap_or_default();
    let names: Vec<&str> = wanted.split(',').map(str::trim).collect();
    for n in names.iter().filter(|n| !n.is_empty()) {
        assert!(
            LINES.iter().any(|(l, _)| l == n),
            "SPARK_K8S_CLI_BLESS_LINES names {n}: the lines with goldens of their own are {LINES:?}"
        );
    }
    LINES
        .iter()
        .copied()
        .filter(|(l, _)| names.contains(l))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "on demand: downloads four pyspark releases (about 1.6 GB) and runs a JVM per line and \
            case; SPARK_K8S_CLI_BLESS_LINES=3.5,4.0,4.1,4.2 cargo test --test direct_golden \
            capture_line_goldens -- --ignored"]
async fn capture_line_goldens() {
    let lines = lines_to_bless();
    assert!(
        !lines.is_empty(),
        "name the lines to capture: SPARK_K8S_CLI_BLESS_LINES=3.5,4.0,4.1,4.2"
    );
    let cases = selected();
    let stems = cases.iter().flat_map(|c| templates(c.name));
    for (path, text) in stems.map(|(stem, text)| (template_path(&stem), text)) {
        std::fs::create_dir_all(Path::new(&path).parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
    }
    let mut problems = Vec::new();
    for (line, version) in lines {
        let bin = line_spark_submit(version);
        problems.extend(capture(line, version, &bin, &cases).await);
    }
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}

/// Runs `bin` for each case against a kubesim of its own and writes the line's fixtures.
async fn capture(line: &str, version: &str, bin: &Path, cases: &[&'static Case]) -> Vec<String> {
    let mut sims = Vec::new();
    for _ in cases {
        let sim = sim().await;
        let before = baseline(&sim);
        sims.push((sim, before));
    }
    let argvs: Vec<Vec<String>> = cases
        .iter()
        .zip(&sims)
        .map(|(case, (sim, _))| spark_submit_args(case, &sim.url(0)))
        .collect();
    let outputs = run_two_at_a_time(bin, &argvs, cases).await;
    let mut problems = Vec::new();
    for (i, case) in cases.iter().enumerate() {
        let (sim, before) = &sims[i];
        let (deployed, output) = &outputs[i];
        let objects = created(sim, before);
        // A client timeout says the machine was too busy, not what the line does.
        if output.contains("TimeoutException") {
            problems.push(format!(
                "{line} {}: spark-submit timed out (a busy machine?); capture it again:\n{output}",
                case.name
            ));
            continue;
        }
        let fixture = if *deployed {
            if let Err(e) = line_randoms(&objects, &argvs[i]) {
                problems.push(format!("{line} {}: {e}", case.name));
            }
            json!({"sparkVersion": version, "sparkSubmitArgs": argvs[i], "objects": objects})
        } else {
            let server = sim.url(0).replace("http://", "");
            let tail: Vec<&str> = output.lines().rev().take(12).collect();
            let text: Vec<String> = tail
                .iter()
                .rev()
                .map(|l| l.replace(&server, "<kubesim>"))
                .collect();
            json!({"sparkVersion": version, "sparkSubmitArgs": argvs[i], "refused": text.join("\n")})
        };
        let path = fixture_path(line, case);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(
            &path,
            serde_json::to_string_pretty(&fixture).unwrap() + "\n",
        )
        .unwrap();
    }
    problems
}

/// Runs `bin` with each argv, two JVMs at a time (each takes a core for a few seconds):
/// whether it deployed, and what it printed.
async fn run_two_at_a_time(
    bin: &Path,
    argvs: &[Vec<String>],
    cases: &[&'static Case],
) -> Vec<(bool, String)> {
    let jobs: Vec<(PathBuf, Vec<String>, &'static str)> = argvs
        .iter()
        .zip(cases)
        .map(|(a, c)| (bin.to_path_buf(), a.clone(), c.name))
        .collect();
    tokio::task::spawn_blocking(move || {
        let run = |(bin, args, name): &(PathBuf, Vec<String>, &str)| {
            let sandbox = format!("direct-golden-line-{name}");
            let env = [("SPARK_USER", "alice"), ("JAVA_TOOL_OPTIONS", JVM_OPTIONS)];
            let (code, text) = pyenv::run_spark_submit(bin, args, &sandbox, &env);
            (
                code == 0 && text.contains("Deployed Spark application"),
                text,
            )
        };
        let (evens, odds): (Vec<_>, Vec<_>) =
            jobs.iter().enumerate().partition(|(i, _)| i % 2 == 0);
        let (a, b) = std::thread::scope(|scope| {
            let a = scope.spawn(|| evens.iter().map(|(_, j)| run(j)).collect::<Vec<_>>());
            let b = odds.iter().map(|(_, j)| run(j)).collect::<Vec<_>>();
            (a.join().unwrap(), b)
        });
        let mut out = Vec::new();
        let (mut a, mut b) = (a.into_iter(), b.into_iter());
        for i in 0..jobs.len() {
            out.extend(if i % 2 == 0 { a.next() } else { b.next() });
        }
        out
    })
    .await
    .unwrap()
}

/// [`Randoms::extract`] for every line: before 4.2 there is no NetworkPolicy, whose name
/// [`Randoms::extract`] reads the resource name prefix from, so one named after the Service
/// (`<prefix>-driver-svc`) stands in for it. When the prefix made the Service's name too long
/// (`spark-<16 hex>-driver-svc`), nothing Spark wrote before 4.2 shows the prefix's id: a
/// stand-in id is given, which no compared field holds.
fn line_randoms(objects: &[Value], args: &[String]) -> Result<Randoms, String> {
    if objects.iter().any(|o| o["kind"] == "NetworkPolicy") {
        return Randoms::extract(objects, args);
    }
    let pod = objects.iter().find(|o| o["kind"] == "Pod");
    let app = pod.map_or(&Value::Null, |p| &p["metadata"]["labels"]["spark-app-name"]);
    let svc = objects.iter().find(|o| o["kind"] == "Service");
    let svc_name = svc
        .and_then(|s| s["metadata"]["name"].as_str())
        .unwrap_or_default();
    let fallback = between(svc_name, "spark-", "-driver-svc");
    let prefix = if hex_of(&fallback, 16) && app != "spark" {
        "x000000000000000".to_string()
    } else {
        between(svc_name, "", "-driver-svc")
    };
    let mut with_policy = objects.to_vec();
    with_policy
        .push(json!({"kind": "NetworkPolicy", "metadata": {"name": format!("{prefix}-policy")}}));
    Randoms::extract(&with_policy, args)
}

/// `line`'s release as direct mode models it.
fn release_of(version: &str) -> Release {
    let v = spark_k8s_cli::resolve::version::parse(version).unwrap();
    direct_mode::release(Some(v)).unwrap()
}

/// The case planned in direct mode for `release`: the launcher's plan, the job as the submit
/// pod's spark-submit sees it (`args`), Spark's random values `r`, the case's pod templates.
fn direct_plan(
    case: &Case,
    args: &[String],
    release: &Release,
    r: plan::direct::Randoms,
) -> Result<plan::JobPlan, String> {
    let in_pod = spark_k8s_cli::cli::prepare(
        spark_k8s_cli::parse::SparkCommand::Submit,
        "spark-submit",
        args,
        &env_of(&[]),
        &files_of(&[]),
    )
    .map_err(|e| format!("{e:?}"))?;
    let text = |stem: String| template_of(&stem).map(str::to_string);
    let files = plan::direct::Files {
        driver_pod_template: text(case.name.to_string()),
        executor_pod_template: text(format!("{}-executor", case.name)),
    };
    direct_mode::make(plan_of(case), in_pod, release.clone(), r, "alice", files)
        .map_err(|e| e.to_string())
}

/// The golden's random values as the builder takes them.
fn builder_randoms(r: &Randoms) -> plan::direct::Randoms {
    let mut b = direct_mode::randoms(0, r.submit_time.parse().unwrap());
    (b.app_id, b.resource_id, b.service_id) = (
        r.app_id.clone(),
        r.resource_id.clone(),
        r.service_id.clone(),
    );
    (b.config_map_id, b.local_dir_uuid) = (r.config_map_id.clone(), r.local_dir_uuid.clone());
    b
}

/// The driver's properties in `objects`' ConfigMap.
fn properties_in(objects: &Objects) -> BTreeMap<String, String> {
    let data = objects.config_map.data.as_ref();
    let text = data.and_then(|d| d.get(plan::direct::PROPERTIES));
    properties::parse(text.map_or("", String::as_str))
        .into_iter()
        .collect()
}

/// Direct mode's one deliberate difference from Spark undone (docs/direct-submit.md, "Direct
/// mode in the launcher"): the properties of the job's Secret put back into the ConfigMap, the
/// args, env, volume and mount that read them from the Secret dropped. Returns the properties.
fn undo_secret_split(
    objects: &mut Objects,
    secret: &Secret,
    how: SecretProperties,
) -> Result<BTreeMap<String, String>, String> {
    let data = secret.string_data.clone().unwrap_or_default();
    let c = plan::direct::driver_container_mut(&mut objects.pod).ok_or("no driver container")?;
    let args = c.args.take().unwrap_or_default();
    let mut kept = Vec::new();
    let mut moved = BTreeMap::new();
    let mut it = args.into_iter().peekable();
    while let Some(a) = it.next() {
        let next = it.peek().cloned().unwrap_or_default();
        let conf = next
            .rsplit_once("=$(SPARK_K8SCLI_SECRET_CONF_")
            .and_then(|(k, n)| Some((k.replace("$$", "$"), n.strip_suffix(')')?.to_string())));
        match (a.as_str(), conf, how) {
            ("--extra-properties-file", _, SecretProperties::ExtraPropertiesFile)
                if next == format!("{SECRET_CONF_DIR}/{SECRET_PROPERTIES}") =>
            {
                let text = data
                    .get(SECRET_PROPERTIES)
                    .ok_or("no properties in the Secret")?;
                moved.extend(properties::parse(text));
            }
            ("--conf", Some((key, n)), SecretProperties::ConfArgs) => {
                let value = data
                    .get(&format!("conf-{n}"))
                    .ok_or("a key missing in the Secret")?;
                moved.insert(key, value.clone());
            }
            _ => {
                kept.push(a);
                continue;
            }
        }
        it.next();
    }
    c.args = Some(kept);
    let ours = |name: &str| {
        name.starts_with("SPARK_K8SCLI_SECRET_CONF_") || name.starts_with("spark-secret-conf")
    };
    c.env.iter_mut().for_each(|e| e.retain(|v| !ours(&v.name)));
    c.volume_mounts
        .iter_mut()
        .for_each(|m| m.retain(|v| !ours(&v.name)));
    let spec = objects.pod.spec.as_mut().ok_or("a pod without spec")?;
    spec.volumes
        .iter_mut()
        .for_each(|v| v.retain(|v| !ours(&v.name)));
    let read = match how {
        SecretProperties::ConfArgs => moved.len(),
        SecretProperties::ExtraPropertiesFile => usize::from(!moved.is_empty()),
    };
    if read != data.len() {
        return Err(format!(
            "the driver reads {read} of the Secret's {} keys",
            data.len()
        ));
    }
    let cm = objects
        .config_map
        .data
        .as_mut()
        .ok_or("a ConfigMap without data")?;
    let text = cm
        .get_mut(plan::direct::PROPERTIES)
        .ok_or("no spark.properties")?;
    let mut all: BTreeMap<String, String> = properties::parse(text).into_iter().collect();
    all.extend(moved.clone());
    let head: Vec<&str> = text.lines().take_while(|l| l.starts_with('#')).collect();
    let pairs: Vec<(String, String)> = all.into_iter().collect();
    *text = format!("{}\n{}", head.join("\n"), properties::render(&pairs));
    Ok(moved)
}

/// Spark's writes in a golden, in order: kind, operation, field manager.
fn writes_of(objects: &[Value]) -> Vec<String> {
    objects
        .iter()
        .map(|o| {
            let m = &o["metadata"]["managedFields"][0];
            format!("{} {} {}", o["kind"], m["operation"], m["manager"]).replace('"', "")
        })
        .collect()
}

/// [`plan::direct::ORDER`] as `line` writes: no NetworkPolicy before 4.2, an executor pod
/// template's ConfigMap applied like the driver's, just before it.
fn our_writes(line: &Release, executor_template: bool) -> Vec<String> {
    let mut out = Vec::new();
    for (kind, write, manager) in plan::direct::ORDER {
        if kind == "NetworkPolicy" && !line.line.network_policy() {
            continue;
        }
        let op = match write {
            plan::direct::Write::Create => "Update",
            plan::direct::Write::Apply => "Apply",
        };
        let times = if kind == "ConfigMap" && executor_template {
            2
        } else {
            1
        };
        out.extend(std::iter::repeat_n(format!("{kind} {op} {manager}"), times));
    }
    out
}

/// One line's golden of one case against direct mode: the differences, one a line.
async fn compare(line: &str, version: &str, case: &Case) -> Result<Vec<String>, String> {
    let release = release_of(version);
    let (args, golden) = match read_fixture(line, case)? {
        Fixture::Refused { args, output } => {
            return match direct_plan(case, &args, &release, direct_mode::randoms(1, 1)) {
                Err(_) => Ok(Vec::new()),
                Ok(_) => Err(format!(
                    "Spark {version} refused the case, direct mode does not fall back:\n{output}"
                )),
            };
        }
        Fixture::Created { args, objects } => (args, objects),
    };
    let r = line_randoms(&golden, &args).map_err(|e| format!("golden: {e}"))?;
    let plan = direct_plan(case, &args, &release, builder_randoms(&r))
        .map_err(|e| format!("Spark {version} created the objects, direct mode falls back: {e}"))?;
    let mut objects = plan
        .direct
        .as_ref()
        .ok_or("no direct plan")?
        .objects
        .clone();
    let mut out = Vec::new();
    let want = writes_of(&golden);
    let have = our_writes(&release, objects.executor_pod_template.is_some());
    if want != have {
        out.push(format!("Spark wrote {want:?}, we write {have:?}"));
    }
    let before = properties_in(&objects);
    if let Some(secret) = &plan.secret {
        let moved = undo_secret_split(&mut objects, secret, release.line.secret_properties())?;
        for (k, v) in &moved {
            if before.contains_key(k) || before.values().any(|x| x == v) {
                out.push(format!("our ConfigMap holds the secret property {k}"));
            }
        }
    }
    let sim = sim().await;
    let base = baseline(&sim);
    create_ours(&sim, objects);
    let mut ours = created(&sim, &base);
    if !release.line.network_policy() {
        ours.retain(|o| o["kind"] != "NetworkPolicy");
    }
    out.extend(diff(
        (&format!("Spark {version}"), "ours"),
        &comparable(&golden),
        &comparable(&ours),
    ));
    Ok(out)
}

#[tokio::test]
async fn direct_mode_matches_each_lines_goldens() {
    let mut problems = Vec::new();
    for &(line, version) in LINES.iter().chain([&PINNED]) {
        for case in selected() {
            match compare(line, version, case).await {
                Ok(out) if out.is_empty() => {}
                Ok(out) => problems.push(format!("{line} {}:\n  {}", case.name, out.join("\n  "))),
                Err(e) => problems.push(format!("{line} {}: {e}", case.name)),
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}
