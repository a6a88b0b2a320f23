//! cluster: the connection to one Kubernetes cluster ([`Target`]), the kube client it is made
//! of, and what its failures mean ([`decision_of`], [`message_of`], [`Target::failure`]), with the
//! retry policy every stage uses ([`retry`], [`with_retries`]). Below every stage of the journey.

pub mod answered;
pub mod retry;
pub mod shared;

use std::time::{Duration, Instant};

use kube::config::{KubeConfigOptions, Kubeconfig};
use kube::{Client, Config};

use crate::outcome::JobError;
use retry::{Decision, Policy, StatusSeen};

/// The environment the connection reads (`KUBECONFIG`, `HOME`): `resolve::Env`'s shape.
type Env = std::collections::BTreeMap<String, String>;

/// The cluster a job goes to.
#[derive(Clone)]
pub struct Target {
    pub client: Client,
    pub namespace: String,
    /// The API server URL, for messages.
    pub server: String,
    /// The cluster's name in alerts: the fleet member's, else the API server URL.
    pub cluster: String,
    /// The kubeconfig context the client was made from (none in a pod's own config).
    pub context: Option<String>,
}

impl Target {
    /// The message for a failed request. A request that got no answer, or credentials the
    /// server turned down, say so with the server, the context and the cause, whatever the
    /// request was; any other failure is `what` with the server's words.
    pub fn failure(&self, e: &kube::Error, what: impl FnOnce(&str) -> String) -> String {
        match e {
            kube::Error::Api(s) if s.code == 401 => {
                retry::unauthorized_message(&self.server, self.context.as_deref(), &s.message)
            }
            kube::Error::Service(_) | kube::Error::HyperError(_) => {
                retry::transport_message(&self.server, self.context.as_deref(), &retry::cause_of(e))
            }
            _ => what(&message_of(e)),
        }
    }
}

/// Connecting is set up before any request: what fails there is the configuration's fault.
fn connect_err(message: impl Into<String>) -> JobError {
    JobError::usage(message)
}

/// Normalises a server URL for comparison: scheme (https when absent), host, port, no slash.
pub fn normalise_server(s: &str) -> String {
    let s = s.trim().trim_end_matches('/');
    let s = s.strip_prefix("k8s://").unwrap_or(s);
    if s.contains("://") {
        s.to_string()
    } else {
        format!("https://{s}")
    }
}

/// The kubeconfig's context to use: the setting, else the one whose cluster serves `master`,
/// else the current context.
fn choose_context(
    kc: &Kubeconfig,
    context: Option<&str>,
    master: Option<&str>,
) -> Result<Option<String>, JobError> {
    if let Some(c) = context {
        if !kc.contexts.iter().any(|n| n.name == c) {
            let known: Vec<&str> = kc.contexts.iter().map(|n| n.name.as_str()).collect();
            return Err(connect_err(format!(
                "Context {c} is not in the kubeconfig (contexts: {}). Set spark.k8scli.context to one of them.",
                known.join(", ")
            )));
        }
        return Ok(Some(c.to_string()));
    }
    let Some(master) = master else {
        return Ok(None);
    };
    let want = normalise_server(master);
    if want == "https://kubernetes.default.svc" || want == "https://kubernetes.default.svc:443" {
        return Ok(None);
    }
    let cluster = kc.clusters.iter().find(|c| {
        c.cluster
            .as_ref()
            .and_then(|c| c.server.as_deref())
            .is_some_and(|s| normalise_server(s) == want)
    });
    let Some(cluster) = cluster else {
        let known: Vec<String> = kc
            .clusters
            .iter()
            .filter_map(|c| c.cluster.as_ref()?.server.clone())
            .collect();
        return Err(connect_err(format!(
            "--master {master} matches no cluster of the kubeconfig (servers: {}). Use one of those servers, or omit --master to use the current context.",
            known.join(", ")
        )));
    };
    // The current context when it points at that cluster, else the first that does.
    let ctx = kc
        .contexts
        .iter()
        .filter(|c| {
            c.context
                .as_ref()
                .is_some_and(|x| x.cluster == cluster.name)
        })
        .max_by_key(|c| Some(&c.name) == kc.current_context.as_ref())
        .map(|c| c.name.clone());
    match ctx {
        Some(c) => Ok(Some(c)),
        None => Err(connect_err(format!(
            "The kubeconfig has cluster {} for --master {master} but no context using it. Add a context, or set spark.k8scli.context.",
            cluster.name
        ))),
    }
}

/// Where to connect, without a whole job's settings (for `list` and `logs`).
#[derive(Clone, Debug, Default)]
pub struct ConnectOptions {
    pub kubeconfig: Option<String>,
    pub context: Option<String>,
    pub master: Option<String>,
    /// `spark.kubernetes.authenticate.submission.<key>` values by key.
    pub auth: std::collections::BTreeMap<String, String>,
    /// The pod's service account, whatever kubeconfig there is.
    pub in_cluster: bool,
}

