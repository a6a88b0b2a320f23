//! `doctor`: checks the launcher's setup against each configured cluster before a job needs it,
//! and names a fix for every problem: the launcher config, the submit image, reachability and
//! TLS, credentials, clock skew, the launcher's RBAC (SelfSubjectAccessReview for every grant of
//! `plan::rbac::LAUNCHER`), the submit pod's service account and its RBAC (SubjectAccessReview
//! for `plan::rbac::SUBMIT`), the quota against a job of the configured defaults, and the
//! namespace's LimitRange defaults.

use std::io::Write as _;
use std::time::Duration;

use k8s_openapi::api::core::v1::{LimitRange, ServiceAccount};
use kube::api::{Api, ListParams, PostParams};
use serde::Serialize;

use super::exit;
use super::fleet::{FleetJob, connect_member};
use crate::cluster::Target;
use crate::resolve::{Env, Settings, fleet::Member};

/// How long one check may take.
const CHECK_TIMEOUT: Duration = Duration::from_secs(10);

/// A clock further off than this makes Lease-based queue tickets and timeouts misjudge.
const CLOCK_SKEW_LIMIT: Duration = Duration::from_secs(30);

/// The job `doctor` measures the quota with: the configured defaults for a JVM application.
const TYPICAL_JOB: [&str; 3] = [
    "--class",
    "org.apache.spark.examples.SparkPi",
    "local:///opt/spark/examples/jars/spark-examples.jar",
];

/// A check's verdict.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    Ok,
    Warn,
    Fail,
}

/// One line of the report.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// The fleet member (`-` for what is not a cluster's).
    pub cluster: String,
    pub check: &'static str,
    pub verdict: Verdict,
    pub detail: String,
    /// What to do (empty when all is well).
    pub fix: String,
}

fn finding(
    cluster: &str,
    check: &'static str,
    verdict: Verdict,
    detail: String,
    fix: &str,
) -> Finding {
    Finding {
        cluster: cluster.to_string(),
        check,
        verdict,
        detail,
        fix: fix.to_string(),
    }
}

/// `doctor [-o FORMAT] [SPARK_SUBMIT_OPTIONS...]`.
pub fn command(format: crate::report::Format, options: &[String], env: &Env) -> u8 {
    super::block_on(2, async {
        let findings = run(options, env).await;
        let text = format.data(&findings).unwrap_or_else(|| table(&findings));
        let _ = std::io::stdout().lock().write_all(text.as_bytes());
        exit_code(&findings)
    })
}

/// 0 when nothing failed, else 1 (warnings alone do not fail).
pub fn exit_code(findings: &[Finding]) -> u8 {
    if findings.iter().any(|f| f.verdict == Verdict::Fail) {
        exit::USAGE
    } else {
        exit::OK
    }
}

/// The report as a table: one line a check, with its fix when it has a problem.
pub fn table(findings: &[Finding]) -> String {
    let cells = findings
        .iter()
        .map(|f| {
            vec![
                f.cluster.clone(),
                f.check.to_string(),
                match f.verdict {
                    Verdict::Ok => "ok",
                    Verdict::Warn => "WARN",
                    Verdict::Fail => "FAIL",
                }
                .to_string(),
                f.detail.clone(),
                f.fix.clone(),
            ]
        })
        .collect();
    crate::report::table::columns(&["CLUSTER", "CHECK", "STATUS", "DETAIL", "FIX"], cells)
}

