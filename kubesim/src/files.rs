//! Containers' files: what a container sees at a path (its Secret and ConfigMap volumes, files
//! programs wrote into the pod), the object store behind `spark.kubernetes.file.upload.path`,
//! and `tar -x` of an archive read from stdin.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

use serde_json::Value;

use crate::cluster::Cluster;

pub type Bytes = Arc<Vec<u8>>;

/// Files written inside pods (emptyDir volumes, the container's own disk), and the uploads.
#[derive(Default)]
pub struct Files {
    /// (namespace, pod) → path → bytes.
    pods: Mutex<HashMap<(String, String), BTreeMap<String, Bytes>>>,
    /// URI → bytes: the remote store (s3a://, hdfs://, gs://…) spark-submit uploads to.
    uploads: Mutex<BTreeMap<String, Bytes>>,
}

impl Files {
    pub fn write(&self, ns: &str, pod: &str, path: &str, bytes: Bytes) {
        self.pods
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .entry((ns.to_string(), pod.to_string()))
            .or_default()
            .insert(path.to_string(), bytes);
    }

    fn read_pod(&self, ns: &str, pod: &str, path: &str) -> Option<Bytes> {
        self.pods
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(&(ns.to_string(), pod.to_string()))?
            .get(path)
            .cloned()
    }

    fn pod_paths(&self, ns: &str, pod: &str) -> Vec<String> {
        self.pods
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(&(ns.to_string(), pod.to_string()))
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default()
    }

    /// Forgets a deleted pod's files.
    pub fn remove_pod(&self, ns: &str, pod: &str) {
        self.pods
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(&(ns.to_string(), pod.to_string()));
    }

    pub fn upload(&self, uri: &str, bytes: Bytes) {
        self.uploads
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(uri.to_string(), bytes);
    }

    pub fn uploaded(&self, uri: &str) -> Option<Bytes> {
        self.uploads
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(uri)
            .cloned()
    }
}

/// What a container finds at a path.
#[derive(Debug)]
pub enum Lookup {
    Found(Bytes),
    /// Outside every volume and never written: part of the image, which kubesim cannot see.
    Image,
    Missing,
}

/// A pod's namespace (`default` when unset) and name.
fn pod_key(pod: &Value) -> (&str, &str) {
    let field = |p: &str| pod.pointer(p).and_then(Value::as_str);
    (
        field("/metadata/namespace").unwrap_or("default"),
        field("/metadata/name").unwrap_or_default(),
    )
}

/// The file at `path` as `container` of `pod` sees it: through its volume mounts (Secret,
/// ConfigMap, emptyDir), else what programs wrote into the pod, else the image.
pub fn read(cluster: &Cluster, pod: &Value, container: &Value, path: &str) -> Lookup {
    let (ns, pod_name) = pod_key(pod);
    let mut mounts: Vec<&Value> = container
        .get("volumeMounts")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .collect();
    mounts.sort_by_key(|m| std::cmp::Reverse(m["mountPath"].as_str().unwrap_or("").len()));
    for m in mounts {
        let at = m["mountPath"].as_str().unwrap_or("").trim_end_matches('/');
        let Some(rel) = path.strip_prefix(at).and_then(|r| r.strip_prefix('/')) else {
            continue;
        };
        let volume = crate::each(pod, "/spec/volumes").find(|v| v["name"] == m["name"]);
        let Some(volume) = volume else {
            return Lookup::Missing;
        };
        // A volume with `items` projects only those keys, each at its own path.
        let projected = |source: &Value| -> Option<String> {
            match source.get("items").and_then(Value::as_array) {
                Some(items) => items
                    .iter()
                    .find(|i| i["path"].as_str() == Some(rel))
                    .and_then(|i| i["key"].as_str())
                    .map(str::to_string),
                None => Some(rel.to_string()),
            }
        };
        let object = |plural: &str, name: Option<&str>| {
            let r = crate::resources::find("", "v1", plural).expect("served");
            name.and_then(|n| cluster.store.get(r, ns, n).ok())
        };
        if let Some(secret) = volume.get("secret") {
            let Some(key) = projected(secret) else {
                return Lookup::Missing;
            };
            let data = object("secrets", secret["secretName"].as_str())
                .and_then(|s| s.pointer(&format!("/data/{key}")).cloned());
            return match data.as_ref().and_then(Value::as_str) {
                Some(b64) => Lookup::Found(Arc::new(crate::programs::b64_decode_bytes(b64))),
                None => Lookup::Missing,
            };
        }
        if let Some(cm) = volume.get("configMap") {
            let Some(rel) = projected(cm) else {
                return Lookup::Missing;
            };
            let obj = object("configmaps", cm["name"].as_str());
            if let Some(text) = obj
                .as_ref()
                .and_then(|o| o.pointer(&format!("/data/{rel}")))
                .and_then(Value::as_str)
            {
                return Lookup::Found(Arc::new(text.as_bytes().to_vec()));
            }
            return match obj
                .as_ref()
                .and_then(|o| o.pointer(&format!("/binaryData/{rel}")))
                .and_then(Value::as_str)
            {
                Some(b64) => Lookup::Found(Arc::new(crate::programs::b64_decode_bytes(b64))),
                None => Lookup::Missing,
            };
        }
        if volume.get("emptyDir").is_some() {
            return match cluster.files.read_pod(ns, pod_name, path) {
                Some(b) => Lookup::Found(b),
                None => Lookup::Missing,
            };
        }
        return Lookup::Image;
    }
    match cluster.files.read_pod(ns, pod_name, path) {
        Some(b) => Lookup::Found(b),
        // spark-k8s-cli's own mount point is in no image: only a volume or a stream fills it.
        None if path.starts_with(LAUNCHER_DIR) => Lookup::Missing,
        None => Lookup::Image,
    }
}

