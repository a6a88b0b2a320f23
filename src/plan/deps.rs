//! Local dependencies: which of the job's files only this machine has, and how each reaches the
//! driver (a Secret mounted into the driver and executors, or a stream into the submit pod that
//! its spark-submit uploads); pure, the edge stats the files.

use std::collections::BTreeMap;

use crate::naming::is_local_uri;
use crate::resolve::{DeployMode, ResolveError, Settings, err, err_hint, split_list};

/// Where the files appear inside the submit pod, the driver and the executors.
pub const DEPS_DIR: &str = "/opt/spark-k8scli/deps";
/// The submit pod's init container that receives streamed files on its stdin.
pub const DEPS_CONTAINER: &str = "deps";
/// The emptyDir volume the init container fills and spark-submit reads.
pub const DEPS_VOLUME: &str = "k8scli-deps";
/// Files up to this total travel in a Secret (the API server refuses objects over 1 MiB).
pub const SECRET_LIMIT: u64 = 768 * 1024;
/// How long the init container waits for the launcher's stream before failing the pod, so a
/// launcher that dies before streaming does not leave a pod waiting for ever.
pub const STREAM_WAIT_SECONDS: u32 = 600;

/// A local file as the edge found it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Found {
    /// Absolute path on this machine.
    pub path: String,
    pub size: u64,
}

/// The edge's answer for one local URI: found, or why not (the OS error).
pub type Lookup = Result<Found, String>;

/// One file the job ships.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DepFile {
    /// Absolute path on this machine.
    pub path: String,
    /// File name inside [`DEPS_DIR`] (and Secret key).
    pub name: String,
    pub size: u64,
    /// A credential (the keytab): its bytes are redacted in a dry run without `--show-secrets`.
    pub secret: bool,
}

/// How the files travel.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Delivery {
    /// In this Secret, mounted at [`DEPS_DIR`] in the submit pod, the driver and the executors
    /// (the in-pod URIs: [`in_pod_scheme`]).
    Secret(String),
    /// As a tar stream into the submit pod's init container; spark-submit there uploads them to
    /// `spark.kubernetes.file.upload.path`.
    Stream,
}

/// The job's local dependencies and how they reach the driver.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Deps {
    pub delivery: Delivery,
    pub files: Vec<DepFile>,
    /// URI as the user wrote it (without `#fragment`) → URI the in-pod spark-submit gets.
    pub rewrite: BTreeMap<String, String>,
    /// Property of [`PATH_KEYS`] → the plain path in the submit pod that it now names.
    pub paths: BTreeMap<String, String>,
}

impl Deps {
    pub fn total(&self) -> u64 {
        self.files.iter().map(|f| f.size).sum()
    }

    /// The plain path in the pod of a shipped file given as `uri` (for a program that opens it
    /// itself, as a shell its `-i` script); `None` for a file not shipped.
    pub fn in_pod_path(&self, uri: &str) -> Option<String> {
        let new = self.rewrite.get(uri.trim())?;
        Some(
            new.split_once("://")
                .map_or(new.as_str(), |(_, p)| p)
                .to_string(),
        )
    }

    /// The in-pod form of one list entry (`#alias` fragments kept).
    pub fn rewrite_item(&self, item: &str) -> String {
        let (uri, fragment) = match item.split_once('#') {
            Some((u, f)) => (u, Some(f)),
            None => (item, None),
        };
        match (self.rewrite.get(uri.trim()), fragment) {
            (Some(new), Some(f)) => format!("{new}#{f}"),
            (Some(new), None) => new.clone(),
            (None, _) => item.to_string(),
        }
    }
}

/// The properties that list files, in the order Spark's messages name them.
pub const LIST_KEYS: [(&str, &str); 4] = [
    ("spark.jars", "--jars"),
    ("spark.submit.pyFiles", "--py-files"),
    ("spark.files", "--files"),
    ("spark.archives", "--archives"),
];