async fn run(options: &[String], env: &Env) -> Vec<Finding> {
    let mut out = Vec::new();
    // The launcher config and a job of its defaults, as a submission would resolve them.
    let mut args: Vec<String> = options.to_vec();
    args.extend(TYPICAL_JOB.map(str::to_string));
    let settings = match super::prepare(
        crate::parse::SparkCommand::Submit,
        "spark-k8s-cli doctor",
        &args,
        env,
        &super::DiskFiles,
    ) {
        Ok(s) => s,
        Err(e) => {
            out.push(finding(
                "-",
                "config",
                Verdict::Fail,
                e.stderr.trim().trim_start_matches("Error: ").to_string(),
                "Fix the launcher config (spark-k8s-cli settings lists every setting) or the options given.",
            ));
            return out;
        }
    };
    let config = match crate::resolve::launcher_config(env, &super::DiskFiles) {
        Ok(c) => c
            .path
            .map_or("no launcher config file: the defaults".to_string(), |p| {
                format!("{p} is valid")
            }),
        Err(e) => e.to_string(),
    };
    out.push(finding("-", "config", Verdict::Ok, config, ""));
    out.push(image(&settings));
    let fj = match members(&settings, env).await {
        Ok(fj) => fj,
        Err(e) => {
            out.push(finding(
                "-",
                "clusters",
                Verdict::Fail,
                e,
                "Add `fleet:` to the launcher config, or set KUBECONFIG to a kubeconfig whose current context names the cluster.",
            ));
            return out;
        }
    };
    let checks = fj
        .fleet
        .members
        .iter()
        .filter(|m| m.enabled)
        .map(|m| member(env, &settings, m));
    for found in futures::future::join_all(checks).await {
        out.extend(found);
    }
    out
}

/// The submit pod's image: the launcher's `submitImage`, else Spark's container image.
fn image(s: &Settings) -> Finding {
    let image = s.submit_pod().image.clone().or_else(|| {
        s.conf("spark.kubernetes.container.image")
            .map(str::to_string)
    });
    match image {
        Some(i) => finding("-", "image", Verdict::Ok, format!("the submit pod runs {i}"), ""),
        None => finding(
            "-",
            "image",
            Verdict::Fail,
            "no image for the submit pod: neither spark.k8scli.submitImage nor spark.kubernetes.container.image is set".into(),
            "Set submitImage in the launcher config to an image with Spark (apache/spark:4.0.0, or your own).",
        ),
    }
}

