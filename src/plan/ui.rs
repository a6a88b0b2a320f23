//! The driver UI's Ingress (`uiIngressHost`) and the Service behind it; pure.
//!
//! Spark's own driver Service (`DriverServiceFeatureStep`) publishes the UI port as `spark-ui`,
//! but only in cluster mode, under a name the launcher does not choose (`<prefix>-driver-svc`,
//! or `spark-<random>-driver-svc` when that is too long). So the launcher makes its own small
//! Service for the UI in both deploy modes: selecting the job's driver (the job id and
//! `spark-role=driver`: in client mode the submit pod carries both), publishing the UI port as
//! `spark-ui`. Both objects are named after the driver pod ([`object_name`]) and owned by it
//! ([`super::controlled_by`]), so they go when the driver pod goes.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{Pod, Service};
use k8s_openapi::api::networking::v1::{
    HTTPIngressPath, HTTPIngressRuleValue, Ingress, IngressBackend, IngressRule,
    IngressServiceBackend, IngressSpec, IngressTLS, ServiceBackendPort,
};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

use super::{COMPONENT_LABEL, JOB_ID_LABEL};
use crate::resolve::ui::UiIngress;

/// The value of `app.kubernetes.io/component` on the UI's Service and Ingress.
pub const COMPONENT: &str = "driver-ui";
/// The Service's port name, as Spark names the UI port of its driver Service (`UI_PORT_NAME`).
pub const PORT_NAME: &str = "spark-ui";

/// The name of the UI's Service and Ingress for driver pod `driver`: `<driver>-ui`, starting
/// with a letter (a Service name is a DNS-1035 label: an `x` before a job id that starts with a
/// digit), at most 63 characters.
pub fn object_name(driver: &str) -> String {
    let base = super::session::service_name(driver);
    let mut name: String = base.chars().take(63 - 3).collect();
    while name.ends_with('-') {
        name.pop();
    }
    format!("{name}-ui")
}

/// The UI's Service and Ingress for `driver` (running, so it has a uid; `None` otherwise).
#[derive(Clone, Debug, PartialEq)]
pub struct UiObjects {
    pub service: Service,
    pub ingress: Ingress,
}