/// Properties naming one file that spark-submit itself opens in the submit pod (`java.io.File`,
/// or Hadoop's local file system: a plain path, no `local://` URI): Spark's
/// `KubernetesUtils.loadPodFromTemplate` and `PodTemplateConfigMapStep` read the templates,
/// `SparkSubmit` and `KerberosConfDriverFeatureStep` the keytab.
pub const PATH_KEYS: [(&str, &str); 3] = [
    (
        "spark.kubernetes.driver.podTemplateFile",
        "spark.kubernetes.driver.podTemplateFile",
    ),
    (
        "spark.kubernetes.executor.podTemplateFile",
        "spark.kubernetes.executor.podTemplateFile",
    ),
    ("spark.kerberos.keytab", "--keytab"),
];

const KEYTAB_KEY: &str = "spark.kerberos.keytab";

const SPECIAL_RESOURCES: [&str; 4] = [
    "spark-internal",
    "spark-shell",
    "pyspark-shell",
    "sparkr-shell",
];

/// Every local URI the job names (without `#fragment`), with where it was given.
pub fn local_uris(s: &Settings) -> Vec<(String, &'static str)> {
    let mut out: Vec<(String, &'static str)> = Vec::new();
    let mut push = |uri: &str, from: &'static str| {
        let uri = uri.trim();
        if !uri.is_empty() && is_local_uri(uri) && !out.iter().any(|(u, _)| u == uri) {
            out.push((uri.to_string(), from));
        }
    };
    if !s.args.mixed_arguments
        && let Some(r) = &s.primary_resource
        && !SPECIAL_RESOURCES.contains(&r.as_str())
    {
        push(r, "the primary resource");
    }
    for (key, flag) in LIST_KEYS {
        if let Some(list) = s.conf(key) {
            for item in split_list(list) {
                push(item.split('#').next().unwrap_or(&item), flag);
            }
        }
    }
    for (key, from) in PATH_KEYS {
        if let Some(v) = s.conf(key) {
            push(v, from);
        }
    }
    for (i, from) in super::session::script_files(s.command, &s.app_args) {
        push(&s.app_args[i], from);
    }
    out
}

/// A Secret key (and file name) the API server accepts: `[-._a-zA-Z0-9]+`, not `.` or `..`.
fn valid_key(name: &str) -> bool {
    !name.is_empty()
        && name != "."
        && name != ".."
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

fn human(bytes: u64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.1} MiB", bytes as f64 / (1024.0 * 1024.0))
    } else {
        format!("{:.1} KiB", bytes as f64 / 1024.0)
    }
}

/// The properties naming pod templates, which spark-submit reads where it runs.
pub const TEMPLATE_KEYS: [&str; 2] = [
    "spark.kubernetes.driver.podTemplateFile",
    "spark.kubernetes.executor.podTemplateFile",
];

