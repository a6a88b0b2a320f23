//! The driver UI's Ingress settings (`uiIngressHost`, `uiIngressClassName`,
//! `uiIngressAnnotations`, `uiIngressTls`) and the host template; pure.
//!
//! The template is checked once here, before anything exists, with the values known now (the
//! job id and namespace when set, each fleet member's name); the host is filled in again with
//! the job's own values when its Ingress is made (`follow`), where a host that still does not
//! come out right is a warning, not a failure.

use std::collections::BTreeMap;

use super::{ResolveError, err_hint};

/// The placeholders a host template may hold.
pub const PLACEHOLDERS: [&str; 3] = ["{job}", "{namespace}", "{cluster}"];

/// An Ingress to the driver's web UI, made once the driver runs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UiIngress {
    /// `uiIngressHost`: the host template.
    pub host: String,
    /// `uiIngressClassName`: the IngressClass (`None`: the cluster's default class).
    pub class_name: Option<String>,
    /// `uiIngressAnnotations`.
    pub annotations: BTreeMap<String, String>,
    /// `uiIngressTls`: the TLS Secret; the URL is https with one.
    pub tls_secret: Option<String>,
}

/// What fills a host template's placeholders.
#[derive(Clone, Copy, Debug)]
pub struct HostValues<'a> {
    pub job: &'a str,
    pub namespace: &'a str,
    /// The fleet member's name; `None` without a fleet.
    pub cluster: Option<&'a str>,
}

impl UiIngress {
    /// The host for `values`: the template filled in, a DNS-1123 subdomain (the Ingress rule's
    /// host as kube-apiserver validates it, without the wildcard it would allow); `Err` says
    /// what is wrong.
    pub fn host_for(&self, values: HostValues) -> Result<String, String> {
        let mut host = String::new();
        let mut rest = self.host.as_str();
        while let Some(open) = rest.find('{') {
            host.push_str(&rest[..open]);
            let Some(close) = rest[open..].find('}') else {
                return Err("a '{' has no '}'".into());
            };
            let name = &rest[open..open + close + 1];
            match name {
                "{job}" => host.push_str(values.job),
                "{namespace}" => host.push_str(values.namespace),
                "{cluster}" => host.push_str(values.cluster.ok_or(
                    "{cluster} is the fleet member's name, and no fleet is configured (spark.k8scli.fleet)",
                )?),
                _ => {
                    return Err(format!(
                        "unknown placeholder {name}; known: {}",
                        PLACEHOLDERS.join(", ")
                    ));
                }
            }
            rest = &rest[open + close + 1..];
        }
        host.push_str(rest);
        if host.contains('*') {
            return Err(format!(
                "'{host}' is a wildcard host; the driver's UI needs a host of its own"
            ));
        }
        if !crate::naming::is_dns_subdomain(&host) {
            return Err(format!(
                "'{host}' is not a DNS-1123 subdomain (lower case letters, digits, '-' and '.', each part starting and ending with a letter or digit, 253 characters at most)"
            ));
        }
        Ok(host)
    }

    /// The URL the UI is at on `host`.
    pub fn url(&self, host: &str) -> String {
        let scheme = if self.tls_secret.is_some() {
            "https"
        } else {
            "http"
        };
        format!("{scheme}://{host}/")
    }

