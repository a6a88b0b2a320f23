//! The launcher's own direct submit against the goldens: the real binary runs each case's
//! command line in `submitMode=direct` against kubesim, as a user would, and what it created
//! must be what Spark's JVM spark-submit created (the goldens), field by field, with the
//! writes in Spark's order and field managers. `builder_matches_goldens` proves the builder
//! alone; this proves the whole path (the edge's resolution of the in-pod argv, the pod
//! templates read on this machine, `plan::direct_mode`, `submit::direct`'s requests).
//!
//! Two differences are by design and undone before comparing, each checked on its own:
//! - the properties `spark.redaction.regex` matches are in the job's Secret, read by the driver
//!   with `--extra-properties-file` (Spark 4.2+), never in a ConfigMap ([`unsplit`]);
//! - the launcher's Secret of them is the one object Spark does not make.

use std::io::{BufRead, BufReader};
use std::process::Stdio;

use super::*;
use common::home::{HUNG, Home};
use common::mode::Mode;
use common::sandbox::Sandbox;

/// The release of the goldens' JVM spark-submit (the pinned pyspark's): direct mode then
/// makes what that spark-submit makes, whatever the image's tag says.
const GOLDEN_RELEASE: &str = "4.3.0";

/// The case's command line as the launcher runs it: the goldens' master, credentials and
/// `waitAppCompletion=false`, in direct mode as Spark `GOLDEN_RELEASE`.
fn launcher_argv(case: &Case, server: &str) -> Vec<String> {
    let mut argv: Vec<String> = shell_words(&line(case))[1..].to_vec();
    let at = argv.iter().position(|a| a == "--master").expect("--master");
    argv[at + 1] = format!("k8s://{server}");
    let extra = [
        "spark.kubernetes.authenticate.submission.oauthToken=kubesim-token".to_string(),
        "spark.kubernetes.submission.waitAppCompletion=false".to_string(),
        "spark.k8scli.submitMode=direct".to_string(),
        format!("spark.k8scli.sparkVersion={GOLDEN_RELEASE}"),
    ];
    let confs = extra.into_iter().flat_map(|c| ["--conf".to_string(), c]);
    argv.splice(at + 2..at + 2, confs);
    argv
}

/// Runs the launcher until it says it submitted the driver directly (every object is made by
/// then) or that it did not, then kills it (a cluster without nodes never runs the driver;
/// SIGKILL leaves what was made, as a launcher that died would). Its stderr up to then; a
/// launcher that says neither within [`HUNG`] is killed too.
fn submit(home: &Home, argv: &[String]) -> String {
    let args: Vec<&str> = argv.iter().map(String::as_str).collect();
    let mut child = home
        .cli(&args)
        .env("SPARK_USER", "alice")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let (done, said) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut seen = String::new();
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            seen.push_str(&line);
            seen.push('\n');
            let over = [
                "submitted directly",
                "submitting through a submit pod",
                "Error",
            ];
            if over.iter().any(|w| line.contains(w)) {
                break;
            }
        }
        let _ = done.send(seen);
    });
    let seen = said
        .recv_timeout(HUNG)
        .unwrap_or_else(|_| format!("(nothing decisive within {} s)", HUNG.as_secs()));
    let _ = child.kill();
    let _ = child.wait();
    seen
}

