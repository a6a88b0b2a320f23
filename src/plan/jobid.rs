//! Job ids and the object names derived from them (submit pod, pinned driver pod).

use crate::naming::MAX_JOB_ID;

/// Spark 4's resource-name sanitising (`KubernetesConf.getResourceNamePrefix`): lower-case,
/// everything outside `[a-z0-9-]` becomes `-`, runs of `-` collapse, no leading `-`, a leading
/// digit becomes `x`.
pub fn sanitise(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.trim().to_lowercase().chars() {
        let c = if c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' {
            c
        } else {
            '-'
        };
        if c == '-' && out.ends_with('-') {
            continue;
        }
        out.push(c);
    }
    let mut out = out.trim_start_matches('-').to_string();
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.replace_range(0..1, "x");
    }
    out
}

/// Spark's `spark-app-name` label value: sanitised, at most 63 characters, no edge dashes.
pub fn app_name_label(name: &str) -> String {
    let s = sanitise(name);
    let cut: String = s.chars().take(63).collect();
    cut.trim_matches('-').to_string()
}

/// A new job id in Spark's `<app>-<uniqueID>` shape: the sanitised app name, then 6 hex digits of
/// randomness and 10 of the clock (the low 40 bits of epoch milliseconds).
pub fn generate(app_name: &str, random: u64, epoch_millis: u64) -> String {
    let unique = format!(
        "{:06x}{:010x}",
        random & 0xff_ffff,
        epoch_millis & 0xff_ffff_ffff
    );
    let room = MAX_JOB_ID - 1 - unique.len();
    let mut prefix: String = sanitise(app_name).chars().take(room).collect();
    while prefix.ends_with('-') {
        prefix.pop();
    }
    if prefix.is_empty() {
        prefix = "spark".into();
    }
    format!("{prefix}-{unique}")
}

/// The submit pod's name.
pub fn submit_pod_name(job_id: &str) -> String {
    format!("{job_id}-submit")
}

/// The driver pod's pinned name, in Spark's `<app>-<id>-driver` shape that Airflow's
/// `pod name: ((.+?)-([a-z0-9]+)-driver$)` expects (an id without a dash gets `-job`).
pub fn driver_pod_name(job_id: &str) -> String {
    if job_id.contains('-') {
        format!("{job_id}-driver")
    } else {
        format!("{job_id}-job-driver")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sanitising_matches_spark() {
        for (name, want) in [
            ("Spark Pi", "spark-pi"),
            ("  My__App!! ", "my-app-"),
            ("--x", "x"),
            ("1st job", "xst-job"),
        ] {
            assert_eq!(sanitise(name), want, "{name:?}");
        }
        assert_eq!(app_name_label("My App!"), "my-app");
    }

    #[test]
    fn generated_ids_are_labels_of_bounded_length() {
        let id = generate("Spark Pi", 0xabcdef12, 0x1234567890ab);
        assert_eq!(
            id,
            "spark-pi-cdef12567890ab".replace("567890ab", "34567890ab")
        );
        assert!(crate::naming::is_dns_label(&id));
        let long = generate(&"x".repeat(200), 1, 2);
        assert!(
            long.len() <= MAX_JOB_ID && crate::naming::is_dns_label(&long),
            "{long}"
        );
        assert!(generate("!!!", 1, 2).starts_with("spark-"));
        assert!(generate("a-----------------------------------b", 1, 2).len() <= MAX_JOB_ID);
    }

    #[test]
    fn names() {
        assert_eq!(submit_pod_name("etl-1"), "etl-1-submit");
        assert_eq!(driver_pod_name("etl-1"), "etl-1-driver");
        assert_eq!(driver_pod_name("nightly"), "nightly-job-driver");
        let re = regex::Regex::new(r"^((.+?)-([a-z0-9]+)-driver)$").unwrap();
        assert!(re.is_match(&driver_pod_name("nightly")));
        assert!(re.is_match(&driver_pod_name(&generate("Spark Pi", 7, 9))));
    }
}