/// Decides how the job's local files travel. `found` holds the edge's lookup of every URI
/// [`local_uris`] names; with `strict`, a URI missing from it is an error (else it is left as
/// written, for plans built without a filesystem). With `templates_read_here` the pod templates
/// are read by the launcher (direct submit) and stay where they are.
pub fn plan_deps(
    s: &Settings,
    job_id: &str,
    found: &BTreeMap<String, Lookup>,
    strict: bool,
    templates_read_here: bool,
) -> Result<Option<Deps>, ResolveError> {
    let keytab = s
        .conf(KEYTAB_KEY)
        .map(str::trim)
        .filter(|k| is_local_uri(k));
    let mut missing: Vec<String> = Vec::new();
    let mut files: Vec<DepFile> = Vec::new();
    let mut uri_name: Vec<(String, String)> = Vec::new();
    for (uri, from) in local_uris(s) {
        if templates_read_here && TEMPLATE_KEYS.contains(&from) {
            continue;
        }
        let f = match found.get(&uri) {
            Some(Ok(f)) => f,
            Some(Err(why)) => {
                missing.push(format!("{uri} ({from}): {why}"));
                continue;
            }
            None if strict => {
                missing.push(format!("{uri} ({from}): not looked up"));
                continue;
            }
            None => continue,
        };
        let name = f.path.rsplit('/').next().unwrap_or(&f.path).to_string();
        match files.iter().find(|d| d.name == name) {
            Some(d) if d.path == f.path => {}
            Some(d) => {
                return Err(err_hint(
                    format!(
                        "Two local files share the name {name}: {} and {}; they would land on the same path in the pod.",
                        d.path, f.path
                    ),
                    "Rename one of them.",
                ));
            }
            None => files.push(DepFile {
                path: f.path.clone(),
                name: name.clone(),
                size: f.size,
                secret: keytab == Some(uri.as_str()),
            }),
        }
        uri_name.push((uri, name));
    }
    if !missing.is_empty() {
        return Err(err_hint(
            format!("Local file(s) not found: {}.", missing.join("; ")),
            "Check the paths (relative ones are taken from the current directory); nothing was created.",
        ));
    }
    if files.is_empty() {
        return Ok(None);
    }
    let total: u64 = files.iter().map(|f| f.size).sum();
    let fits_secret = total <= SECRET_LIMIT && files.iter().all(|f| valid_key(&f.name));
    let delivery = if fits_secret {
        Delivery::Secret(secret_name(job_id))
    } else {
        let upload = s
            .conf("spark.kubernetes.file.upload.path")
            .filter(|p| !p.trim().is_empty());
        if upload.is_none() {
            let why = if total > SECRET_LIMIT {
                format!(
                    "total {}, more than fits in a Secret ({})",
                    human(total),
                    human(SECRET_LIMIT)
                )
            } else {
                let bad: Vec<&str> = files
                    .iter()
                    .filter(|f| !valid_key(&f.name))
                    .map(|f| f.name.as_str())
                    .collect();
                format!(
                    "named {} (a Secret key allows only letters, digits, '-', '_' and '.')",
                    bad.join(", ")
                )
            };
            return Err(err_hint(
                format!(
                    "The job's local files ({why}) have to be uploaded by spark-submit in the submit pod, and spark.kubernetes.file.upload.path is not set."
                ),
                "Set --conf spark.kubernetes.file.upload.path=<s3a://, hdfs://, gs://... directory the driver can read>, or ship the files in the image (local:///...) or from a remote URI.",
            ));
        }
        Delivery::Stream
    };
    let upload_path = s
        .conf("spark.kubernetes.file.upload.path")
        .is_some_and(|p| !p.trim().is_empty());
    let file_lists: Vec<String> = ["spark.files", "spark.submit.pyFiles", "spark.archives"]
        .iter()
        .filter_map(|key| s.conf(key))
        .flat_map(split_list)
        .map(|i| i.split('#').next().unwrap_or(&i).trim().to_string())
        .collect();
    let scheme = |uri: &str| {
        in_pod_scheme(
            &delivery,
            s.deploy_mode,
            upload_path,
            file_lists.iter().any(|f| f == uri),
        )
    };
    let paths = PATH_KEYS
        .iter()
        .filter_map(|(key, _)| {
            let v = s.conf(key)?.trim();
            let (_, name) = uri_name.iter().find(|(u, _)| u == v)?;
            Some((key.to_string(), format!("{DEPS_DIR}/{name}")))
        })
        .collect();
    let rewrite = uri_name
        .into_iter()
        .map(|(uri, name)| {
            let scheme = scheme(&uri);
            (uri, format!("{scheme}{DEPS_DIR}/{name}"))
        })
        .collect();
    Ok(Some(Deps {
        delivery,
        files,
        rewrite,
        paths,
    }))
}