/// Where spark-k8s-cli puts the files it ships; no image has anything there.
const LAUNCHER_DIR: &str = "/opt/spark-k8scli/";

/// The directories of the Spark image (`apache/spark`: Spark under `/opt/spark`, Java and the
/// system under `/opt`, `/usr`, `/etc`), where a file outside every volume may be part of the
/// image. Its working directory `/opt/spark/work-dir` is empty.
fn may_be_in_image(path: &str) -> bool {
    ["/opt/", "/usr/", "/etc/"]
        .iter()
        .any(|root| path.starts_with(root))
        && !path.starts_with(LAUNCHER_DIR)
        && !path.starts_with("/opt/spark/work-dir/")
}

/// [`read`] for a file spark-submit itself must open in its container (a pod template, the
/// properties file, the keytab, the application jar's manifest): a path outside the image's
/// directories that no volume covers and no program wrote is not there, as on a real node
/// (a relative path is taken from the empty working directory). The submitting machine's
/// paths (`/home/...`, `/tmp/...`) are therefore missing unless the launcher shipped them.
pub fn read_strict(cluster: &Cluster, pod: &Value, container: &Value, path: &str) -> Lookup {
    match read(cluster, pod, container, path) {
        Lookup::Image if !may_be_in_image(path) => Lookup::Missing,
        other => other,
    }
}

/// Every path kubesim knows `container` of `pod` can see: the keys of its Secret and ConfigMap
/// volumes under their mount paths, and the files programs wrote into the pod. What the image
/// holds is not among them (kubesim cannot see it).
pub fn known_paths(cluster: &Cluster, pod: &Value, container: &Value) -> Vec<String> {
    let (ns, pod_name) = pod_key(pod);
    let mut out = cluster.files.pod_paths(ns, pod_name);
    let mounts = container
        .get("volumeMounts")
        .and_then(Value::as_array)
        .into_iter()
        .flatten();
    for m in mounts {
        let at = m["mountPath"].as_str().unwrap_or("").trim_end_matches('/');
        let Some(volume) = crate::each(pod, "/spec/volumes").find(|v| v["name"] == m["name"])
        else {
            continue;
        };
        let (plural, source, name_field) = if let Some(s) = volume.get("secret") {
            ("secrets", s, "secretName")
        } else if let Some(c) = volume.get("configMap") {
            ("configmaps", c, "name")
        } else {
            continue;
        };
        let r = crate::resources::find("", "v1", plural).expect("served");
        let Some(obj) = source[name_field]
            .as_str()
            .and_then(|n| cluster.store.get(r, ns, n).ok())
        else {
            continue;
        };
        let keys: Vec<String> = ["data", "binaryData"]
            .iter()
            .filter_map(|f| obj.get(*f).and_then(Value::as_object))
            .flat_map(|o| o.keys().cloned())
            .collect();
        match source.get("items").and_then(Value::as_array) {
            Some(items) => out.extend(
                items
                    .iter()
                    .filter(|i| {
                        i["key"]
                            .as_str()
                            .is_some_and(|k| keys.iter().any(|x| x == k))
                    })
                    .filter_map(|i| i["path"].as_str())
                    .map(|p| format!("{at}/{p}")),
            ),
            None => out.extend(keys.iter().map(|k| format!("{at}/{k}"))),
        }
    }
    out.sort();
    out.dedup();
    out
}

