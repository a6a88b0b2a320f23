//! State the launchers of every host share through the cluster: small JSON documents kept in
//! coordination.k8s.io Leases. [`claim`] creates a Lease only if it is absent (kube-apiserver
//! answers 409 AlreadyExists to the second create of a name: someone else got there first);
//! [`update`] changes a Lease's document under optimistic concurrency (the write carries the
//! resourceVersion it read, kube-apiserver answers 409 Conflict when another write came in
//! between, and the change is made again on what is there now). Each Lease says when it
//! expires (`renewTime` + `leaseDurationSeconds`); [`sweep`] deletes the expired ones of a
//! label, so they do not pile up.

use std::collections::BTreeMap;

use k8s_openapi::api::coordination::v1::{Lease, LeaseSpec};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{MicroTime, ObjectMeta};
use kube::api::{Api, DeleteParams, ListParams, PostParams, Preconditions};

/// The annotation that holds a Lease's document.
pub const STATE: &str = "spark-k8s-cli/state";

/// How often [`update`] reads and writes again after losing a race, before it gives up.
const TRIES: usize = 24;

/// A Lease of the launcher's, not yet created.
#[derive(Clone, Debug)]
pub struct Record {
    pub name: String,
    pub labels: BTreeMap<String, String>,
    /// More annotations than the document (for people reading the Lease).
    pub annotations: BTreeMap<String, String>,
    /// How long the Lease is kept after its last write.
    pub keep_seconds: i32,
}

fn now() -> MicroTime {
    MicroTime(k8s_openapi::jiff::Timestamp::now())
}

impl Record {
    fn lease(&self, document: Option<String>) -> Lease {
        let mut annotations = self.annotations.clone();
        annotations.extend(document.map(|d| (STATE.to_string(), d)));
        Lease {
            metadata: ObjectMeta {
                name: Some(self.name.clone()),
                labels: Some(self.labels.clone()),
                annotations: Some(annotations),
                ..Default::default()
            },
            spec: Some(LeaseSpec {
                holder_identity: Some("spark-k8s-cli".into()),
                lease_duration_seconds: Some(self.keep_seconds),
                acquire_time: Some(now()),
                renew_time: Some(now()),
                ..Default::default()
            }),
        }
    }
}

fn is_409(e: &kube::Error) -> bool {
    matches!(e, kube::Error::Api(s) if s.code == 409)
}

/// Creates `record` if no Lease of its name exists: `Ok(true)` when this call created it,
/// `Ok(false)` when it was there already (409 AlreadyExists).
pub async fn claim(api: &Api<Lease>, record: &Record) -> kube::Result<bool> {
    match api
        .create(&PostParams::default(), &record.lease(None))
        .await
    {
        Ok(_) => Ok(true),
        Err(e) if is_409(&e) => Ok(false),
        Err(e) => Err(e),
    }
}

/// Changes the document of `record`'s Lease with `change` (on the default document when the
/// Lease or its annotation is absent), creating the Lease when absent; `change` runs again on
/// what is there after each lost race. Its answer for the write that went in.
pub async fn update<T, R>(
    api: &Api<Lease>,
    record: &Record,
    mut change: impl FnMut(&mut T) -> R,
) -> kube::Result<R>
where
    T: Default + serde::Serialize + serde::de::DeserializeOwned,
{
    let mut last = None;
    for tries in 1..=TRIES {
        let found = api.get_opt(&record.name).await?;
        let before = found
            .as_ref()
            .and_then(|l| l.metadata.annotations.as_ref()?.get(STATE).cloned());
        let mut doc: T = before
            .as_deref()
            .and_then(|text| serde_json::from_str(text).ok())
            .unwrap_or_default();
        let answer = change(&mut doc);
        let text = serde_json::to_string(&doc).map_err(kube::Error::SerdeError)?;
        // Nothing changed: nothing to write (and no race to lose).
        if before.as_deref() == Some(text.as_str()) {
            return Ok(answer);
        }
        let pp = PostParams::default();
        let written = match found {
            None => api.create(&pp, &record.lease(Some(text))).await,
            Some(mut lease) => {
                // The resourceVersion read stays on the object: the write is conditional on it.
                lease
                    .metadata
                    .annotations
                    .get_or_insert_default()
                    .insert(STATE.into(), text);
                let spec = lease.spec.get_or_insert_default();
                spec.renew_time = Some(now());
                spec.lease_duration_seconds = Some(record.keep_seconds);
                api.replace(&record.name, &pp, &lease).await
            }
        };
        match written {
            Ok(_) => return Ok(answer),
            // AlreadyExists (created meanwhile) or Conflict (written meanwhile): again.
            Err(e) if is_409(&e) => last = Some(e),
            Err(e) => return Err(e),
        }
        // Many writers at once: spread the next tries out a little.
        tokio::time::sleep(jitter(tries)).await;
    }
    Err(last.expect("a try was made"))
}