/// Our objects with the secret split undone: the Secret's properties back in the driver's
/// ConfigMap, the driver's `--extra-properties-file` argument, volume and mount gone, the
/// Secret itself out. Fails when a ConfigMap holds a secret property's value.
fn unsplit(mut objects: Vec<Value>, job: &str) -> Result<Vec<Value>, String> {
    let name = format!("{job}-conf");
    let is_ours = |o: &Value| o["kind"] == "Secret" && o["metadata"]["name"] == name.as_str();
    let Some(secret) = objects.iter().find(|o| is_ours(o)).cloned() else {
        return Ok(objects);
    };
    objects.retain(|o| !is_ours(o));
    let encoded = secret["data"][plan::direct_mode::SECRET_PROPERTIES]
        .as_str()
        .ok_or("the job's Secret has no spark-secret.properties")?;
    let text = String::from_utf8(base64(encoded)).map_err(|e| e.to_string())?;
    let secret_lines: Vec<&str> = text.lines().filter(|l| !l.starts_with('#')).collect();
    for o in &objects {
        let props = o["data"]["spark.properties"].as_str().unwrap_or_default();
        if o["kind"] == "ConfigMap"
            && let Some(l) = secret_lines
                .iter()
                .find(|l| props.lines().any(|p| p == **l))
        {
            return Err(format!(
                "ConfigMap {} holds a secret property's value ({l})",
                o["metadata"]["name"]
            ));
        }
    }
    for o in &mut objects {
        if let Some(Value::String(props)) = o.pointer_mut("/data/spark.properties") {
            for l in &secret_lines {
                props.push_str(l);
                props.push('\n');
            }
        }
        if o["kind"] != "Pod" {
            continue;
        }
        let volume = |v: &Value| v["secret"]["secretName"] == name.as_str();
        let spec = &mut o["spec"];
        let dropped: Vec<Value> = spec["volumes"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|v| volume(v))
            .map(|v| v["name"].clone())
            .collect();
        if let Some(vs) = spec.get_mut("volumes").and_then(Value::as_array_mut) {
            vs.retain(|v| !volume(v));
        }
        // `get_mut`, not indexing: indexing a missing key inserts a null.
        for c in spec["containers"].as_array_mut().into_iter().flatten() {
            if let Some(ms) = c.get_mut("volumeMounts").and_then(Value::as_array_mut) {
                ms.retain(|m| !dropped.contains(&m["name"]));
            }
            if let Some(args) = c.get_mut("args").and_then(Value::as_array_mut)
                && let Some(i) = args.iter().position(|a| a == "--extra-properties-file")
            {
                args.drain(i..i + 2);
            }
        }
    }
    Ok(objects)
}

/// Standard base64 (what the API server returns a Secret's data in).
fn base64(s: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        _ => 63,
    };
    let digits: Vec<u8> = s.bytes().filter(|c| *c != b'=').map(value).collect();
    digits
        .chunks(4)
        .flat_map(|c| {
            let n = c
                .iter()
                .enumerate()
                .fold(0u32, |n, (i, d)| n | u32::from(*d) << (18 - 6 * i));
            let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
            bytes.into_iter().take(c.len().saturating_sub(1))
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_launchers_direct_submit_matches_goldens() {
    write_templates(&selected());
    let mut problems = Vec::new();
    for case in selected() {
        let (args, golden) = read_golden(case);
        let want = Randoms::extract(&golden, &args)
            .unwrap_or_else(|e| panic!("{}: golden: {e}", case.name));
        let env = Sandbox::start(Mode::Cluster, &format!("golden-{}", case.name), config()).await;
        let before = baseline(&env.sim);
        let argv = launcher_argv(case, &env.sim.url(0));
        let said = submit(&env, &argv);
        if !said.contains("submitted directly") {
            problems.push(format!("{}: not submitted directly:\n{said}", case.name));
            continue;
        }
        let job = format!("golden-{}", case.name);
        let ours = match unsplit(created(&env.sim, &before), &job) {
            Ok(o) => o,
            Err(e) => {
                problems.push(format!("{}: {e}", case.name));
                continue;
            }
        };
        let master = ["--master".to_string(), format!("k8s://{}", env.sim.url(0))];
        let have = match Randoms::extract(&ours, &master) {
            Ok(r) => r,
            Err(e) => {
                problems.push(format!("{}: ours: {e}", case.name));
                continue;
            }
        };
        let writes = |objects: &[Value]| -> Vec<String> {
            objects
                .iter()
                .map(|o| {
                    let m = &o["metadata"]["managedFields"];
                    format!("{} {}", o["kind"], m)
                })
                .collect()
        };
        if writes(&golden) != writes(&ours) {
            problems.push(format!(
                "{}: Spark wrote {:?}, we wrote {:?}",
                case.name,
                writes(&golden),
                writes(&ours)
            ));
        }
        let tokens = |r: &Randoms, objects: &[Value]| {
            let v = r.tokenize(&json!(objects));
            comparable(v.as_array().unwrap())
        };
        let out = diff(
            ("Spark", "ours"),
            &tokens(&want, &golden),
            &tokens(&have, &ours),
        );
        if !out.is_empty() {
            problems.push(format!("{}:\n  {}", case.name, out.join("\n  ")));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}