/// Reads the kubeconfig (`o.kubeconfig`, `KUBECONFIG`, `~/.kube/config`) or the in-cluster
/// config, and applies `spark.kubernetes.authenticate.submission.*` (`o.auth`); a job's options
/// come from `Settings::connect_options`.
pub async fn connect_with(
    o: &ConnectOptions,
    env: &Env,
    namespace: Option<&str>,
) -> Result<Target, JobError> {
    let path = o
        .kubeconfig
        .clone()
        .or_else(|| {
            env.get("KUBECONFIG")
                .and_then(|k| k.split(':').find(|p| !p.is_empty()).map(str::to_string))
        })
        .or_else(|| env.get("HOME").map(|h| format!("{h}/.kube/config")));
    // A path named by the setting or KUBECONFIG must be there; only the default may be absent.
    let named = o.kubeconfig.clone().or_else(|| {
        env.get("KUBECONFIG")
            .and_then(|k| k.split(':').find(|p| !p.is_empty()).map(str::to_string))
    });
    if let Some(p) = &named
        && !o.in_cluster
        && !std::path::Path::new(p).exists()
    {
        let by = if o.kubeconfig.is_some() {
            "spark.k8scli.kubeconfig"
        } else {
            "KUBECONFIG"
        };
        return Err(connect_err(format!(
            "Kubeconfig {p} (from {by}) does not exist. Point {by} at an existing file."
        )));
    }
    let file = path
        .filter(|p| std::path::Path::new(p).exists())
        .filter(|_| !o.in_cluster);
    let mut context_used = None;
    let mut config = match &file {
        Some(path) => {
            let mut kc = Kubeconfig::read_from(path).map_err(|e| {
                connect_err(format!("Cannot read kubeconfig {path}: {e}. Fix the file or point spark.k8scli.kubeconfig at another."))
            })?;
            let context = choose_context(&kc, o.context.as_deref(), o.master.as_deref())?;
            apply_submission_auth(&o.auth, &mut kc, context.as_deref())?;
            context_used = context.clone().or_else(|| kc.current_context.clone());
            let opts = KubeConfigOptions {
                context,
                ..KubeConfigOptions::default()
            };
            Config::from_custom_kubeconfig(kc, &opts)
                .await
                .map_err(|e| connect_err(format!("Cannot use kubeconfig {path}: {e}")))?
        }
        None => Config::incluster().map_err(|e| {
            connect_err(format!(
                "No kubeconfig found and not running in a pod ({e}). Set KUBECONFIG or spark.k8scli.kubeconfig."
            ))
        })?,
    };
    config.read_timeout = Some(Duration::from_secs(60));
    config.connect_timeout = Some(Duration::from_secs(5));
    // kube's own layer would retry 429/503/504 up to 15 times (minutes) under every request;
    // the stages retry with their own classification and deadlines instead (`retry`).
    config.default_retry = false;
    let server = config.cluster_url.to_string();
    let namespace = namespace
        .map(str::to_string)
        .unwrap_or_else(|| config.default_namespace.clone());
    let client = kube::client::ClientBuilder::try_from(config)
        .map_err(|e| connect_err(format!("Cannot build a client for {server}: {e}")))?
        .with_layer(&answered::Answered::default())
        .build();
    Ok(Target {
        client,
        namespace,
        cluster: server.clone(),
        server,
        context: context_used,
    })
}

/// `spark.kubernetes.authenticate.submission.{oauthToken,oauthTokenFile,caCertFile,clientCertFile,clientKeyFile}`
/// override the kubeconfig's credentials for this submission, as Spark's client uses them.
fn apply_submission_auth(
    auth: &std::collections::BTreeMap<String, String>,
    kc: &mut Kubeconfig,
    context: Option<&str>,
) -> Result<(), JobError> {
    let get = |k: &str| auth.get(k).cloned();
    let ctx_name = context
        .map(str::to_string)
        .or_else(|| kc.current_context.clone());
    let Some(ctx) = kc
        .contexts
        .iter()
        .find(|c| Some(&c.name) == ctx_name.as_ref())
        .and_then(|c| c.context.clone())
    else {
        return Ok(());
    };
    let token = match (get("oauthToken"), get("oauthTokenFile")) {
        (Some(t), _) => Some(t),
        (None, Some(f)) => Some(
            std::fs::read_to_string(&f)
                .map_err(|e| connect_err(format!("Cannot read oauthTokenFile {f}: {e}")))?
                .trim()
                .to_string(),
        ),
        _ => None,
    };
    if let Some(user) = ctx.user.as_ref()
        && let Some(auth) = kc
            .auth_infos
            .iter_mut()
            .find(|a| &a.name == user)
            .and_then(|a| a.auth_info.as_mut())
    {
        if let Some(t) = token {
            auth.token = Some(t.into());
            auth.token_file = None;
        }
        if let Some(c) = get("clientCertFile") {
            auth.client_certificate = Some(c);
            auth.client_certificate_data = None;
        }
        if let Some(k) = get("clientKeyFile") {
            auth.client_key = Some(k);
            auth.client_key_data = None;
        }
    }
    if let Some(ca) = get("caCertFile")
        && let Some(cluster) = kc
            .clusters
            .iter_mut()
            .find(|c| c.name == ctx.cluster)
            .and_then(|c| c.cluster.as_mut())
    {
        cluster.certificate_authority = Some(ca);
        cluster.certificate_authority_data = None;
    }
    Ok(())
}

