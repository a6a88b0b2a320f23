//! The Spark web UI of the drivers the shells run (`spark.ui.port`, 4040 by default), reached
//! through the API server's pod proxy (`pods/{name}:{port}/proxy/…`), as far as a client uses
//! it to cancel a running job: the jobs page with its kill forms, and the kill endpoint behind
//! Spark 4's CSRF check. Measured with the pinned package's `spark-shell` (Spark 4.3.0): the
//! jobs page holds, per running job, a form `action="/jobs/job/kill/" method="POST"` with hidden
//! inputs `id` and `csrfToken` (32 hex digits); a POST without the token is 403 with Jetty's
//! error page "Missing or invalid CSRF token on a state-changing endpoint."; a GET of the kill
//! endpoint is 405; a POST with it is a 302 to `/jobs/` (as is any other path; `/jobs` is a 301), and the job fails with
//! `[SPARK_JOB_CANCELLED] Job N cancelled killed via Web UI SQLSTATE: XXKDA`
//! (`JobsTab.handleKillRequest`, which cancels only a RUNNING job, `core/src/main/scala/org/
//! apache/spark/ui/jobs/JobsTab.scala`).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tokio::sync::{Notify, watch};

/// Where a UI listens: namespace, pod, port.
pub type Key = (String, String, u16);

/// The UIs of the running drivers of a cluster.
#[derive(Default)]
pub struct SparkUis {
    uis: Mutex<HashMap<Key, Arc<Ui>>>,
    /// Bumped whenever a job starts or ends in any of them.
    changes: Arc<watch::Sender<u64>>,
}

impl SparkUis {
    /// A driver's UI starts listening; it stops when the returned guard drops.
    pub fn open(self: &Arc<Self>, key: Key, csrf: String) -> UiGuard {
        let ui = Arc::new(Ui {
            csrf,
            jobs: Mutex::new(Jobs::default()),
            changes: self.changes.clone(),
        });
        self.uis.lock().unwrap().insert(key.clone(), ui.clone());
        UiGuard {
            uis: self.clone(),
            key,
            ui,
        }
    }

    /// The UI listening at `key`, if any.
    pub fn get(&self, key: &Key) -> Option<Arc<Ui>> {
        self.uis.lock().unwrap().get(key).cloned()
    }

    /// Resolves once a job runs in one of the cluster's driver UIs, as its jobs page would
    /// list it: what a test waits for before it cancels the job (the statement's echo on the
    /// terminal comes before the driver reads it, so the screen cannot tell).
    pub async fn job_running(&self) {
        let mut changes = self.changes.subscribe();
        loop {
            changes.borrow_and_update();
            let running = self
                .uis
                .lock()
                .unwrap()
                .values()
                .any(|ui| ui.jobs.lock().unwrap().running.is_some());
            if running || changes.changed().await.is_err() {
                return;
            }
        }
    }
}

/// A listening UI; dropping it closes the port.
pub struct UiGuard {
    uis: Arc<SparkUis>,
    key: Key,
    pub ui: Arc<Ui>,
}

impl Drop for UiGuard {
    fn drop(&mut self) {
        self.uis.uis.lock().unwrap().remove(&self.key);
    }
}

/// One driver's UI.
pub struct Ui {
    csrf: String,
    jobs: Mutex<Jobs>,
    changes: Arc<watch::Sender<u64>>,
}

#[derive(Default)]
struct Jobs {
    /// The next job's id: a SparkContext numbers its jobs from 0.
    next: u64,
    /// The running job and what tells it it was killed.
    running: Option<(u64, Arc<Notify>)>,
}

/// A job while it runs; it ends when dropped.
pub struct RunningJob {
    ui: Arc<Ui>,
    pub id: u64,
    killed: Arc<Notify>,
}

impl RunningJob {
    /// Resolves when the job is killed through the UI.
    pub async fn killed(&self) {
        self.killed.notified().await
    }
}

impl Drop for RunningJob {
    fn drop(&mut self) {
        let mut jobs = self.ui.jobs.lock().unwrap();
        if jobs.running.as_ref().is_some_and(|(id, _)| *id == self.id) {
            jobs.running = None;
            self.ui.changes.send_modify(|n| *n += 1);
        }
    }
}

impl Ui {
    /// A job starts (the next id).
    pub fn start_job(self: &Arc<Self>) -> RunningJob {
        let mut jobs = self.jobs.lock().unwrap();
        let id = jobs.next;
        jobs.next += 1;
        let killed = Arc::new(Notify::new());
        jobs.running = Some((id, killed.clone()));
        self.changes.send_modify(|n| *n += 1);
        RunningJob {
            ui: self.clone(),
            id,
            killed,
        }
    }

    /// Answers an HTTP request at `path` (after the proxy's prefix): status, content type,
    /// `Location`, body.
    pub fn serve(&self, method: &str, path: &str, params: &HashMap<String, String>) -> Page {
        let redirect = |code: u16| Page {
            code,
            content_type: "",
            location: Some("/jobs/".into()),
            body: String::new(),
        };
        match (method, path) {
            ("GET", "/jobs/") => Page::html(200, self.jobs_page()),
            ("GET", "/jobs") => redirect(301),
            ("POST", "/jobs/job/kill/") => {
                if params.get("csrfToken") != Some(&self.csrf) {
                    return Page::html(403, jetty_error(403, CSRF_MESSAGE, path));
                }
                let id = params.get("id").and_then(|i| i.parse::<u64>().ok());
                let jobs = self.jobs.lock().unwrap();
                if let (Some(id), Some((running, killed))) = (id, jobs.running.as_ref())
                    && id == *running
                {
                    killed.notify_one();
                }
                redirect(302)
            }
            (_, "/jobs/job/kill/") => Page::html(405, jetty_error(405, "Method Not Allowed", path)),
            // Any other page of the UI; the root and unknown paths redirect to the jobs page.
            _ => redirect(302),
        }
    }

