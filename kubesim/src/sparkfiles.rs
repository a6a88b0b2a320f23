//! The files Spark's own programs open in their container, and how they fail when a file is not
//! there: pod template files, the properties file, the Kerberos keytab, and the application
//! jar's manifest. Each is read with [`files::read_strict`]: a path that no volume covers, no
//! program wrote and that lies outside the image's directories is missing, as it is on a node
//! (a path from the submitting machine that nobody shipped).
//!
//! Sources (apache/spark, Spark 4.x):
//! - `launcher/.../AbstractCommandBuilder.java` `loadPropertiesFile`: a named properties file
//!   that is not a regular file is `Invalid properties file '<path>'.` (the launcher prints
//!   `Error: ` before it, exit 1).
//! - `core/.../deploy/SparkSubmit.scala` `prepareSubmitEnvironment`: a keytab that is not a
//!   `local:` URI must exist (`require(new File(keytab).exists(), "Keytab file: <k> does not
//!   exist")`); without `--class`, `Main-Class` is read from the jar's manifest through Hadoop's
//!   `FileSystem` (`Failed to get main class in JAR with error '<e>'.  Please specify one with
//!   --class.`, `No main class set in JAR; please specify one with --class.`).
//! - `resource-managers/kubernetes/.../KubernetesUtils.scala` `loadPodFromTemplate`: any failure
//!   is logged (`Encountered exception while attempting to load initial pod spec from file`) and
//!   rethrown as `SparkException: Could not load pod from template file.`.
//! - `.../features/PodTemplateConfigMapStep.scala`: in cluster mode spark-submit reads the
//!   executor template (`Files.readString`) into the ConfigMap `<prefix>-podspec-configmap`
//!   (key `podspec-configmap-key`), mounted into the driver at `/opt/spark/pod-template`, and
//!   points `spark.kubernetes.executor.podTemplateFile` at `pod-spec-template.yml` there.
//! - `.../features/KerberosConfDriverFeatureStep.scala`: a keytab that is not a `local:` URI is
//!   put into the Secret `<prefix>-kerberos-keytab` (key: the file name), mounted into the driver
//!   at `/mnt/secrets/kerberos-keytab`, and `spark.kerberos.keytab` points there.
//! - `core/.../SparkContext.scala` `addFile` (also behind `addArchive`): a `local:` URI is
//!   logged (`File with 'local' scheme <path> is not supported to add to file server, since it
//!   is already available on every node.`) and skipped, so it never reaches the file server nor
//!   the SparkFiles directory; any other file is copied there (`Utils.fetchFile`) and fetched by
//!   each executor before its tasks run (`Executor.updateDependencies`). `SparkFiles.get(name)`
//!   is `new File(SparkFiles.getRootDirectory(), name)`: on the driver the `userFiles-<uuid>`
//!   directory under its local dir, on an executor its working directory; for a skipped
//!   `local:` file that path does not exist.

use std::collections::BTreeMap;
use std::io::Read as _;

use serde_json::{Map, Value};

use crate::files::{self, Bytes, Lookup};
use crate::programs::{self, ProgramCtx};

pub const POD_TEMPLATE_MOUNT: &str = "/opt/spark/pod-template";
pub const POD_TEMPLATE_FILE: &str = "pod-spec-template.yml";
pub const POD_TEMPLATE_KEY: &str = "podspec-configmap-key";
pub const KEYTAB_MOUNT: &str = "/mnt/secrets/kerberos-keytab";
pub const DRIVER_TEMPLATE: &str = "spark.kubernetes.driver.podTemplateFile";
pub const EXECUTOR_TEMPLATE: &str = "spark.kubernetes.executor.podTemplateFile";

fn lookup(ctx: &ProgramCtx, uri: &str) -> Lookup {
    files::read_strict(
        &ctx.cluster,
        &ctx.pod,
        &ctx.container,
        programs::uri_path(uri),
    )
}

/// What `SparkContext.addFile`/`addArchive` registered: the name `SparkFiles.get` takes (an
/// archive's `#name`, else the file name) → its bytes when kubesim holds them.
pub(crate) type Registered = BTreeMap<String, Option<Bytes>>;