    /// Checks the settings before anything exists: the template filled in with the job id and
    /// namespace when they are set (stand-ins otherwise) and, with a fleet, each member's name;
    /// the class and the TLS Secret's name as kube-apiserver checks them (DNS-1123 subdomains).
    pub fn check(
        &self,
        job: Option<&str>,
        namespace: Option<&str>,
        members: &[&str],
    ) -> Result<(), ResolveError> {
        let clusters: Vec<Option<&str>> = if members.is_empty() {
            vec![None]
        } else {
            members.iter().copied().map(Some).collect()
        };
        for cluster in clusters {
            let values = HostValues {
                job: job.unwrap_or("job"),
                namespace: namespace.unwrap_or("default"),
                cluster,
            };
            if let Err(e) = self.host_for(values) {
                return Err(err_hint(
                    format!(
                        "Invalid value '{}' for launcher setting uiIngressHost: {e}.",
                        self.host
                    ),
                    "Give a host such as {job}.spark.example.com (placeholders {job}, {namespace}, {cluster}), or leave spark.k8scli.uiIngressHost unset for no Ingress.",
                ));
            }
        }
        for (name, value) in [
            ("uiIngressClassName", &self.class_name),
            ("uiIngressTls", &self.tls_secret),
        ] {
            if let Some(v) = value
                && !crate::naming::is_dns_subdomain(v)
            {
                return Err(err_hint(
                    format!(
                        "Invalid value '{v}' for launcher setting {name}: it must be a DNS-1123 subdomain, the name of an object of the cluster."
                    ),
                    format!(
                        "Give the name of the {} as the cluster has it.",
                        if name == "uiIngressTls" {
                            "TLS Secret"
                        } else {
                            "IngressClass"
                        }
                    ),
                ));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ui(host: &str) -> UiIngress {
        UiIngress {
            host: host.into(),
            class_name: None,
            annotations: BTreeMap::new(),
            tls_secret: None,
        }
    }

    const VALUES: HostValues = HostValues {
        job: "etl-1",
        namespace: "jobs",
        cluster: Some("east"),
    };

    #[test]
    fn placeholders_are_filled_in() {
        assert_eq!(
            ui("{job}.{namespace}.{cluster}.example.com").host_for(VALUES),
            Ok("etl-1.jobs.east.example.com".into())
        );
        assert_eq!(
            ui("spark-{job}.example.com").host_for(VALUES),
            Ok("spark-etl-1.example.com".into())
        );
    }

    #[test]
    fn a_host_that_is_no_subdomain_is_refused() {
        for (template, says) in [
            ("*.example.com", "wildcard"),
            ("{job}.Example.com", "not a DNS-1123 subdomain"),
            ("{job}..example.com", "not a DNS-1123 subdomain"),
            ("{job}_ui.example.com", "not a DNS-1123 subdomain"),
            ("{jobs}.example.com", "unknown placeholder {jobs}"),
            ("{job.example.com", "has no '}'"),
        ] {
            let e = ui(template).host_for(VALUES).unwrap_err();
            assert!(e.contains(says), "{template}: {e}");
        }
        let long = format!("{}{{job}}.com", "a.".repeat(124));
        assert!(ui(&long).host_for(VALUES).is_err());
    }

    #[test]
    fn cluster_needs_a_fleet() {
        let t = ui("{job}.{cluster}.example.com");
        let e = t
            .host_for(HostValues {
                cluster: None,
                ..VALUES
            })
            .unwrap_err();
        assert!(e.contains("no fleet"), "{e}");
        assert!(t.check(None, None, &[]).is_err());
        assert!(t.check(None, None, &["east", "west"]).is_ok());
        // Each member's name is tried.
        let e = t.check(None, None, &["east", "West"]).unwrap_err();
        assert!(e.to_string().contains("'job.West.example.com'"), "{e}");
    }

    #[test]
    fn the_url_is_https_with_a_tls_secret() {
        let mut t = ui("{job}.example.com");
        assert_eq!(t.url("a.example.com"), "http://a.example.com/");
        t.tls_secret = Some("ui-tls".into());
        assert_eq!(t.url("a.example.com"), "https://a.example.com/");
    }

    #[test]
    fn class_and_secret_are_object_names() {
        let mut t = ui("{job}.example.com");
        t.class_name = Some("Nginx".into());
        assert!(t.check(None, None, &[]).is_err());
        t.class_name = Some("nginx".into());
        t.tls_secret = Some("ui_tls".into());
        assert!(t.check(None, None, &[]).is_err());
        t.tls_secret = Some("ui-tls".into());
        assert!(t.check(Some("etl-1"), Some("jobs"), &[]).is_ok());
    }
}
