//! cancel: Ctrl-C in a spark-shell session cancels the driver's running jobs through its web UI
//! instead of reaching the shell, which Spark 4 ends on any Ctrl-C.
//!
//! Spark 4's spark-shell (Scala 2.13's REPL on JLine 3) dies of a SIGINT during a statement and
//! takes one at the prompt for the end of input: `bin/spark-shell` exits 127 either way, over
//! Spark's own `Signaling.cancelOnInterrupt` (measured with the pinned package; `docs/kubesim.md`,
//! "Ctrl-C"). What a person means by Ctrl-C in a session is "stop this job", so the launcher
//! kills the running jobs as the UI's kill links do: the jobs page (`/jobs/`) holds a form per
//! running job with its id and the UI's CSRF token, posted to `/jobs/job/kill/`
//! (`JobsTab.handleKillRequest`; `spark.ui.killEnabled`), reached through the API server's pod
//! proxy. The statement fails with `[SPARK_JOB_CANCELLED] … killed via Web UI` and the prompt
//! comes back. With no job running (or no UI to reach), Ctrl-C says so, and a second one in a
//! row (nothing typed between) goes to the shell, which then ends as Spark's does.

use std::time::Duration;

use k8s_openapi::api::core::v1::Pod;
use kube::api::Api;

/// How long the UI has to answer.
const UI_TIMEOUT: Duration = Duration::from_secs(10);

/// What a Ctrl-C does.
#[derive(Debug, PartialEq, Eq)]
pub enum CtrlC {
    /// Cancel the running jobs through the UI.
    CancelJobs,
    /// Send it to the shell (the second Ctrl-C in a row after one that found nothing).
    Forward,
}

/// Whether the next Ctrl-C goes to the shell (pure): armed by a Ctrl-C that found nothing to
/// cancel, disarmed by anything else typed.
#[derive(Debug, Default)]
pub struct Confirm {
    armed: bool,
}

impl Confirm {
    /// What a Ctrl-C does now.
    pub fn ctrl_c(&mut self) -> CtrlC {
        if std::mem::take(&mut self.armed) {
            CtrlC::Forward
        } else {
            CtrlC::CancelJobs
        }
    }

    /// The Ctrl-C found nothing to cancel: the next one, if it comes next, goes to the shell.
    pub fn arm(&mut self) {
        self.armed = true;
    }

    /// Something else was typed.
    pub fn typed(&mut self) {
        self.armed = false;
    }
}

/// A kill form of the jobs page: the job's id and the UI's CSRF token.
#[derive(Debug, PartialEq, Eq)]
pub struct KillForm {
    pub id: String,
    pub csrf_token: String,
}

/// The kill forms of Spark's jobs page (`AllJobsPage`, one per running job):
/// `<form action="/jobs/job/kill/" method="POST" …>` with hidden inputs `id` and `csrfToken`.
pub fn kill_forms(html: &str) -> Vec<KillForm> {
    let mut forms = Vec::new();
    let mut rest = html;
    while let Some(at) = rest.find("<form action=\"/jobs/job/kill/\"") {
        let form = &rest[at..];
        let end = form.find("</form>").unwrap_or(form.len());
        let body = &form[..end];
        if let (Some(id), Some(csrf_token)) = (hidden(body, "id"), hidden(body, "csrfToken")) {
            forms.push(KillForm { id, csrf_token });
        }
        rest = &form[end..];
    }
    forms
}

/// The value of the hidden input `name` in a form's HTML.
fn hidden(form: &str, name: &str) -> Option<String> {
    let at = form.find(&format!("name=\"{name}\" value=\""))?;
    let value = &form[at + name.len() + 15..];
    Some(value[..value.find('"')?].to_string())
}

/// What cancelling found.
#[derive(Debug, PartialEq, Eq)]
pub enum Cancelled {
    /// These jobs were killed.
    Jobs(Vec<String>),
    /// No job was running.
    Nothing,
}