/// The fleet's members, or the kubeconfig's one cluster.
async fn members(s: &Settings, env: &Env) -> Result<FleetJob, String> {
    let fs = s.fleet().clone();
    let single = crate::resolve::typed::FleetSettings {
        fleet: crate::resolve::fleet::Fleet::parse(r#"[{"name": "kubeconfig"}]"#).ok(),
        ..fs.clone()
    };
    let found = match super::fleet::fleet_job_from(&fs, None, env).await {
        Ok(None) => super::fleet::fleet_job_from(&single, None, env).await,
        other => other,
    };
    match found {
        Ok(Some(fj)) => Ok(fj),
        Ok(None) => Err("no fleet is configured and no kubeconfig names a cluster".into()),
        Err(e) => Err(e.message()),
    }
}

/// Every check of one member; the later ones only once the cluster answers.
async fn member(env: &Env, settings: &Settings, m: &Member) -> Vec<Finding> {
    let name = m.name.as_str();
    let mut out = Vec::new();
    let settings = match settings.for_member(m) {
        Ok(s) => s,
        Err(e) => {
            out.push(finding(
                name,
                "config",
                Verdict::Fail,
                e.to_string(),
                "Fix this member's overrides in the fleet config.",
            ));
            return out;
        }
    };
    let target = match connect_member(env, m, None).await {
        Ok(t) => t,
        Err(e) => {
            out.push(finding(
                name,
                "connect",
                Verdict::Fail,
                e.message(),
                "Fix the member's kubeconfig or context in the fleet config (kubectl config get-contexts lists them).",
            ));
            return out;
        }
    };
    match reach(&target).await {
        Reach::Answered { version, skew } => {
            out.push(finding(
                name,
                "reach",
                Verdict::Ok,
                format!("{} answers (Kubernetes {version})", target.server),
                "",
            ));
            out.push(clock(name, skew));
        }
        Reach::Failed(f) => {
            out.push(finding(name, f.check, Verdict::Fail, f.detail, f.fix));
            return out;
        }
    }
    out.push(launcher_rbac(&target, name).await);
    let account = submit_account(&settings);
    let exists = service_account(&target, name, &account).await;
    let missing = exists.verdict == Verdict::Fail;
    out.push(exists);
    if !missing {
        out.push(submit_rbac(&target, name, &account).await);
    }
    out.push(quota(env, &settings, &target, name).await);
    out.push(limit_ranges(&target, name).await);
    out
}

enum Reach {
    Answered {
        version: String,
        skew: Option<Duration>,
    },
    Failed(Failure),
}

struct Failure {
    check: &'static str,
    detail: String,
    fix: &'static str,
}

/// `GET /version`: whether the server answers, over TLS it trusts, to these credentials; and
/// how far its clock (the `Date` header) is from this host's.
async fn reach(t: &Target) -> Reach {
    let request = http::Request::get("/version").body(Vec::new());
    let Ok(request) = request else {
        return Reach::Failed(Failure {
            check: "reach",
            detail: "cannot build the request".into(),
            fix: "",
        });
    };
    let sent = tokio::time::timeout(CHECK_TIMEOUT, t.client.send(request.map(Into::into))).await;
    let response = match sent {
        Err(_) => {
            return Reach::Failed(Failure {
                check: "reach",
                detail: format!(
                    "{} did not answer within {} s",
                    t.server,
                    CHECK_TIMEOUT.as_secs()
                ),
                fix: "Check the server address in the kubeconfig, the network path (VPN, firewall) and that the API server runs.",
            });
        }
        Ok(Err(e)) => return Reach::Failed(unreachable(t, &e)),
        Ok(Ok(r)) => r,
    };
    let status = response.status();
    if status == http::StatusCode::UNAUTHORIZED {
        return Reach::Failed(Failure {
            check: "credentials",
            detail: format!(
                "{} refused the credentials of context {} (401 Unauthorized)",
                t.server,
                t.context.as_deref().unwrap_or("-")
            ),
            fix: "Renew the token or certificate of the kubeconfig's user (kubectl config view --minify shows which), or log in again with your cloud's tool.",
        });
    }
    let skew = response
        .headers()
        .get(http::header::DATE)
        .and_then(|d| d.to_str().ok())
        .and_then(|d| k8s_openapi::jiff::fmt::rfc2822::parse(d).ok())
        .map(|server| {
            let now = k8s_openapi::jiff::Timestamp::now();
            let secs = (now.as_second() - server.timestamp().as_second()).unsigned_abs();
            Duration::from_secs(secs)
        });
    let body = response
        .into_body()
        .collect_bytes()
        .await
        .unwrap_or_default();
    if !status.is_success() {
        return Reach::Failed(Failure {
            check: "reach",
            detail: format!("{} answered /version with {status}", t.server),
            fix: "Check that the kubeconfig's server is a Kubernetes API server.",
        });
    }
    let version = serde_json::from_slice::<serde_json::Value>(&body)
        .ok()
        .and_then(|v| v["gitVersion"].as_str().map(str::to_string))
        .unwrap_or_else(|| "of unknown version".into());
    Reach::Answered { version, skew }
}

/// No answer: TLS the client does not trust, or no connection at all.
fn unreachable(t: &Target, e: &kube::Error) -> Failure {
    let cause = crate::cluster::message_of(e);
    let lower = format!("{cause} {e:?}").to_ascii_lowercase();
    if ["certificate", "tls", "handshake", "unknownissuer"]
        .iter()
        .any(|w| lower.contains(w))
    {
        return Failure {
            check: "tls",
            detail: format!("{}: {cause}", t.server),
            fix: "Put the cluster's CA in the kubeconfig (certificate-authority-data) and check the server name matches its certificate.",
        };
    }
    Failure {
        check: "reach",
        detail: format!("{} cannot be reached: {cause}", t.server),
        fix: "Check the server address in the kubeconfig, the network path (VPN, firewall) and that the API server runs.",
    }
}

fn clock(cluster: &str, skew: Option<Duration>) -> Finding {
    match skew {
        None => finding(
            cluster,
            "clock",
            Verdict::Warn,
            "the server sent no Date header: clock skew unknown".into(),
            "Check this host's time sync (chrony, systemd-timesyncd).",
        ),
        Some(d) if d > CLOCK_SKEW_LIMIT => finding(
            cluster,
            "clock",
            Verdict::Fail,
            format!(
                "this host's clock is {} s off the API server's",
                d.as_secs()
            ),
            "Sync this host's clock (chrony, systemd-timesyncd): queue tickets and timeouts compare times across hosts.",
        ),
        Some(d) => finding(
            cluster,
            "clock",
            Verdict::Ok,
            format!("within {} s of the API server's", d.as_secs().max(1)),
            "",
        ),
    }
}

/// Each grant of `grants`, reviewed for the launcher itself (`None`) or for a user and its
/// groups: the verbs denied, or the reason no review could be made.
async fn denied(
    t: &Target,
    grants: &[crate::plan::rbac::Grant],
    user: Option<(&str, &[String])>,
) -> Result<Vec<String>, String> {
    use k8s_openapi::api::authorization::v1 as authz;
    let mut denied = Vec::new();
    for g in grants {
        for (verb, _) in g.verbs {
            let (resource, subresource) = match g.resource.split_once('/') {
                Some((r, s)) => (r, Some(s.to_string())),
                None => (g.resource, None),
            };
            let attributes = authz::ResourceAttributes {
                group: Some(g.group.to_string()),
                resource: Some(resource.to_string()),
                subresource,
                verb: Some(verb.to_string()),
                namespace: Some(t.namespace.clone()),
                ..Default::default()
            };
            let allowed = match user {
                None => {
                    let spec = authz::SelfSubjectAccessReviewSpec {
                        resource_attributes: Some(attributes),
                        ..Default::default()
                    };
                    let review = authz::SelfSubjectAccessReview {
                        spec,
                        ..Default::default()
                    };
                    reviewed(t, review, |r| r.status).await?
                }
                Some((u, groups)) => {
                    let spec = authz::SubjectAccessReviewSpec {
                        resource_attributes: Some(attributes),
                        user: Some(u.to_string()),
                        groups: Some(groups.to_vec()),
                        ..Default::default()
                    };
                    let review = authz::SubjectAccessReview {
                        spec,
                        ..Default::default()
                    };
                    reviewed(t, review, |r| r.status).await?
                }
            };
            if !allowed {
                denied.push(format!("{verb} {}", g.resource));
            }
        }
    }
    Ok(denied)
}

/// Creates an access review and reads whether it was allowed.
async fn reviewed<K>(
    t: &Target,
    review: K,
    status: fn(K) -> Option<k8s_openapi::api::authorization::v1::SubjectAccessReviewStatus>,
) -> Result<bool, String>
where
    K: kube::Resource<DynamicType = ()>
        + Clone
        + std::fmt::Debug
        + Serialize
        + serde::de::DeserializeOwned,
{
    let api: Api<K> = Api::all(t.client.clone());
    let answered = within(api.create(&PostParams::default(), &review)).await?;
    Ok(status(answered).is_some_and(|s| s.allowed))
}

async fn within<T>(
    request: impl std::future::Future<Output = kube::Result<T>>,
) -> Result<T, String> {
    match tokio::time::timeout(CHECK_TIMEOUT, request).await {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(e)) => Err(crate::cluster::message_of(&e)),
        Err(_) => Err(format!("no answer within {} s", CHECK_TIMEOUT.as_secs())),
    }
}

