//! The job's demand as a ResourceQuota counts it, and the quotas that count the job's pods
//! (pure): what the queue admits against and the fleet's choice weighs.

use std::collections::BTreeMap;

use super::Demand;

/// Quota resources (`cpu`, `requests.memory`, `pods`, …) → amount in milli-units.
pub type Amounts = BTreeMap<String, i128>;

/// An amount for people: cpu in cores or millicores, memory in Gi/Mi, counts as numbers.
pub fn format_amount(resource: &str, milli: i128) -> String {
    let memory = resource.contains("memory") || resource.contains("storage");
    if memory {
        let bytes = milli / 1000;
        const GI: i128 = 1 << 30;
        const MI: i128 = 1 << 20;
        if bytes % GI == 0 {
            format!("{}Gi", bytes / GI)
        } else if bytes % MI == 0 {
            format!("{}Mi", bytes / MI)
        } else {
            format!("{bytes}")
        }
    } else if milli % 1000 == 0 {
        format!("{}", milli / 1000)
    } else {
        format!("{milli}m")
    }
}

/// The job's whole demand (submit pod + driver + initial executors) as the quota counts it.
/// `default_cpu_limit_m`: a LimitRange default for containers without a CPU limit.
pub fn job_amounts(d: &Demand, default_cpu_limit_m: Option<u64>) -> Amounts {
    let mut pods: Vec<(super::demand::PodDemand, u64)> = vec![(d.submit, 1)];
    if let Some(driver) = d.driver {
        pods.push((driver, 1));
    }
    pods.push((d.executor, d.executors.initial));
    let count: i128 = pods.iter().map(|(_, n)| i128::from(*n)).sum();
    let cpu: i128 = pods
        .iter()
        .map(|(p, n)| i128::from(p.cpu_request_m) * i128::from(*n))
        .sum();
    let memory: i128 = pods
        .iter()
        .map(|(p, n)| i128::from(p.memory_mib) * i128::from(*n) * (1000 << 20))
        .sum();
    let cpu_limit: i128 = pods
        .iter()
        .map(|(p, n)| {
            i128::from(p.cpu_limit_m.or(default_cpu_limit_m).unwrap_or(0)) * i128::from(*n)
        })
        .sum();
    let mut a = Amounts::new();
    for (k, v) in [
        ("pods", count * 1000),
        ("count/pods", count * 1000),
        ("cpu", cpu),
        ("requests.cpu", cpu),
        ("memory", memory),
        ("requests.memory", memory),
        ("limits.memory", memory),
        ("limits.cpu", cpu_limit),
    ] {
        a.insert(k.to_string(), v);
    }
    a
}

/// One ResourceQuota as the launcher reads it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Quota {
    pub name: String,
    pub hard: Amounts,
    pub used: Amounts,
    /// `spec.scopes` (as `Exists` terms) and `spec.scopeSelector`, ANDed: the pods it counts.
    pub scopes: Vec<ScopeTerm>,
}

/// One term of a quota's scopes: `scopes: [NotBestEffort]` is `NotBestEffort Exists`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScopeTerm {
    pub scope: String,
    /// `In`, `NotIn`, `Exists`, `DoesNotExist`.
    pub operator: String,
    pub values: Vec<String>,
}

/// What quota scopes look at in a pod.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PodFacts {
    /// No container has requests or limits.
    pub best_effort: bool,
    /// `activeDeadlineSeconds` is set.
    pub terminating: bool,
    pub priority_class: Option<String>,
    /// Has a pod (anti-)affinity term that names namespaces or a namespace selector.
    pub cross_namespace_affinity: bool,
}

/// Whether a quota with these scope terms counts `pod`, as kube-apiserver's pod evaluator
/// decides it (every term must match; a scope it does not know counts nothing).
pub fn scope_matches(terms: &[ScopeTerm], pod: &PodFacts) -> bool {
    terms.iter().all(|t| match t.scope.as_str() {
        "Terminating" => pod.terminating,
        "NotTerminating" => !pod.terminating,
        "BestEffort" => pod.best_effort,
        "NotBestEffort" => !pod.best_effort,
        "CrossNamespacePodAffinity" => pod.cross_namespace_affinity,
        "PriorityClass" => {
            // The apiserver matches the selector against the class name, "" when unset.
            let class = pod.priority_class.as_deref().unwrap_or("");
            match t.operator.as_str() {
                "Exists" => !class.is_empty(),
                "DoesNotExist" => class.is_empty(),
                "In" => t.values.iter().any(|v| v == class),
                "NotIn" => !t.values.iter().any(|v| v == class),
                _ => false,
            }
        }
        _ => false,
    })
}

/// The quotas that count at least one of the job's pods: the others neither limit nor wait it.
pub fn applicable(quotas: Vec<Quota>, pods: &[PodFacts]) -> Vec<Quota> {
    quotas
        .into_iter()
        .filter(|q| pods.iter().any(|p| scope_matches(&q.scopes, p)))
        .collect()
}

/// Resources where the demand exceeds the quota's hard limit: the job can never start.
pub fn never_fits(demand: &Amounts, quotas: &[Quota]) -> Option<String> {
    let mut over = Vec::new();
    for q in quotas {
        for (r, hard) in &q.hard {
            if let Some(d) = demand.get(r)
                && d > hard
            {
                over.push(format!(
                    "{r}: the job needs {}, quota {} allows {} in all",
                    format_amount(r, *d),
                    q.name,
                    format_amount(r, *hard)
                ));
            }
        }
    }
    (!over.is_empty()).then(|| over.join("; "))
}

#[cfg(test)]
mod tests;

/// Amounts and quotas for tests, written as people write quantities.
#[cfg(test)]
pub(crate) mod fixtures {
    use super::{Amounts, Quota};

    /// `[("requests.cpu", "2")]` → milli-units.
    pub fn amounts(pairs: &[(&str, &str)]) -> Amounts {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), crate::quantity::milli(v).unwrap()))
            .collect()
    }

    /// A quota without scopes.
    pub fn quota(name: &str, hard: &[(&str, &str)], used: &[(&str, &str)]) -> Quota {
        Quota {
            name: name.into(),
            hard: amounts(hard),
            used: amounts(used),
            scopes: Vec::new(),
        }
    }
}