/// A pause of up to 10 ms times `tries`, different per process.
fn jitter(tries: usize) -> std::time::Duration {
    let seed = u64::from(std::process::id()).wrapping_mul(2_654_435_761) ^ (tries as u64 * 97);
    std::time::Duration::from_millis(seed % (10 * tries as u64 + 1))
}

/// When `lease` expires, in microseconds since the epoch: its last write and how long it is
/// kept.
pub fn expires_us(lease: &Lease) -> i64 {
    let Some(spec) = &lease.spec else { return 0 };
    let last = [&spec.renew_time, &spec.acquire_time]
        .into_iter()
        .flatten()
        .map(|t| t.0.as_microsecond())
        .max()
        .unwrap_or(0);
    last + i64::from(spec.lease_duration_seconds.unwrap_or(0)) * 1_000_000
}

/// Deletes the expired Leases that match `selector`, each only if unchanged since it was listed
/// (a resourceVersion precondition), so a Lease written meanwhile stays.
pub async fn sweep(api: &Api<Lease>, selector: &str) -> kube::Result<usize> {
    let now = k8s_openapi::jiff::Timestamp::now().as_microsecond();
    let list = api.list(&ListParams::default().labels(selector)).await?;
    let mut deleted = 0;
    for lease in list.items.iter().filter(|l| expires_us(l) <= now) {
        let precondition = Preconditions {
            resource_version: lease.metadata.resource_version.clone(),
            uid: None,
        };
        let name = lease.metadata.name.as_deref().unwrap_or_default();
        let params = DeleteParams::default().preconditions(precondition);
        if api.delete(name, &params).await.is_ok() {
            deleted += 1;
        }
    }
    Ok(deleted)
}

/// A short stable digest of `text` (hex, `len` characters at most 64) for object names made
/// from values that are no DNS labels.
pub fn digest(text: &str, len: usize) -> String {
    let d = ring::digest::digest(&ring::digest::SHA256, text.as_bytes());
    let hex: String = d.as_ref().iter().map(|b| format!("{b:02x}")).collect();
    hex[..len.min(hex.len())].to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lease_expires_its_keep_after_its_last_write() {
        let record = Record {
            name: "n".into(),
            labels: BTreeMap::new(),
            annotations: BTreeMap::new(),
            keep_seconds: 60,
        };
        let mut lease = record.lease(Some("{}".into()));
        let spec = lease.spec.as_mut().unwrap();
        spec.acquire_time = Some(MicroTime(
            k8s_openapi::jiff::Timestamp::from_second(100).unwrap(),
        ));
        spec.renew_time = Some(MicroTime(
            k8s_openapi::jiff::Timestamp::from_second(1000).unwrap(),
        ));
        assert_eq!(expires_us(&lease), 1060 * 1_000_000);
        lease.spec = None;
        assert_eq!(expires_us(&lease), 0, "no spec: expired");
    }

    #[test]
    fn digests_are_stable_and_short() {
        assert_eq!(digest("abc", 8), "ba7816bf");
        assert_eq!(digest("abc", 100).len(), 64);
    }
}