fn rbac_fix(namespace: &str) -> String {
    format!(
        "Apply the least-privilege manifests: spark-k8s-cli rbac --namespace {namespace} | kubectl apply -f - (docs/rbac/), and use the {} account's token in the kubeconfig.",
        crate::plan::rbac::LAUNCHER_ACCOUNT
    )
}

async fn launcher_rbac(t: &Target, cluster: &str) -> Finding {
    match denied(t, crate::plan::rbac::LAUNCHER, None).await {
        Ok(d) if d.is_empty() => finding(
            cluster,
            "rbac",
            Verdict::Ok,
            format!("the launcher may do all a job needs in {}", t.namespace),
            "",
        ),
        Ok(d) => Finding {
            fix: rbac_fix(&t.namespace),
            ..finding(
                cluster,
                "rbac",
                Verdict::Fail,
                format!("the launcher may not, in {}: {}", t.namespace, d.join(", ")),
                "",
            )
        },
        Err(e) => finding(
            cluster,
            "rbac",
            Verdict::Warn,
            format!("cannot review the launcher's access: {e}"),
            "Check with kubectl auth can-i --list.",
        ),
    }
}

/// The submit pod's service account: the launcher's `submitServiceAccount`, else Spark's
/// driver account, else the namespace's `default`.
fn submit_account(s: &Settings) -> String {
    s.submit_pod()
        .service_account
        .clone()
        .or_else(|| {
            s.conf("spark.kubernetes.authenticate.driver.serviceAccountName")
                .map(str::to_string)
        })
        .unwrap_or_else(|| "default".into())
}