/// The application reading `spark.kubesim.driver.sparkFiles` (comma-separated names) through
/// `SparkFiles.get(name)`, on the driver and in its tasks on the executors, which fetch exactly
/// what the driver registered: each registered one is logged (`kubesim: SparkFiles.get(<name>):
/// <path>[: <n> bytes, fnv1a64 <hex>]`); the first that is not fails the driver as opening the
/// path fails in Java (`java.io.FileNotFoundException: <path> (No such file or directory)`).
pub(crate) fn spark_files_get(
    ctx: &ProgramCtx,
    conf: &BTreeMap<String, String>,
    registered: &Registered,
) -> Result<(), ()> {
    let Some(names) = conf.get("spark.kubesim.driver.sparkFiles") else {
        return Ok(());
    };
    let seed = ctx.id_seed();
    let root = format!(
        "/var/data/spark-local/spark-{}/userFiles-{}",
        crate::programs::hex(seed.rotate_left(7), 8),
        crate::programs::hex(seed.rotate_left(13), 8)
    );
    for name in names.split(',').map(str::trim).filter(|n| !n.is_empty()) {
        let path = format!("{root}/{name}");
        match registered.get(name) {
            Some(Some(b)) => ctx.spark_log(
                "INFO",
                "kubesim",
                &format!(
                    "SparkFiles.get({name}): {path}: {} bytes, fnv1a64 {:016x}",
                    b.len(),
                    files::fnv1a64(b)
                ),
            ),
            Some(None) => ctx.spark_log(
                "INFO",
                "kubesim",
                &format!("SparkFiles.get({name}): {path}"),
            ),
            None => {
                ctx.log(format!("Exception in thread \"main\" java.io.FileNotFoundException: {path} (No such file or directory)"));
                return Err(());
            }
        }
    }
    Ok(())
}

/// `--properties-file`: its properties (none known when the file is part of the image), or the
/// launcher's error, logged.
pub(crate) fn properties_file(
    ctx: &ProgramCtx,
    path: &str,
) -> Result<BTreeMap<String, String>, ()> {
    match lookup(ctx, path) {
        Lookup::Found(b) => Ok(crate::programs::parse_properties(&String::from_utf8_lossy(
            &b,
        ))),
        Lookup::Image => Ok(BTreeMap::new()),
        Lookup::Missing => {
            ctx.log(format!("Error: Invalid properties file '{path}'."));
            Err(())
        }
    }
}

/// The keytab spark-submit (and the driver, which runs SparkSubmit again) logs in with: its
/// bytes when kubesim holds them, `Ok(None)` when there is none to read (no principal, a
/// `local:` keytab in cluster mode, or one in the image), or Spark's error, logged.
pub(crate) fn keytab(
    ctx: &ProgramCtx,
    conf: &BTreeMap<String, String>,
    client: bool,
) -> Result<Option<(String, Bytes)>, ()> {
    let (Some(_), Some(keytab)) = (
        conf.get("spark.kerberos.principal"),
        conf.get("spark.kerberos.keytab"),
    ) else {
        return Ok(None);
    };
    // Client mode turns a local: keytab into its path; cluster mode leaves it to the driver.
    let path = if keytab.starts_with("local:") {
        if !client {
            return Ok(None);
        }
        programs::uri_path(keytab)
    } else {
        keytab.as_str()
    };
    match lookup(ctx, path) {
        Lookup::Found(b) => Ok(Some((path.to_string(), b))),
        Lookup::Image => Ok(None),
        Lookup::Missing => {
            ctx.log(format!("Exception in thread \"main\" java.lang.IllegalArgumentException: requirement failed: Keytab file: {path} does not exist"));
            Err(())
        }
    }
}