/// What a failed call looked like, for [`retry`].
pub fn decision_of(e: &kube::Error) -> Decision {
    match e {
        kube::Error::Api(s) => retry::classify_status(&StatusSeen {
            code: s.code,
            reason: &s.reason,
            message: &s.message,
            kind: s.details.as_ref().map(|d| d.kind.as_str()).unwrap_or(""),
            retry_after: s
                .details
                .as_ref()
                .map(|d| u64::from(d.retry_after_seconds))
                .filter(|s| *s > 0),
        }),
        kube::Error::SerdeError(_) | kube::Error::BuildRequest(_) => Decision::Fatal,
        other => retry::classify_transport(&retry::cause_of(other), answered_before(other)),
    }
}

/// Whether the server had answered this client before the request that got no answer
/// ([`answered::NoAnswer`]; not knowing counts as no).
fn answered_before(e: &kube::Error) -> bool {
    let mut next: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(e) = next {
        if let Some(n) = e.downcast_ref::<answered::NoAnswer>() {
            return n.answered_before;
        }
        next = e.source();
    }
    false
}

/// The server's message of a failure, for the one line the user sees; for a request that got
/// no answer, the cause in plain words ("connection refused").
pub fn message_of(e: &kube::Error) -> String {
    match e {
        kube::Error::Api(s) if !s.message.is_empty() => s.message.clone(),
        kube::Error::Service(_) | kube::Error::HyperError(_) => {
            retry::cause_of(e).words("the server")
        }
        other => other.to_string(),
    }
}

/// Runs `call` until it succeeds, fails for good, or the policy gives up; logs every retry.
pub async fn with_retries<T, F, Fut>(
    policy: &Policy,
    what: &str,
    mut call: F,
) -> Result<T, (Decision, kube::Error)>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<T, kube::Error>>,
{
    let start = Instant::now();
    let mut backoff = policy.backoff();
    let mut attempt = 1;
    loop {
        match call().await {
            Ok(v) => return Ok(v),
            Err(e) => {
                let d = decision_of(&e);
                match policy.next_delay(&d, attempt, start.elapsed(), &mut backoff) {
                    Some(delay) => {
                        crate::report::warn(&format!(
                            "spark-k8s-cli: {what}: {} (attempt {attempt}): {}; retrying in {} ms",
                            d.reason(),
                            message_of(&e),
                            delay.as_millis()
                        ));
                        tokio::time::sleep(delay).await;
                        attempt += 1;
                    }
                    None => return Err((d, e)),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kubeconfig() -> Kubeconfig {
        Kubeconfig::from_yaml(
            "apiVersion: v1\nkind: Config\nclusters:\n- name: a\n  cluster: {server: 'https://10.0.0.1:6443'}\n- name: b\n  cluster: {server: 'http://127.0.0.1:8080/'}\ncontexts:\n- name: ctx-a\n  context: {cluster: a, user: u}\n- name: ctx-b\n  context: {cluster: b, user: u}\ncurrent-context: ctx-a\nusers:\n- name: u\n  user: {token: t}\n",
        )
        .unwrap()
    }

    #[test]
    fn master_selects_the_matching_context() {
        let kc = kubeconfig();
        assert_eq!(choose_context(&kc, None, None).unwrap(), None);
        assert_eq!(
            choose_context(&kc, None, Some("k8s://http://127.0.0.1:8080")).unwrap(),
            Some("ctx-b".into())
        );
        assert_eq!(
            choose_context(&kc, None, Some("k8s://10.0.0.1:6443")).unwrap(),
            Some("ctx-a".into())
        );
        let e = choose_context(&kc, None, Some("k8s://https://elsewhere:443")).unwrap_err();
        assert!(
            e.message()
                .contains("servers: https://10.0.0.1:6443, http://127.0.0.1:8080/"),
            "{e}"
        );
        assert_eq!(
            choose_context(&kc, Some("ctx-b"), None).unwrap(),
            Some("ctx-b".into())
        );
        assert!(choose_context(&kc, Some("nope"), None).is_err());
    }
}