    /// The jobs page: a kill form per running job, as Spark's `AllJobsPage` draws it.
    fn jobs_page(&self) -> String {
        let jobs = self.jobs.lock().unwrap();
        let mut rows = String::new();
        if let Some((id, _)) = &jobs.running {
            rows.push_str(&format!(
                "<tr id=\"job-{id}\"><td>{id}</td><td>\n        <span class=\"description-input\">count at &lt;console&gt;:23</span> <form action=\"/jobs/job/kill/\" method=\"POST\" class=\"d-inline float-end\">\n        <input type=\"hidden\" name=\"id\" value=\"{id}\"/>\n        <input type=\"hidden\" name=\"csrfToken\" value=\"{}\"/>\n        <a href=\"#\" data-kill-message=\"Are you sure you want to kill job {id} ?\" class=\"kill-link\">(kill)</a>\n      </form>\n        <a href=\"/jobs/job/?id={id}\" class=\"name-link\">count at &lt;console&gt;:23</a>\n      </td></tr>\n",
                self.csrf
            ));
        }
        format!(
            "<!DOCTYPE html><html data-bs-theme=\"light\"><head><title>Spark shell - Spark Jobs</title></head><body>\n<table id=\"active-table\">\n{rows}</table>\n</body></html>\n"
        )
    }
}

const CSRF_MESSAGE: &str = "Missing or invalid CSRF token on a state-changing endpoint.";

/// Jetty's error page, as the UI answers a refused request.
fn jetty_error(code: u16, message: &str, uri: &str) -> String {
    format!(
        "<html>\n<head>\n<meta http-equiv=\"Content-Type\" content=\"text/html;charset=ISO-8859-1\"/>\n<title>Error {code} {message}</title>\n</head>\n<body>\n<h2>HTTP ERROR {code} {message}</h2>\n<table>\n<tr><th>URI:</th><td>{uri}</td></tr>\n<tr><th>STATUS:</th><td>{code}</td></tr>\n<tr><th>MESSAGE:</th><td>{message}</td></tr>\n</table>\n\n</body>\n</html>\n"
    )
}

/// An answer of the UI.
pub struct Page {
    pub code: u16,
    pub content_type: &'static str,
    pub location: Option<String>,
    pub body: String,
}

impl Page {
    fn html(code: u16, body: String) -> Page {
        Page {
            code,
            content_type: "text/html;charset=utf-8",
            location: None,
            body,
        }
    }
}

/// The parameters of a request: its query and, for a form POST, its body
/// (`application/x-www-form-urlencoded`), as a servlet's `getParameter` sees both (the query's
/// first).
pub fn params(
    query: &std::collections::BTreeMap<String, String>,
    form: &[u8],
) -> HashMap<String, String> {
    let mut p: HashMap<String, String> = query.clone().into_iter().collect();
    for (k, v) in crate::api::parse_query(&String::from_utf8_lossy(form)) {
        p.entry(k).or_insert(v);
    }
    p
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(body: &str) -> HashMap<String, String> {
        params(&Default::default(), body.as_bytes())
    }

    #[tokio::test]
    async fn the_kill_link_cancels_the_running_job_behind_the_csrf_check() {
        let uis = Arc::new(SparkUis::default());
        let key = ("ns".to_string(), "p".to_string(), 4040);
        let guard = uis.open(key.clone(), "ab".repeat(16));
        let ui = uis.get(&key).expect("listening");
        // No running job: no kill form.
        let page = ui.serve("GET", "/jobs/", &form(""));
        assert_eq!(page.code, 200);
        assert!(!page.body.contains("/jobs/job/kill/"));
        let job = ui.start_job();
        assert_eq!(job.id, 0);
        let page = ui.serve("GET", "/jobs/", &form(""));
        assert!(
            page.body
                .contains("<input type=\"hidden\" name=\"id\" value=\"0\"/>")
        );
        assert!(
            page.body
                .contains(&format!("name=\"csrfToken\" value=\"{}\"", "ab".repeat(16)))
        );
        // Without the token: 403, and the job runs on; a GET of the endpoint: 405.
        let refused = ui.serve("POST", "/jobs/job/kill/", &form("id=0"));
        assert_eq!(refused.code, 403);
        assert!(
            refused
                .body
                .contains("Missing or invalid CSRF token on a state-changing endpoint.")
        );
        assert_eq!(ui.serve("GET", "/jobs/job/kill/", &form("")).code, 405);
        // Another job's id does nothing; the running one's is killed; both redirect.
        let token = format!("csrfToken={}", "ab".repeat(16));
        let other = ui.serve("POST", "/jobs/job/kill/", &form(&format!("id=7&{token}")));
        assert_eq!(
            (other.code, other.location.as_deref()),
            (302, Some("/jobs/"))
        );
        let killed = ui.serve("POST", "/jobs/job/kill/", &form(&format!("id=0&{token}")));
        assert_eq!(killed.code, 302);
        tokio::time::timeout(std::time::Duration::from_secs(5), job.killed())
            .await
            .expect("the kill reached the job");
        drop(job);
        // The next job has the next id; closing the UI frees the port.
        assert_eq!(ui.start_job().id, 1);
        drop(guard);
        assert!(uis.get(&key).is_none());
    }
}