/// `KubernetesUtils.loadPodFromTemplate`: the template's labels (what kubesim applies of it),
/// or Spark's error, logged.
pub(crate) fn pod_template(ctx: &ProgramCtx, uri: &str) -> Result<Map<String, Value>, ()> {
    let fail = |cause: String| {
        ctx.spark_log(
            "ERROR",
            "KubernetesUtils",
            "Encountered exception while attempting to load initial pod spec from file",
        );
        ctx.log(format!("Exception in thread \"main\" org.apache.spark.SparkException: Could not load pod from template file.\nCaused by: {cause}"));
    };
    let path = programs::uri_path(uri);
    let bytes = match lookup(ctx, uri) {
        Lookup::Found(b) => b,
        Lookup::Image => return Ok(Map::new()),
        Lookup::Missing => {
            fail(format!(
                "java.io.FileNotFoundException: {path} (No such file or directory)"
            ));
            return Err(());
        }
    };
    match serde_saphyr::from_str::<Value>(&String::from_utf8_lossy(&bytes)) {
        Ok(pod) => Ok(pod
            .pointer("/metadata/labels")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default()),
        Err(e) => {
            fail(format!(
                "io.fabric8.kubernetes.client.KubernetesClientException: {e}"
            ));
            Err(())
        }
    }
}

/// `PodTemplateConfigMapStep`: the executor template's text, read by spark-submit in cluster
/// mode (`Files.readString`), or its error, logged.
pub(crate) fn executor_template_text(ctx: &ProgramCtx, uri: &str) -> Result<String, ()> {
    match lookup(ctx, uri) {
        Lookup::Found(b) => Ok(String::from_utf8_lossy(&b).into_owned()),
        Lookup::Image => Ok(String::new()),
        Lookup::Missing => {
            ctx.log(format!(
                "Exception in thread \"main\" java.nio.file.NoSuchFileException: {}",
                programs::uri_path(uri)
            ));
            Err(())
        }
    }
}

/// `Main-Class` of the application jar, read as spark-submit reads it when `--class` is
/// absent (Hadoop's `FileSystem`, which has no `local:` scheme), or Spark's error, logged.
pub(crate) fn main_class(ctx: &ProgramCtx, resource: &str) -> Result<String, ()> {
    let fail = |why: String| {
        ctx.log(format!("Exception in thread \"main\" org.apache.spark.SparkException: Failed to get main class in JAR with error '{why}'.  Please specify one with --class."));
    };
    if resource.starts_with("local:") {
        fail("No FileSystem for scheme \"local\"".into());
        return Err(());
    }
    let path = programs::uri_path(resource);
    let bytes = match lookup(ctx, resource) {
        Lookup::Found(b) => b,
        Lookup::Image => {
            // A jar in the image: kubesim cannot open it, so it has no manifest to offer.
            ctx.log("Exception in thread \"main\" org.apache.spark.SparkException: No main class set in JAR; please specify one with --class.");
            return Err(());
        }
        Lookup::Missing => {
            fail(format!("File file:{path} does not exist"));
            return Err(());
        }
    };
    match manifest_main_class(&bytes) {
        Ok(Some(class)) => Ok(class),
        Ok(None) => {
            ctx.log("Exception in thread \"main\" org.apache.spark.SparkException: No main class set in JAR; please specify one with --class.");
            Err(())
        }
        Err(e) => {
            fail(e);
            Err(())
        }
    }
}

/// The lists spark-submit resolves globs in (`SparkSubmit.prepareSubmitEnvironment`: jars,
/// files, pyFiles, archives).
const GLOB_KEYS: [&str; 4] = [
    "spark.jars",
    "spark.files",
    "spark.submit.pyFiles",
    "spark.archives",
];

/// The working directory of Spark's image, against which a relative path is resolved
/// (`Utils.resolveURI`).
const WORK_DIR: &str = "/opt/spark/work-dir";

/// Hadoop's glob characters (`GlobPattern`): a path with none of them is taken as written.
fn has_wildcard(path: &str) -> bool {
    path.chars().any(|c| matches!(c, '*' | '?' | '[' | '{'))
}