/// Kills the running jobs of the driver in `pod` through its web UI on `port`.
pub async fn cancel_jobs(pods: &Api<Pod>, pod: &str, port: u16) -> Result<Cancelled, String> {
    let client = pods.clone().into_client();
    let base = format!("{}/{pod}:{port}/proxy", pods.resource_url());
    let page = http::Request::get(format!("{base}/jobs/"))
        .body(Vec::new())
        .map_err(|e| e.to_string())?;
    let html = within(client.request_text(page)).await?;
    let forms = kill_forms(&html);
    if forms.is_empty() {
        return Ok(Cancelled::Nothing);
    }
    let mut killed = Vec::new();
    for f in forms {
        let body = format!("id={}&csrfToken={}", f.id, f.csrf_token);
        let kill = http::Request::post(format!("{base}/jobs/job/kill/"))
            .header(
                http::header::CONTENT_TYPE,
                "application/x-www-form-urlencoded",
            )
            .body(body.into_bytes())
            .map_err(|e| e.to_string())?;
        within(client.request_text(kill)).await?;
        killed.push(f.id);
    }
    Ok(Cancelled::Jobs(killed))
}

async fn within(
    request: impl std::future::Future<Output = kube::Result<String>>,
) -> Result<String, String> {
    match tokio::time::timeout(UI_TIMEOUT, request).await {
        Ok(Ok(text)) => Ok(text),
        Ok(Err(e)) => Err(crate::cluster::message_of(&e)),
        Err(_) => Err(format!("no answer within {} s", UI_TIMEOUT.as_secs())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The jobs page of the pinned package's spark-shell with one running job (trimmed around
    /// the form, which is as Spark 4.3.0 drew it).
    const PAGE: &str = r##"<td>
        <span class="description-input">$anonfun$withThreadLocalCaptured$1 at CompletableFuture.java:1768</span> <form action="/jobs/job/kill/" method="POST" class="d-inline float-end">
        <input type="hidden" name="id" value="0"/>
        <input type="hidden" name="csrfToken" value="ce2ba01aa18d6b6f29036a51a43b38e1"/>
        <a href="#" data-kill-message="Are you sure you want to kill job 0 ?" class="kill-link">(kill)</a>
      </form>
        <a href="/jobs/job/?id=0" class="name-link">$anonfun$withThreadLocalCaptured$1 at CompletableFuture.java:1768</a>
      </td>"##;

    #[test]
    fn the_jobs_page_names_the_running_jobs_and_the_token() {
        assert_eq!(
            kill_forms(PAGE),
            vec![KillForm {
                id: "0".into(),
                csrf_token: "ce2ba01aa18d6b6f29036a51a43b38e1".into()
            }]
        );
        let two = format!("{PAGE}{}", PAGE.replace("\"0\"", "\"1\""));
        let ids: Vec<String> = kill_forms(&two).into_iter().map(|f| f.id).collect();
        assert_eq!(ids, ["0", "1"]);
        // No running job: no form (a stage's kill form is not a job's).
        assert!(kill_forms("<table id=\"active-table\"></table>").is_empty());
        assert!(
            kill_forms("<form action=\"/stages/stage/kill/\"><input type=\"hidden\" name=\"id\" value=\"3\"/></form>")
                .is_empty()
        );
    }

    #[test]
    fn a_second_ctrl_c_in_a_row_reaches_the_shell() {
        let mut c = Confirm::default();
        assert_eq!(c.ctrl_c(), CtrlC::CancelJobs);
        // Jobs were cancelled (not armed): the next one cancels again.
        assert_eq!(c.ctrl_c(), CtrlC::CancelJobs);
        c.arm();
        assert_eq!(c.ctrl_c(), CtrlC::Forward);
        assert_eq!(c.ctrl_c(), CtrlC::CancelJobs);
        // Anything typed between the two disarms.
        c.arm();
        c.typed();
        assert_eq!(c.ctrl_c(), CtrlC::CancelJobs);
    }
}