async fn service_account(t: &Target, cluster: &str, account: &str) -> Finding {
    let api: Api<ServiceAccount> = Api::namespaced(t.client.clone(), &t.namespace);
    match within(api.get_opt(account)).await {
        Ok(Some(_)) => finding(
            cluster,
            "service-account",
            Verdict::Ok,
            format!(
                "the submit pod's service account {account} exists in {}",
                t.namespace
            ),
            "",
        ),
        Ok(None) => Finding {
            fix: format!(
                "Create it: spark-k8s-cli rbac --namespace {} | kubectl apply -f - creates {} with its Role; then set submitServiceAccount: {} in the launcher config.",
                t.namespace,
                crate::plan::rbac::SUBMIT_ACCOUNT,
                crate::plan::rbac::SUBMIT_ACCOUNT
            ),
            ..finding(
                cluster,
                "service-account",
                Verdict::Fail,
                format!(
                    "the submit pod's service account {account} does not exist in {}: every submit pod would be refused",
                    t.namespace
                ),
                "",
            )
        },
        Err(e) => finding(
            cluster,
            "service-account",
            Verdict::Warn,
            format!("cannot read service account {account}: {e}"),
            "Let the launcher get serviceaccounts, or check it with kubectl get serviceaccount.",
        ),
    }
}

async fn submit_rbac(t: &Target, cluster: &str, account: &str) -> Finding {
    let user = format!("system:serviceaccount:{}:{account}", t.namespace);
    // The groups the service-account authenticator gives it: a SubjectAccessReview adds none.
    let groups = [
        "system:serviceaccounts".to_string(),
        format!("system:serviceaccounts:{}", t.namespace),
        "system:authenticated".to_string(),
    ];
    match denied(t, crate::plan::rbac::SUBMIT, Some((&user, &groups))).await {
        Ok(d) if d.is_empty() => finding(
            cluster,
            "submit-rbac",
            Verdict::Ok,
            format!("{account} may do all Spark's spark-submit and driver need"),
            "",
        ),
        Ok(d) => Finding {
            fix: rbac_fix(&t.namespace),
            ..finding(
                cluster,
                "submit-rbac",
                Verdict::Fail,
                format!("service account {account} may not: {}", d.join(", ")),
                "",
            )
        },
        Err(e) => finding(
            cluster,
            "submit-rbac",
            Verdict::Warn,
            format!("cannot review {account}'s access (a SubjectAccessReview): {e}"),
            &format!(
                "Check it with kubectl auth can-i --list --as={user}, or let the launcher create subjectaccessreviews (a ClusterRole)."
            ),
        ),
    }
}

/// The quota against a job of the configured defaults: never fitting is a failure; otherwise
/// the room the quotas' hard limits leave for the biggest job.
async fn quota(env: &Env, s: &Settings, t: &Target, cluster: &str) -> Finding {
    let plan = match super::make_plan(s, env) {
        Ok((p, _)) => p,
        Err(e) => {
            return finding(
                cluster,
                "quota",
                Verdict::Warn,
                format!("cannot plan a job of the defaults: {e}"),
                "",
            );
        }
    };
    let (quotas, demand) = match within(crate::queue::job_quotas(t, &plan)).await {
        Ok(q) => q,
        Err(e) => {
            return finding(
                cluster,
                "quota",
                Verdict::Warn,
                format!("cannot read the quotas: {e}"),
                "Let the launcher list resourcequotas (spark-k8s-cli rbac).",
            );
        }
    };
    let wanted = amounts_text(&demand);
    if let Some(why) = crate::plan::quota::never_fits(&demand, &quotas) {
        return finding(
            cluster,
            "quota",
            Verdict::Fail,
            format!("a job of the defaults ({wanted}) can never fit: {why}"),
            "Raise the ResourceQuota's hard limits, or lower the defaults (spark.executor.instances, spark.executor.memory, spark.driver.memory) in the launcher config.",
        );
    }
    if quotas.is_empty() {
        return finding(
            cluster,
            "quota",
            Verdict::Ok,
            format!("no ResourceQuota in {}: any job fits", t.namespace),
            "",
        );
    }
    // The biggest job: the tightest hard limit of each resource the quotas count.
    let mut biggest: std::collections::BTreeMap<&str, i128> = Default::default();
    for q in &quotas {
        for (r, v) in &q.hard {
            let e = biggest.entry(r.as_str()).or_insert(*v);
            *e = (*e).min(*v);
        }
    }
    let biggest = biggest
        .iter()
        .map(|(r, v)| format!("{r} {}", crate::plan::quota::format_amount(r, *v)))
        .collect::<Vec<_>>()
        .join(", ");
    finding(
        cluster,
        "quota",
        Verdict::Ok,
        format!(
            "a job of the defaults ({wanted}) fits; the biggest job that could ever fit: {biggest}"
        ),
        "",
    )
}