/// `DependencyUtils.resolveGlobPaths`, as spark-submit runs it on every list before anything
/// else: a `file:` or plain pattern is matched against the container's files (a pattern that
/// matches nothing is dropped, silently; with a `#name`, more than one match is Spark's
/// error); `local:`, `http(s):`, `ftp:` and other schemes' entries, and paths without a glob
/// character, stay as written. kubesim cannot list the image: a pattern in the image's
/// directories that no volume covers stays as written too.
pub(crate) fn resolve_globs(
    ctx: &ProgramCtx,
    conf: &mut BTreeMap<String, String>,
) -> Result<(), ()> {
    for key in GLOB_KEYS {
        let Some(list) = conf.get(key).cloned() else {
            continue;
        };
        let mut out: Vec<String> = Vec::new();
        for item in list.split(',').map(str::trim).filter(|i| !i.is_empty()) {
            let (uri, fragment) = match item.split_once('#') {
                Some((u, f)) => (u, Some(f)),
                None => (item, None),
            };
            let scheme = uri.split_once(':').map(|(s, _)| s).filter(|s| {
                s.len() > 1
                    && s.chars()
                        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
            });
            if !matches!(scheme, None | Some("file")) || !has_wildcard(uri) {
                out.push(item.to_string());
                continue;
            }
            let path = programs::uri_path(uri);
            let path = if path.starts_with('/') {
                path.to_string()
            } else {
                format!("{WORK_DIR}/{path}")
            };
            let dir = path.rsplit_once('/').map_or("/", |(d, _)| d);
            let dir_fixed = dir
                .split('/')
                .take_while(|s| !has_wildcard(s))
                .collect::<Vec<_>>()
                .join("/");
            if files::in_image_dirs(&format!("{dir_fixed}/"))
                && !files::covered_by_volume(&ctx.container, &dir_fixed)
            {
                out.push(item.to_string());
                continue;
            }
            let matches: Vec<String> = files::known_paths(&ctx.cluster, &ctx.pod, &ctx.container)
                .into_iter()
                .filter(|p| glob_match(&path, p))
                .map(|p| format!("file:{p}"))
                .collect();
            match fragment {
                Some(_) if matches.len() > 1 => {
                    ctx.log(format!("Exception in thread \"main\" org.apache.spark.SparkException: file:{path} resolves ambiguously to multiple files: {}", matches.join(",")));
                    return Err(());
                }
                Some(f) => out.extend(matches.into_iter().map(|m| format!("{m}#{f}"))),
                None => out.extend(matches),
            }
        }
        if out.is_empty() {
            conf.remove(key);
        } else {
            conf.insert(key.to_string(), out.join(","));
        }
    }
    Ok(())
}

/// Whether `path` matches the glob `pattern` (Hadoop's `GlobPattern`, one path segment at a
/// time: `*`, `?`, `[a-z]`, `[^a]`/`[!a]`, `{a,b}`, `\` escapes).
pub fn glob_match(pattern: &str, path: &str) -> bool {
    let ps: Vec<&str> = pattern.split('/').collect();
    let xs: Vec<&str> = path.split('/').collect();
    ps.len() == xs.len()
        && ps.iter().zip(&xs).all(|(p, x)| {
            segment(
                &p.chars().collect::<Vec<_>>(),
                &x.chars().collect::<Vec<_>>(),
            )
        })
}

fn segment(p: &[char], s: &[char]) -> bool {
    match p.first() {
        None => s.is_empty(),
        Some('*') => (0..=s.len()).any(|i| segment(&p[1..], &s[i..])),
        Some('?') => !s.is_empty() && segment(&p[1..], &s[1..]),
        Some('\\') if p.len() > 1 => s.first() == Some(&p[1]) && segment(&p[2..], &s[1..]),
        Some('[') => {
            let Some(end) = p.iter().skip(2).position(|&c| c == ']').map(|i| i + 2) else {
                return s.first() == Some(&'[') && segment(&p[1..], &s[1..]);
            };
            let Some(&c) = s.first() else { return false };
            let (negate, class) = match p[1] {
                '^' | '!' => (true, &p[2..end]),
                _ => (false, &p[1..end]),
            };
            let mut hit = false;
            let mut i = 0;
            while i < class.len() {
                if i + 2 < class.len() && class[i + 1] == '-' {
                    hit |= class[i] <= c && c <= class[i + 2];
                    i += 3;
                } else {
                    hit |= class[i] == c;
                    i += 1;
                }
            }
            hit != negate && segment(&p[end + 1..], &s[1..])
        }
        Some('{') => {
            let mut depth = 0;
            let mut starts = vec![1];
            let mut end = None;
            for (i, &c) in p.iter().enumerate().skip(1) {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => {
                        end = Some(i);
                        break;
                    }
                    '}' => depth -= 1,
                    ',' if depth == 0 => starts.push(i + 1),
                    _ => {}
                }
            }
            let Some(end) = end else {
                return s.first() == Some(&'{') && segment(&p[1..], &s[1..]);
            };
            let mut bounds = starts.clone();
            bounds.push(end + 1);
            (0..starts.len()).any(|k| {
                let mut alt: Vec<char> = p[bounds[k]..bounds[k + 1] - 1].to_vec();
                alt.extend_from_slice(&p[end + 1..]);
                segment(&alt, s)
            })
        }
        Some(c) => s.first() == Some(c) && segment(&p[1..], &s[1..]),
    }
}