/// The scheme a shipped file is given to the in-pod spark-submit with, so that it works as with
/// a plain spark-submit: `file://` where spark-submit (client mode) or the driver's file server
/// must see an ordinary file, `local://` where a plain path would be uploaded and is not needed.
///
/// Spark (apache/spark, 4.x) treats the two differently:
/// - `SparkContext.addFile` (spark.files, and in the driver's client-mode SparkSubmit
///   spark.submit.pyFiles merged into them; `addArchive` for spark.archives) returns at once
///   for a `local:` URI ("File with 'local' scheme ... is not supported to add to file server,
///   since it is already available on every node"): nothing reaches the file server nor the
///   SparkFiles directory, so `SparkFiles.get(name)` names a file that does not exist, on the
///   driver and on the executors, archives are not unpacked, and Python workers cannot import
///   the py-files (they look in the SparkFiles directory). A `file:` URI is served by the
///   driver's file server, copied into its SparkFiles directory and fetched by every executor.
/// - `SparkContext.addJar` takes a `local:` jar as `file:<path>` on every node: the Secret is
///   mounted in the executors too, so jars and the primary resource work either way.
/// - Client mode: the driver is the submit pod's spark-submit, which neither uploads nor
///   rewrites `file:` URIs (`SparkSubmit.prepareSubmitEnvironment` only downloads remote
///   ones): every shipped file gets `file://`, as `spark-submit --files a.csv` would.
/// - Cluster mode: `BasicDriverFeatureStep` uploads every `file:`/plain entry of spark.jars,
///   spark.files, spark.archives and spark.submit.pyFiles through
///   `KubernetesUtils.uploadAndTransformFileUris` (an error without
///   spark.kubernetes.file.upload.path) and keeps other schemes; the driver's SparkSubmit
///   (`isKubernetesClusterModeDriver`, SPARK-33782) copies each entry into its working
///   directory but keeps a `local:` URI as it was, so addFile skips it again. No URI both
///   escapes the upload and reaches addFile as a file, so: with an upload path, files,
///   py-files and archives get `file://` and are uploaded (then SparkFiles works as with a
///   plain spark-submit); without one they stay `local://` (each pod has them under
///   [`DEPS_DIR`] and the driver in its working directory, but SparkFiles does not).
pub fn in_pod_scheme(
    delivery: &Delivery,
    mode: DeployMode,
    upload_path: bool,
    in_file_lists: bool,
) -> &'static str {
    match (delivery, mode) {
        (Delivery::Stream, _) | (Delivery::Secret(_), DeployMode::Client) => "file://",
        (Delivery::Secret(_), DeployMode::Cluster) if upload_path && in_file_lists => "file://",
        (Delivery::Secret(_), DeployMode::Cluster) => "local://",
    }
}

/// The Secret carrying a job's small local files.
pub fn secret_name(job_id: &str) -> String {
    format!("{job_id}-deps")
}

/// The bytes of a ustar header for a regular file `name` of `size` bytes (mode 0644).
pub fn tar_header(name: &str, size: u64, mtime: u64) -> Result<[u8; 512], ResolveError> {
    if name.len() > 100 || name.is_empty() {
        return Err(err(format!(
            "Cannot ship {name}: a file name must have 1 to 100 bytes."
        )));
    }
    if size >= 8 << 30 {
        return Err(err(format!(
            "Cannot ship {name}: files are limited to 8 GiB."
        )));
    }
    let mut h = [0u8; 512];
    let mut put = |at: usize, text: &[u8]| h[at..at + text.len()].copy_from_slice(text);
    put(0, name.as_bytes());
    put(100, b"0000644\0");
    put(108, b"0000000\0");
    put(116, b"0000000\0");
    put(124, format!("{size:011o}\0").as_bytes());
    put(
        136,
        format!("{:011o}\0", mtime.min(0o77777777777)).as_bytes(),
    );
    put(148, b"        ");
    put(156, b"0");
    put(257, b"ustar\0");
    put(263, b"00");
    let sum: u32 = h.iter().map(|&b| u32::from(b)).sum();
    h[148..156].copy_from_slice(format!("{sum:06o}\0 ").as_bytes());
    Ok(h)
}

/// Zero bytes that pad a member of `size` bytes to the 512-byte block.
pub fn tar_padding(size: u64) -> usize {
    ((512 - size % 512) % 512) as usize
}