/// Whether a volume mount of `container` covers `path` (so kubesim knows what is there).
pub fn covered_by_volume(container: &Value, path: &str) -> bool {
    container
        .get("volumeMounts")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|m| m["mountPath"].as_str())
        .any(|at| {
            let at = at.trim_end_matches('/');
            path.strip_prefix(at)
                .is_some_and(|r| r.is_empty() || r.starts_with('/'))
        })
}

/// Whether `path`, outside every volume, may be part of the Spark image (see [`read_strict`]).
pub fn in_image_dirs(path: &str) -> bool {
    may_be_in_image(path)
}

/// FNV-1a, 64 bits: the checksum the emulated driver prints for each dependency it received.
pub fn fnv1a64(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// The regular files of a ustar/GNU tar archive, as (name, bytes); `Err` with GNU tar's
/// complaint when the input is not an archive.
pub fn untar(data: &[u8]) -> Result<Vec<(String, Vec<u8>)>, String> {
    const NOT_TAR: &str = "tar: This does not look like a tar archive";
    let field = |b: &[u8]| -> String {
        let end = b.iter().position(|&c| c == 0).unwrap_or(b.len());
        String::from_utf8_lossy(&b[..end]).into_owned()
    };
    let mut out = Vec::new();
    let mut at = 0;
    loop {
        let Some(h) = data.get(at..at + 512) else {
            return if at == 0 {
                Err(NOT_TAR.into())
            } else {
                Ok(out)
            };
        };
        if h.iter().all(|&b| b == 0) {
            return Ok(out);
        }
        let stored = u32::from_str_radix(field(&h[148..156]).trim(), 8).map_err(|_| NOT_TAR)?;
        let sum: u32 = h
            .iter()
            .enumerate()
            .map(|(i, &b)| {
                if (148..156).contains(&i) {
                    32
                } else {
                    u32::from(b)
                }
            })
            .sum();
        if sum != stored {
            return Err(NOT_TAR.into());
        }
        let size = usize::from_str_radix(field(&h[124..136]).trim(), 8).map_err(|_| NOT_TAR)?;
        let mut name = field(&h[0..100]);
        if &h[257..262] == b"ustar" {
            let prefix = field(&h[345..500]);
            if !prefix.is_empty() {
                name = format!("{prefix}/{name}");
            }
        }
        let body = data
            .get(at + 512..at + 512 + size)
            .ok_or("tar: Unexpected EOF in archive")?;
        if matches!(h[156], b'0' | 0) {
            out.push((name, body.to_vec()));
        }
        at += 512 + size.div_ceil(512) * 512;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn untar_reads_regular_files_and_refuses_other_input() {
        let mut h = [0u8; 512];
        h[..5].copy_from_slice(b"a.txt");
        h[124..136].copy_from_slice(b"00000000003\0");
        h[156] = b'0';
        h[257..263].copy_from_slice(b"ustar\0");
        h[148..156].copy_from_slice(b"        ");
        let sum: u32 = h.iter().map(|&b| u32::from(b)).sum();
        h[148..156].copy_from_slice(format!("{sum:06o}\0 ").as_bytes());
        let mut archive = h.to_vec();
        archive.extend(b"abc");
        archive.extend([0u8; 509 + 1024]);
        assert_eq!(
            untar(&archive).unwrap(),
            vec![("a.txt".into(), b"abc".to_vec())]
        );
        assert!(untar(b"hello").is_err());
        assert!(untar(&[]).is_err());
        archive[0] = b'b'; // checksum no longer matches
        assert!(untar(&archive).is_err());
    }

    #[test]
    fn only_the_images_directories_may_hold_unshipped_files() {
        assert!(may_be_in_image("/opt/spark/conf/driver.yaml"));
        assert!(may_be_in_image("/etc/security/etl.keytab"));
        assert!(!may_be_in_image("/opt/spark-k8scli/deps/driver.yaml"));
        assert!(!may_be_in_image("/opt/spark/work-dir/a.yaml"));
        assert!(!may_be_in_image("/home/me/templates/driver.yaml"));
        assert!(!may_be_in_image("/tmp/x/etl.keytab"));
        assert!(!may_be_in_image("templates/driver.yaml"));
    }

    #[test]
    fn fnv_matches_the_reference_values() {
        assert_eq!(fnv1a64(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a64(b"a"), 0xaf63_dc4c_8601_ec8c);
    }
}