/// `Main-Class` of a jar's `META-INF/MANIFEST.MF` (main section, continuation lines joined).
pub fn manifest_main_class(jar: &[u8]) -> Result<Option<String>, String> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(jar)).map_err(|e| format!("{e}"))?;
    let mut text = String::new();
    match zip.by_name("META-INF/MANIFEST.MF") {
        Ok(mut f) => {
            f.read_to_string(&mut text).map_err(|e| e.to_string())?;
        }
        Err(_) => return Ok(None),
    }
    let joined = text.replace("\r\n", "\n").replace("\n ", "");
    Ok(joined
        .lines()
        .take_while(|l| !l.trim().is_empty())
        .find_map(|l| l.strip_prefix("Main-Class:"))
        .map(|c| c.trim().to_string())
        .filter(|c| !c.is_empty()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write as _;

    fn jar(manifest: &str) -> Vec<u8> {
        let mut out = std::io::Cursor::new(Vec::new());
        let mut w = zip::ZipWriter::new(&mut out);
        w.start_file(
            "META-INF/MANIFEST.MF",
            zip::write::SimpleFileOptions::default(),
        )
        .unwrap();
        w.write_all(manifest.as_bytes()).unwrap();
        w.finish().unwrap();
        out.into_inner()
    }

    #[test]
    fn main_class_from_the_manifest() {
        let j = jar("Manifest-Version: 1.0\r\nMain-Class: org.example.Lo\r\n ngName\r\n\r\n");
        assert_eq!(
            manifest_main_class(&j).unwrap().as_deref(),
            Some("org.example.LongName")
        );
        assert_eq!(
            manifest_main_class(&jar("Manifest-Version: 1.0\n")).unwrap(),
            None
        );
        assert!(manifest_main_class(b"not a zip").is_err());
    }

    #[test]
    fn globs_like_hadoop() {
        assert!(glob_match("/d/*.csv", "/d/a.csv"));
        assert!(!glob_match("/d/*.csv", "/d/sub/a.csv"));
        assert!(!glob_match("/d/*.csv", "/d/a.txt"));
        assert!(glob_match("/d/?.csv", "/d/b.csv"));
        assert!(glob_match("/d/[a-b].csv", "/d/b.csv"));
        assert!(!glob_match("/d/[^a].csv", "/d/a.csv"));
        assert!(glob_match("/d/[!a].csv", "/d/c.csv"));
        assert!(glob_match("/d/{a,c}.csv", "/d/c.csv"));
        assert!(!glob_match("/d/{a,c}.csv", "/d/b.csv"));
        assert!(glob_match("/*/a.csv", "/d/a.csv"));
        assert!(has_wildcard("data/*.csv") && !has_wildcard("data/a.csv"));
    }

    #[test]
    fn uri_paths() {
        assert_eq!(programs::uri_path("local:///opt/a.yaml"), "/opt/a.yaml");
        assert_eq!(programs::uri_path("file:/tmp/a"), "/tmp/a");
        assert_eq!(programs::uri_path("/tmp/a"), "/tmp/a");
    }
}
