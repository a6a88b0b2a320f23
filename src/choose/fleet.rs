//! Which members of the fleet a job may use (pure); the fleet itself, as the launcher config
//! describes it, is [`crate::resolve::fleet`].

use std::collections::BTreeMap;

use crate::resolve::fleet::{Fleet, Member};

/// How a job narrows the fleet: `spark.k8scli.cluster` (pin), `spark.k8scli.clusters` (a
/// list), `spark.k8scli.clusterSelector` (labels, `k=v,k!=v,k`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Pins {
    pub cluster: Option<String>,
    pub clusters: Vec<String>,
    pub selector: Option<String>,
}

/// Whether `labels` match a selector of `k=v`, `k==v`, `k!=v`, `k` and `!k` terms (ANDed).
pub fn selector_matches(selector: &str, labels: &BTreeMap<String, String>) -> Result<bool, String> {
    let mut all = true;
    for term in selector.split(',').map(str::trim).filter(|t| !t.is_empty()) {
        let ok = if let Some((k, v)) = term.split_once("!=") {
            labels.get(k.trim()).map(String::as_str) != Some(v.trim())
        } else if let Some((k, v)) = term.split_once("==").or_else(|| term.split_once('=')) {
            labels.get(k.trim()).map(String::as_str) == Some(v.trim())
        } else if let Some(k) = term.strip_prefix('!') {
            !labels.contains_key(k.trim())
        } else if term
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./".contains(c))
        {
            labels.contains_key(term)
        } else {
            return Err(format!(
                "cannot read '{term}' in the cluster selector '{selector}'"
            ));
        };
        all &= ok;
    }
    Ok(all)
}

/// Why `m` may not take this job, if it may not.
pub fn ineligible(m: &Member, pins: &Pins) -> Option<String> {
    if !m.enabled {
        return Some("disabled".into());
    }
    if let Some(pin) = &pins.cluster
        && pin != &m.name
    {
        return Some(format!("the job is pinned to {pin}"));
    }
    if !pins.clusters.is_empty() && !pins.clusters.contains(&m.name) {
        return Some(format!("not in {}", pins.clusters.join(",")));
    }
    if let Some(sel) = &pins.selector
        && !selector_matches(sel, &m.labels).unwrap_or(false)
    {
        return Some(format!("labels do not match {sel}"));
    }
    if m.drained {
        return Some("drained".into());
    }
    None
}

/// Checks the job's pins against the fleet before anything is created: a pin to a cluster the
/// fleet does not have, or a selector nobody matches, is the user's error.
pub fn check_pins(fleet: &Fleet, pins: &Pins) -> Result<(), String> {
    let names = || fleet.names();
    for name in pins.cluster.iter().chain(&pins.clusters) {
        if fleet.get(name).is_none() {
            return Err(format!(
                "cluster '{name}' is not in the fleet (it has: {})",
                names()
            ));
        }
    }
    if let Some(sel) = &pins.selector {
        let mut any = false;
        for m in &fleet.members {
            any |= selector_matches(sel, &m.labels)?;
        }
        if !any {
            return Err(format!(
                "no cluster of the fleet has labels matching '{sel}'"
            ));
        }
    }
    Ok(())
}