fn amounts_text(a: &crate::plan::quota::Amounts) -> String {
    a.iter()
        .filter(|(r, _)| matches!(r.as_str(), "requests.cpu" | "requests.memory" | "pods"))
        .map(|(r, v)| format!("{r} {}", crate::plan::quota::format_amount(r, *v)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The namespace's LimitRange defaults: what pods that set no requests or limits get.
async fn limit_ranges(t: &Target, cluster: &str) -> Finding {
    let api: Api<LimitRange> = Api::namespaced(t.client.clone(), &t.namespace);
    let list = match within(api.list(&ListParams::default())).await {
        Ok(l) => l,
        Err(e) => {
            return finding(
                cluster,
                "limitrange",
                Verdict::Warn,
                format!("cannot read the LimitRanges: {e}"),
                "Let the launcher list limitranges (spark-k8s-cli rbac).",
            );
        }
    };
    let mut parts = Vec::new();
    for lr in &list.items {
        let name = lr.metadata.name.clone().unwrap_or_default();
        for item in lr
            .spec
            .as_ref()
            .map(|s| s.limits.as_slice())
            .unwrap_or_default()
        {
            let show = |what: &str,
                        m: &Option<
                std::collections::BTreeMap<
                    String,
                    k8s_openapi::apimachinery::pkg::api::resource::Quantity,
                >,
            >| {
                m.as_ref().map(|m| {
                    format!(
                        "{what} {}",
                        m.iter()
                            .map(|(k, v)| format!("{k}={}", v.0))
                            .collect::<Vec<_>>()
                            .join(",")
                    )
                })
            };
            let said: Vec<String> = [
                show("default", &item.default),
                show("defaultRequest", &item.default_request),
                show("max", &item.max),
            ]
            .into_iter()
            .flatten()
            .collect();
            if !said.is_empty() {
                parts.push(format!("{name} ({}): {}", item.type_, said.join("; ")));
            }
        }
    }
    let detail = if parts.is_empty() {
        format!("no LimitRange defaults in {}", t.namespace)
    } else {
        parts.join(" | ")
    };
    finding(cluster, "limitrange", Verdict::Ok, detail, "")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failure_fails_the_command_and_shows_its_fix() {
        let ok = finding("a", "reach", Verdict::Ok, "answers".into(), "");
        let warn = finding("a", "clock", Verdict::Warn, "unknown".into(), "sync");
        let fail = finding(
            "b",
            "credentials",
            Verdict::Fail,
            "401".into(),
            "renew the token",
        );
        assert_eq!(exit_code(&[ok.clone(), warn.clone()]), exit::OK);
        assert_eq!(exit_code(&[ok.clone(), fail.clone()]), exit::USAGE);
        let t = table(&[ok, fail]);
        assert!(t.contains("FAIL"), "{t}");
        assert!(t.contains("renew the token"), "{t}");
    }

    #[test]
    fn the_clock_fails_past_thirty_seconds() {
        assert_eq!(
            clock("a", Some(Duration::from_secs(3))).verdict,
            Verdict::Ok
        );
        assert_eq!(
            clock("a", Some(Duration::from_secs(31))).verdict,
            Verdict::Fail
        );
        assert_eq!(clock("a", None).verdict, Verdict::Warn);
    }
}
