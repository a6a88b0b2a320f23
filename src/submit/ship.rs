//! Ships the job's local files: reads them into the deps Secret, or streams them as a tar
//! archive into the submit pod's init container.

use std::collections::BTreeMap;

use k8s_openapi::ByteString;
use k8s_openapi::api::core::v1::{Pod, Secret};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use kube::api::{Api, AttachParams, Patch, PatchParams};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::cluster::{Target, message_of};
use crate::outcome::JobError;
use crate::plan::deps::{self, DEPS_CONTAINER, Deps};
use crate::plan::{JOB_ID_LABEL, JobPlan};

fn read_err(path: &str, e: &std::io::Error) -> JobError {
    JobError::submission(format!(
        "Cannot read local file {path}: {e}. Nothing was started; check the file and run again."
    ))
}

/// The Secret holding the files, read from disk now.
pub fn secret(plan: &JobPlan, deps: &Deps, name: &str) -> Result<Secret, JobError> {
    let mut data = BTreeMap::new();
    for f in &deps.files {
        let bytes = std::fs::read(&f.path).map_err(|e| read_err(&f.path, &e))?;
        data.insert(f.name.clone(), ByteString(bytes));
    }
    Ok(Secret {
        metadata: ObjectMeta {
            name: Some(name.to_string()),
            namespace: plan.namespace.clone(),
            labels: Some(BTreeMap::from([(
                JOB_ID_LABEL.to_string(),
                plan.job_id.clone(),
            )])),
            ..Default::default()
        },
        type_: Some("Opaque".into()),
        data: Some(data),
        ..Default::default()
    })
}

/// Makes the files' Secret outlive the submit pod while the driver runs: the driver and
/// executors mount it (executors come and go for the whole run), so both pods own it and it
/// goes when the last of them does.
pub async fn share_with_driver(target: &Target, plan: &JobPlan, submit: &Pod, driver: &Pod) {
    let Some(Deps {
        delivery: deps::Delivery::Secret(name),
        ..
    }) = &plan.deps
    else {
        return;
    };
    let (Some(by_submit), Some(by_driver)) = (
        crate::plan::pod_owner(submit),
        crate::plan::pod_owner(driver),
    ) else {
        return;
    };
    let patch = serde_json::json!({"metadata": {"ownerReferences": [by_submit, by_driver]}});
    let secrets: Api<Secret> = Api::namespaced(target.client.clone(), &target.namespace);
    if let Err(e) = secrets
        .patch(name, &PatchParams::default(), &Patch::Merge(&patch))
        .await
    {
        crate::report::warn(&format!(
            "spark-k8s-cli: cannot give secret {name} to driver {} ({}); executors started after the submit pod goes may not find it",
            plan.driver_pod_name,
            message_of(&e)
        ));
    }
}

/// Streams the files as one tar archive into the submit pod's waiting init container (its
/// `tar -x` ends when the stream does, and spark-submit starts).
pub async fn stream(target: &Target, pod_name: &str, deps: &Deps) -> Result<(), JobError> {
    let fail = |what: String| {
        JobError::submission(format!(
            "Cannot stream the job's local files into {pod_name}: {what}"
        ))
    };
    let pods: Api<Pod> = Api::namespaced(target.client.clone(), &target.namespace);
    let ap = AttachParams::default()
        .container(DEPS_CONTAINER)
        .stdin(true)
        .stdout(false)
        .stderr(false);
    let mut attached = pods
        .attach(pod_name, &ap)
        .await
        .map_err(|e| fail(message_of(&e)))?;
    let mut stdin = attached
        .stdin()
        .ok_or_else(|| fail("the attach gave no stdin".into()))?;
    // Held so the session's closing Status has somewhere to go.
    let status = attached.take_status();
    let mtime = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let mut buf = vec![0u8; 256 * 1024];
    for f in &deps.files {
        let header = deps::tar_header(&f.name, f.size, mtime).map_err(|e| fail(e.to_string()))?;
        stdin
            .write_all(&header)
            .await
            .map_err(|e| fail(e.to_string()))?;
        let mut file = tokio::fs::File::open(&f.path)
            .await
            .map_err(|e| read_err(&f.path, &e))?;
        let mut left = f.size;
        while left > 0 {
            let want = usize::try_from(left.min(buf.len() as u64)).unwrap_or(buf.len());
            let n = file
                .read(&mut buf[..want])
                .await
                .map_err(|e| read_err(&f.path, &e))?;
            if n == 0 {
                return Err(fail(format!("{} shrank while being sent", f.path)));
            }
            stdin
                .write_all(&buf[..n])
                .await
                .map_err(|e| fail(e.to_string()))?;
            left -= n as u64;
        }
        stdin
            .write_all(&vec![0u8; deps::tar_padding(f.size)])
            .await
            .map_err(|e| fail(e.to_string()))?;
    }
    stdin
        .write_all(&[0u8; 1024])
        .await
        .map_err(|e| fail(e.to_string()))?;
    stdin.flush().await.map_err(|e| fail(e.to_string()))?;
    stdin.shutdown().await.map_err(|e| fail(e.to_string()))?;
    drop(stdin);
    // The end of input (stdinOnce) ends `tar`, its container, and then the session.
    let ended = async {
        let joined = attached.join().await;
        let status = match status {
            Some(s) => s.await,
            None => None,
        };
        (joined, status)
    };
    match tokio::time::timeout(std::time::Duration::from_secs(60), ended).await {
        Ok((Err(e), _)) => Err(fail(e.to_string())),
        Ok((_, Some(s))) if s.status.as_deref() == Some("Failure") => {
            Err(fail(s.message.unwrap_or_default()))
        }
        _ => Ok(()),
    }
}