/// The Service and the Ingress that publish the UI of `driver` (job `job_id`), listening on
/// `port`, at `host` (as [`UiIngress::host_for`] made it); both owned by the driver pod.
pub fn objects(
    driver: &Pod,
    job_id: &str,
    host: &str,
    port: u16,
    ui: &UiIngress,
) -> Option<UiObjects> {
    let owner = super::controlled_by(driver)?;
    let name = object_name(driver.metadata.name.as_deref()?);
    let labels = BTreeMap::from([
        ("app.kubernetes.io/name".to_string(), "spark-k8s-cli".into()),
        (COMPONENT_LABEL.to_string(), COMPONENT.into()),
        (JOB_ID_LABEL.to_string(), job_id.to_string()),
    ]);
    let selector = BTreeMap::from([
        (JOB_ID_LABEL.to_string(), job_id.to_string()),
        ("spark-role".to_string(), "driver".to_string()),
    ]);
    let namespace = driver.metadata.namespace.clone();
    let mut service = super::service(
        &name,
        namespace.clone(),
        &labels,
        selector,
        &[(PORT_NAME, port)],
        false,
    );
    service.metadata.owner_references = Some(vec![owner.clone()]);
    let backend = IngressBackend {
        service: Some(IngressServiceBackend {
            name: name.clone(),
            port: Some(ServiceBackendPort {
                number: Some(i32::from(port)),
                name: None,
            }),
        }),
        resource: None,
    };
    let ingress = Ingress {
        metadata: ObjectMeta {
            name: Some(name),
            namespace,
            labels: Some(labels),
            annotations: Some(ui.annotations.clone()).filter(|a| !a.is_empty()),
            owner_references: Some(vec![owner]),
            ..Default::default()
        },
        spec: Some(IngressSpec {
            ingress_class_name: ui.class_name.clone(),
            rules: Some(vec![IngressRule {
                host: Some(host.to_string()),
                http: Some(HTTPIngressRuleValue {
                    paths: vec![HTTPIngressPath {
                        path: Some("/".into()),
                        path_type: "Prefix".into(),
                        backend,
                    }],
                }),
            }]),
            tls: ui.tls_secret.as_ref().map(|secret| {
                vec![IngressTLS {
                    hosts: Some(vec![host.to_string()]),
                    secret_name: Some(secret.clone()),
                }]
            }),
            default_backend: None,
        }),
        status: None,
    };
    Some(UiObjects { service, ingress })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn driver(name: &str) -> Pod {
        Pod {
            metadata: ObjectMeta {
                name: Some(name.into()),
                namespace: Some("jobs".into()),
                uid: Some("u-1".into()),
                ..Default::default()
            },
            ..Default::default()
        }
    }

    fn ui(tls: Option<&str>) -> UiIngress {
        UiIngress {
            host: "{job}.example.com".into(),
            class_name: Some("nginx".into()),
            annotations: BTreeMap::from([("a.io/b".to_string(), "c".to_string())]),
            tls_secret: tls.map(String::from),
        }
    }

    #[test]
    fn names_are_service_names_within_63() {
        assert_eq!(object_name("etl-1-driver"), "etl-1-driver-ui");
        assert_eq!(object_name("1etl-driver"), "x1etl-driver-ui");
        let long = format!("{}-driver", "a".repeat(60));
        let name = object_name(&long);
        assert_eq!(name.len(), 63, "{name}");
        assert!(crate::naming::is_dns_label(&name), "{name}");
    }

    #[test]
    fn the_ingress_routes_the_host_to_the_drivers_ui() {
        let o = objects(
            &driver("etl-1-driver"),
            "etl-1",
            "etl-1.example.com",
            4040,
            &ui(None),
        )
        .unwrap();
        let ing = serde_json::to_value(&o.ingress).unwrap();
        assert_eq!(ing["metadata"]["name"], "etl-1-driver-ui");
        assert_eq!(ing["metadata"]["namespace"], "jobs");
        assert_eq!(ing["metadata"]["labels"][JOB_ID_LABEL], "etl-1");
        assert_eq!(ing["metadata"]["annotations"]["a.io/b"], "c");
        let owner = &ing["metadata"]["ownerReferences"][0];
        assert_eq!(
            (
                &owner["kind"],
                &owner["name"],
                &owner["uid"],
                &owner["controller"]
            ),
            (
                &"Pod".into(),
                &"etl-1-driver".into(),
                &"u-1".into(),
                &true.into()
            )
        );
        assert_eq!(ing["spec"]["ingressClassName"], "nginx");
        let rule = &ing["spec"]["rules"][0];
        assert_eq!(rule["host"], "etl-1.example.com");
        let path = &rule["http"]["paths"][0];
        assert_eq!(
            (&path["path"], &path["pathType"]),
            (&"/".into(), &"Prefix".into())
        );
        assert_eq!(
            path["backend"],
            serde_json::json!({"service": {"name": "etl-1-driver-ui", "port": {"number": 4040}}})
        );
        assert!(ing["spec"].get("tls").is_none());

        let svc = serde_json::to_value(&o.service).unwrap();
        assert_eq!(svc["metadata"]["name"], "etl-1-driver-ui");
        assert_eq!(
            svc["metadata"]["ownerReferences"],
            ing["metadata"]["ownerReferences"]
        );
        assert_eq!(
            svc["spec"]["selector"],
            serde_json::json!({JOB_ID_LABEL: "etl-1", "spark-role": "driver"})
        );
        assert_eq!(
            svc["spec"]["ports"],
            serde_json::json!([{"name": "spark-ui", "port": 4040, "targetPort": 4040, "protocol": "TCP"}])
        );
        assert!(svc["spec"].get("clusterIP").is_none());
    }

    #[test]
    fn tls_names_the_host_and_its_secret() {
        let o = objects(
            &driver("d"),
            "j",
            "j.example.com",
            4040,
            &ui(Some("ui-tls")),
        )
        .unwrap();
        let ing = serde_json::to_value(&o.ingress).unwrap();
        assert_eq!(
            ing["spec"]["tls"],
            serde_json::json!([{"hosts": ["j.example.com"], "secretName": "ui-tls"}])
        );
    }

    #[test]
    fn a_pod_not_created_yet_owns_nothing() {
        let mut d = driver("d");
        d.metadata.uid = None;
        assert_eq!(objects(&d, "j", "j.example.com", 4040, &ui(None)), None);
    }
}
