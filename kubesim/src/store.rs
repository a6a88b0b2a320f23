//! One cluster's objects: resourceVersion, uids, timestamps, optimistic concurrency, the change
//! history that watches resume from, watch fan-out with selector transitions, and the quota
//! admission that pod writes go through. A std lock, never held across an `.await`.

use std::collections::{BTreeMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::{Value, json};
use tokio::sync::mpsc;

use crate::quota;
use crate::resources::Resource;
use crate::selector::{FieldSelector, LabelSelector};
use crate::status::{self, ApiError};

/// (resource key, namespace or "", name)
pub type ObjKey = (String, String, String);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChangeKind {
    Added,
    Modified,
    Deleted,
}

#[derive(Clone, Debug)]
struct Change {
    rv: u64,
    kind: ChangeKind,
    key: ObjKey,
    old: Option<Arc<Value>>,
    new: Arc<Value>,
}

/// One watch event, shared by every watcher that receives it; serialised at most once.
#[derive(Debug)]
pub struct WatchEvent {
    /// `ADDED`, `MODIFIED`, `DELETED`, `BOOKMARK` or `ERROR`, as a JSON string.
    pub kind: Value,
    pub object: Arc<Value>,
    line: std::sync::OnceLock<bytes::Bytes>,
}

impl WatchEvent {
    pub fn new(kind: &str, object: Arc<Value>) -> Arc<WatchEvent> {
        Arc::new(WatchEvent {
            kind: Value::String(kind.to_string()),
            object,
            line: std::sync::OnceLock::new(),
        })
    }

    /// `{"type":…,"object":…}` and a newline: the wire form.
    pub fn line(&self) -> &bytes::Bytes {
        self.line.get_or_init(|| {
            let mut b = Vec::with_capacity(1024);
            b.extend_from_slice(b"{\"type\":");
            b.extend_from_slice(&serde_json::to_vec(&self.kind).unwrap_or_default());
            b.extend_from_slice(b",\"object\":");
            serde_json::to_writer(&mut b, &*self.object).unwrap_or_default();
            b.extend_from_slice(b"}\n");
            bytes::Bytes::from(b)
        })
    }
}

static NULL: Value = Value::Null;

/// `ev["type"]` and `ev["object"]`, as on the event's JSON.
impl std::ops::Index<&str> for WatchEvent {
    type Output = Value;
    fn index(&self, key: &str) -> &Value {
        match key {
            "type" => &self.kind,
            "object" => self.object.as_ref(),
            _ => &NULL,
        }
    }
}

/// A new watch: the events to send first, then the live ones.
pub type Opened = (
    Vec<Arc<WatchEvent>>,
    mpsc::UnboundedReceiver<Arc<WatchEvent>>,
);

/// What a watch selects.
#[derive(Clone, Debug)]
pub struct WatchFilter {
    pub res_key: String,
    pub namespace: Option<String>,
    pub label: LabelSelector,
    pub field: FieldSelector,
}

impl WatchFilter {
    fn selects(&self, key: &ObjKey, obj: &Value) -> bool {
        key.0 == self.res_key
            && self.namespace.as_ref().is_none_or(|ns| *ns == key.1)
            && self.label.matches(obj)
            && self.field.matches(obj)
    }

    /// The event type a watcher sees for a change, if any (selector transitions become
    /// ADDED/DELETED).
    fn event_for(&self, c: &Change) -> Option<&'static str> {
        let now = self.selects(&c.key, &c.new);
        let before = c.old.as_ref().is_some_and(|o| self.selects(&c.key, o));
        let kind = match (c.kind, before, now) {
            (ChangeKind::Added, _, true) => "ADDED",
            (ChangeKind::Modified, true, true) => "MODIFIED",
            (ChangeKind::Modified, false, true) => "ADDED",
            (ChangeKind::Modified, true, false) => "DELETED",
            (ChangeKind::Deleted, _, true) => "DELETED",
            (ChangeKind::Deleted, true, false) => "DELETED",
            _ => return None,
        };
        Some(kind)
    }
}

struct Watcher {
    filter: WatchFilter,
    tx: mpsc::UnboundedSender<Arc<WatchEvent>>,
}

struct State {
    rv: u64,
    objects: BTreeMap<ObjKey, Arc<Value>>,
    history: VecDeque<Change>,
    /// Every change with rv > `compacted_to` is still in `history`.
    compacted_to: u64,
    watchers: Vec<Watcher>,
    uid_seq: u64,
}

/// The store of one cluster.
pub struct Store {
    state: Mutex<State>,
    /// Watches opened so far (tests wait on it instead of polling).
    pub watches_opened: tokio::sync::watch::Sender<u64>,
    history_limit: usize,
    uid_prefix: u64,
}

/// RFC 3339 UTC with second precision (`2026-01-02T03:04:05Z`).
pub fn timestamp(t: SystemTime) -> String {
    let secs = t
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0) as i64;
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        (rem % 3600) / 60,
        rem % 60
    )
}

pub fn now() -> String {
    timestamp(SystemTime::now())
}

fn meta_str<'a>(obj: &'a Value, field: &str) -> &'a str {
    obj.pointer(&format!("/metadata/{field}"))
        .and_then(Value::as_str)
        .unwrap_or_default()
}

/// Random lowercase letters/digits as the API server's name generator uses.
fn random_suffix(seed: u64) -> String {
    const ALPHABET: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";
    let mut x = seed ^ 0x9e37_79b9_7f4a_7c15;
    (0..5)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            ALPHABET[(x % ALPHABET.len() as u64) as usize] as char
        })
        .collect()
}

impl Store {
    pub fn new(history_limit: usize) -> Store {
        use std::hash::{BuildHasher, Hasher};
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_u64(1);
        Store {
            state: Mutex::new(State {
                rv: 1,
                objects: BTreeMap::new(),
                history: VecDeque::new(),
                compacted_to: 1,
                watchers: Vec::new(),
                uid_seq: 0,
            }),
            watches_opened: tokio::sync::watch::channel(0).0,
            history_limit: history_limit.max(1),
            uid_prefix: h.finish(),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The current resourceVersion.
    pub fn resource_version(&self) -> u64 {
        self.lock().rv
    }

    fn commit(
        &self,
        st: &mut State,
        kind: ChangeKind,
        key: ObjKey,
        old: Option<Arc<Value>>,
        mut new: Value,
    ) -> Arc<Value> {
        st.rv += 1;
        new["metadata"]["resourceVersion"] = json!(st.rv.to_string());
        // Stored once, shared by the map, the history and every watch event.
        let stored = Arc::new(new);
        match kind {
            ChangeKind::Deleted => {
                st.objects.remove(&key);
            }
            _ => {
                st.objects.insert(key.clone(), stored.clone());
            }
        }
        let change = Change {
            rv: st.rv,
            kind,
            key,
            old,
            new: stored.clone(),
        };
        // One shared event per type, whatever the number of watchers.
        let mut shared: Vec<(&'static str, Arc<WatchEvent>)> = Vec::new();
        st.watchers.retain(|w| match w.filter.event_for(&change) {
            Some(kind) => {
                let ev = match shared.iter().find(|(k, _)| *k == kind) {
                    Some((_, e)) => e.clone(),
                    None => {
                        let e = WatchEvent::new(kind, change.new.clone());
                        shared.push((kind, e.clone()));
                        e
                    }
                };
                w.tx.send(ev).is_ok()
            }
            None => !w.tx.is_closed(),
        });
        st.history.push_back(change);
        while st.history.len() > self.history_limit {
            if let Some(c) = st.history.pop_front() {
                st.compacted_to = c.rv;
            }
        }
        stored
    }

    /// Forgets the change history up to now: a watch from an older resourceVersion gets 410.
    pub fn compact(&self) {
        let mut st = self.lock();
        st.history.clear();
        st.compacted_to = st.rv;
    }

    fn new_uid(&self, st: &mut State) -> String {
        st.uid_seq += 1;
        let a = self.uid_prefix;
        let b = st.uid_seq;
        format!(
            "{:08x}-{:04x}-4{:03x}-a{:03x}-{:012x}",
            (a >> 32) as u32,
            (a >> 16) as u16,
            a as u16 & 0xfff,
            (b >> 48) as u16 & 0xfff,
            b & 0xffff_ffff_ffff
        )
    }

    pub fn get(&self, r: &Resource, ns: &str, name: &str) -> Result<Value, ApiError> {
        self.lock()
            .objects
            .get(&(r.key(), ns.to_string(), name.to_string()))
            .map(|o| Value::clone(o))
            .ok_or_else(|| status::not_found(r.group, r.plural, name))
    }

    /// Objects of `r` in `ns` (all namespaces when `None`), selected, in name order, and the
    /// list's resourceVersion.
    pub fn list(
        &self,
        r: &Resource,
        ns: Option<&str>,
        label: &LabelSelector,
        field: &FieldSelector,
    ) -> (Vec<Value>, u64) {
        let st = self.lock();
        let key = r.key();
        // A range of the ordered map: one resource (in one namespace), never a full scan.
        let (lo, hi) = match ns {
            Some(ns) => (
                (key.clone(), ns.to_string(), String::new()),
                (key, format!("{ns}\0"), String::new()),
            ),
            None => (
                (key.clone(), String::new(), String::new()),
                (format!("{key}\0"), String::new(), String::new()),
            ),
        };
        let items = st
            .objects
            .range(lo..hi)
            .filter(|(_, o)| label.matches(o) && field.matches(o))
            .map(|(_, o)| Value::clone(o))
            .collect();
        (items, st.rv)
    }

    /// [`Store::list`] as of resourceVersion `rv` (a continue token's snapshot): the current
    /// objects with every later change of this resource undone from the history, newest first.
    /// `None` when the history no longer reaches back to `rv` (compacted).
    pub fn list_at(
        &self,
        r: &Resource,
        ns: Option<&str>,
        label: &LabelSelector,
        field: &FieldSelector,
        rv: u64,
    ) -> Option<Vec<Value>> {
        let st = self.lock();
        if rv < st.compacted_to {
            return None;
        }
        let key = r.key();
        let wanted = |k: &ObjKey| k.0 == key && ns.is_none_or(|n| n == k.1);
        let mut at: BTreeMap<ObjKey, Arc<Value>> = st
            .objects
            .iter()
            .filter(|(k, _)| wanted(k))
            .map(|(k, o)| (k.clone(), o.clone()))
            .collect();
        for c in st.history.iter().rev().take_while(|c| c.rv > rv) {
            if !wanted(&c.key) {
                continue;
            }
            match (c.kind, &c.old) {
                (ChangeKind::Added, _) => {
                    at.remove(&c.key);
                }
                (_, Some(old)) => {
                    at.insert(c.key.clone(), old.clone());
                }
                (_, None) => {}
            }
        }
        Some(
            at.values()
                .filter(|o| label.matches(o) && field.matches(o))
                .map(|o| Value::clone(o))
                .collect(),
        )
    }

    /// Creates an object: generateName, uid, timestamps, defaults, quota for pods.
    pub fn create(&self, r: &Resource, ns: &str, mut obj: Value) -> Result<Value, ApiError> {
        let mut st = self.lock();
        if obj.get("metadata").is_none_or(|m| !m.is_object()) {
            obj["metadata"] = json!({});
        }
        if r.namespaced
            && !st
                .objects
                .contains_key(&("namespaces".into(), String::new(), ns.to_string()))
        {
            return Err(status::not_found("", "namespaces", ns));
        }
        if r.plural == "pods" {
            service_account_admission(&st, ns, &mut obj)?;
        }
        if meta_str(&obj, "name").is_empty() {
            let prefix = meta_str(&obj, "generateName").to_string();
            if prefix.is_empty() {
                return Err(status::invalid(
                    r.kind,
                    "",
                    r.group,
                    &[(
                        "metadata.name",
                        "Required value: name or generateName is required".into(),
                    )],
                ));
            }
            let cut: String = prefix.chars().take(58).collect();
            let name = format!(
                "{cut}{}",
                random_suffix(st.rv.wrapping_mul(31).wrapping_add(st.uid_seq) ^ self.uid_prefix)
            );
            obj["metadata"]["name"] = json!(name);
        }
        let name = meta_str(&obj, "name").to_string();
        if r.namespaced {
            obj["metadata"]["namespace"] = json!(ns);
        }
        crate::validate::object(r, &name, &obj)?;
        let key = obj_key(r, ns, &name);
        obj["kind"] = json!(r.kind);
        obj["apiVersion"] = json!(r.api_version());
        let uid = self.new_uid(&mut st);
        obj["metadata"]["uid"] = json!(uid);
        obj["metadata"]["creationTimestamp"] = json!(now());
        if let Some(m) = obj["metadata"].as_object_mut() {
            m.remove("resourceVersion");
            m.remove("deletionTimestamp");
            m.remove("deletionGracePeriodSeconds");
        }
        crate::validate::defaults(r, &mut obj);
        if r.plural == "pods" {
            let quotas: Vec<Value> = quotas_in(&st, ns);
            let pods = pods_in(&st, ns);
            let used: Vec<_> = quotas.iter().map(|q| quota::used(q, &pods)).collect();
            quota::admit(&name, &obj, &quotas, &used)?;
        }
        if st.objects.contains_key(&key) {
            return Err(status::already_exists(r.group, r.plural, &name));
        }
        if r.plural == "resourcequotas" {
            let pods = pods_in(&st, ns);
            let used = quota::used(&obj, &pods);
            obj["status"] = quota::status_value(&obj, &used);
        }
        let out = self.commit(&mut st, ChangeKind::Added, key, None, obj);
        if r.plural == "pods" {
            self.refresh_quotas(&mut st, ns);
        }
        if r.plural == "namespaces" {
            // The serviceaccounts controller (pkg/controller/serviceaccount/serviceaccounts_controller.go)
            // gives every namespace its `default` ServiceAccount.
            let sa_key = (
                "serviceaccounts".to_string(),
                name.clone(),
                "default".to_string(),
            );
            if !st.objects.contains_key(&sa_key) {
                let uid = self.new_uid(&mut st);
                let sa = json!({"kind": "ServiceAccount", "apiVersion": "v1", "metadata": {
                    "name": "default", "namespace": name, "uid": uid, "creationTimestamp": now()}});
                self.commit(&mut st, ChangeKind::Added, sa_key, None, sa);
            }
        }
        Ok(Arc::unwrap_or_clone(out))
    }

    /// Replaces an object (PUT). `status_only` writes just `.status` (the `/status`
    /// subresource); otherwise a pod's status is kept as stored. The stored result is shared, not
    /// copied.
    pub fn update_shared(
        &self,
        r: &Resource,
        ns: &str,
        name: &str,
        obj: Value,
        status_only: bool,
    ) -> Result<Arc<Value>, ApiError> {
        self.write(r, ns, name, obj, status_only, true)
    }

    /// Binds a pod to a node (the scheduler's `pods/binding`, which no pod-update check refuses);
    /// `false` when the pod is gone.
    pub fn bind(&self, ns: &str, name: &str, node: &str) -> bool {
        let r = crate::resources::find("", "v1", "pods").expect("served");
        let Ok(mut pod) = self.get(r, ns, name) else {
            return false;
        };
        pod["spec"]["nodeName"] = json!(node);
        if let Some(m) = pod["metadata"].as_object_mut() {
            m.remove("resourceVersion");
        }
        self.write(r, ns, name, pod, false, false).is_ok()
    }

    fn write(
        &self,
        r: &Resource,
        ns: &str,
        name: &str,
        mut obj: Value,
        status_only: bool,
        check_pod_update: bool,
    ) -> Result<Arc<Value>, ApiError> {
        let mut st = self.lock();
        let key = obj_key(r, ns, name);
        let Some(old) = st.objects.get(&key).cloned() else {
            return Err(status::not_found(r.group, r.plural, name));
        };
        let body_name = meta_str(&obj, "name");
        if !body_name.is_empty() && body_name != name {
            return Err(status::bad_request(format!(
                "the name of the object ({body_name}) does not match the name on the URL ({name})"
            )));
        }
        let want_rv = meta_str(&obj, "resourceVersion");
        if !want_rv.is_empty() && want_rv != meta_str(&old, "resourceVersion") {
            return Err(status::conflict(r.group, r.plural, name));
        }
        if want_rv.is_empty() && r.is_custom() {
            return Err(status::invalid(
                r.kind,
                name,
                r.group,
                &[(
                    "metadata.resourceVersion",
                    "Invalid value: 0x0: must be specified for an update".into(),
                )],
            ));
        }
        let new = if status_only {
            let mut n = Value::clone(&old);
            n["status"] = obj
                .get_mut("status")
                .map(Value::take)
                .unwrap_or(Value::Null);
            n
        } else {
            if obj.get("metadata").is_none_or(|m| !m.is_object()) {
                obj["metadata"] = json!({});
            }
            for f in [
                "uid",
                "creationTimestamp",
                "namespace",
                "name",
                "deletionTimestamp",
                "deletionGracePeriodSeconds",
            ] {
                match old["metadata"].get(f) {
                    Some(v) => obj["metadata"][f] = v.clone(),
                    None => {
                        if let Some(m) = obj["metadata"].as_object_mut() {
                            m.remove(f);
                        }
                    }
                }
            }
            obj["kind"] = json!(r.kind);
            obj["apiVersion"] = json!(r.api_version());
            if r.plural == "pods" || r.plural == "resourcequotas" {
                obj["status"] = old.get("status").cloned().unwrap_or(json!({}));
            }
            crate::validate::object(r, name, &obj)?;
            crate::validate::defaults(r, &mut obj);
            if r.plural == "pods" && check_pod_update {
                crate::validate::pod_update(name, &obj, &old)?;
            }
            obj
        };
        let mut new = new;
        if r.plural == "resourcequotas" && !status_only {
            let pods = pods_in(&st, ns);
            let used = quota::used(&new, &pods);
            new["status"] = quota::status_value(&new, &used);
        }
        if new == *old {
            return Ok(old);
        }
        let out = self.commit(&mut st, ChangeKind::Modified, key, Some(old), new);
        if r.plural == "pods" {
            self.refresh_quotas(&mut st, ns);
        }
        Ok(out)
    }

    /// Deletes an object without preconditions, in the background; returns it (the caller
    /// decides between the object and a Status).
    pub fn delete(
        &self,
        r: &Resource,
        ns: &str,
        name: &str,
        grace: Option<i64>,
    ) -> Result<Value, ApiError> {
        self.delete_with(r, ns, name, None, None, grace, Propagation::Background)
    }

    /// [`Store::delete`] with a propagation policy. `Orphan` first strips the owner's
    /// ownerReferences from its dependents (the garbage collector's `orphanDependents`), so they
    /// stay; `Foreground` marks the owner (`deletionTimestamp` and the `foregroundDeletion`
    /// finalizer, the state `updateForGracefulDeletionAndFinalizers` in
    /// k8s.io/apiserver/pkg/registry/generic/registry/store.go writes and the DELETE returns),
    /// deletes the dependents, then the owner. For kinds other than pods, a non-Background delete
    /// returns the marked object where Background returns a Status.
    #[allow(clippy::too_many_arguments)]
    pub fn delete_with(
        &self,
        r: &Resource,
        ns: &str,
        name: &str,
        precondition_uid: Option<&str>,
        precondition_rv: Option<&str>,
        grace: Option<i64>,
        propagation: Propagation,
    ) -> Result<Value, ApiError> {
        let mut st = self.lock();
        let key = obj_key(r, ns, name);
        let Some(old) = st.objects.get(&key).cloned() else {
            return Err(status::not_found(r.group, r.plural, name));
        };
        for (what, wanted, field) in [
            ("UID", precondition_uid, "uid"),
            ("ResourceVersion", precondition_rv, "resourceVersion"),
        ] {
            if let Some(w) = wanted
                && w != meta_str(&old, field)
            {
                return Err(status::precondition_failed(
                    r.group,
                    r.plural,
                    &storage_key(r, &key.1, name),
                    name,
                    what,
                    w,
                    meta_str(&old, field),
                ));
            }
        }
        let mut marked_response = None;
        if propagation != Propagation::Background && meta_str(&old, "deletionTimestamp").is_empty()
        {
            let finalizer = match propagation {
                Propagation::Orphan => "orphan",
                _ => "foregroundDeletion",
            };
            let mut marked = Value::clone(&old);
            marked["metadata"]["deletionTimestamp"] = json!(now());
            marked["metadata"]["deletionGracePeriodSeconds"] = json!(0);
            match marked["metadata"]["finalizers"].as_array_mut() {
                Some(f) => f.push(json!(finalizer)),
                None => marked["metadata"]["finalizers"] = json!([finalizer]),
            }
            if r.plural != "pods" {
                // Pods are marked by their graceful deletion below instead.
                marked_response = Some(Value::clone(&self.commit(
                    &mut st,
                    ChangeKind::Modified,
                    key.clone(),
                    Some(old.clone()),
                    marked,
                )));
            }
            let owner_uid = meta_str(&old, "uid").to_string();
            match propagation {
                Propagation::Orphan => self.orphan_dependents(&mut st, &owner_uid),
                _ => self.delete_dependents(&mut st, &owner_uid),
            }
        }
        let old = st.objects.get(&key).cloned().unwrap_or(old);
        if let Some(marked) = marked_response {
            // The finalizer done, the owner goes (dependents first for Foreground).
            let mut last = Value::clone(&old);
            if let Some(f) = last["metadata"]["finalizers"].as_array_mut() {
                f.retain(|x| x != "orphan" && x != "foregroundDeletion");
            }
            self.commit(&mut st, ChangeKind::Deleted, key, Some(old), last);
            self.collect_garbage(&mut st);
            return Ok(marked);
        }
        // Pods on a node are deleted gracefully: marked now, removed by the kubelet once their
        // containers stopped (`CheckGracefulDelete`: unscheduled or terminal pods go at once).
        if r.plural == "pods" {
            let on_node = old
                .pointer("/spec/nodeName")
                .and_then(Value::as_str)
                .is_some_and(|n| !n.is_empty());
            let default = old
                .pointer("/spec/terminationGracePeriodSeconds")
                .and_then(Value::as_i64)
                .unwrap_or(30);
            let mut grace = grace.unwrap_or(default);
            if grace < 0 {
                grace = 1;
            }
            if !on_node || quota::is_terminal(&old) {
                grace = 0;
            }
            let marked = old.pointer("/metadata/deletionTimestamp").is_some();
            if grace > 0 && !marked {
                let mut new = Value::clone(&old);
                let at = SystemTime::now() + std::time::Duration::from_secs(grace as u64);
                new["metadata"]["deletionTimestamp"] = json!(timestamp(at));
                new["metadata"]["deletionGracePeriodSeconds"] = json!(grace);
                let finalizer = match propagation {
                    Propagation::Background => None,
                    Propagation::Orphan => Some("orphan"),
                    Propagation::Foreground => Some("foregroundDeletion"),
                };
                if let Some(f) = finalizer {
                    // Its dependents are already handled; the finalizer shows the policy.
                    match new["metadata"]["finalizers"].as_array_mut() {
                        Some(fs) => fs.push(json!(f)),
                        None => new["metadata"]["finalizers"] = json!([f]),
                    }
                }
                return Ok(Arc::unwrap_or_clone(self.commit(
                    &mut st,
                    ChangeKind::Modified,
                    key,
                    Some(old),
                    new,
                )));
            }
            if grace > 0 && marked {
                return Ok(Value::clone(&old));
            }
        }
        let last = Value::clone(&old);
        let out = self.commit(&mut st, ChangeKind::Deleted, key, Some(old), last);
        if r.plural == "pods" {
            self.refresh_quotas(&mut st, ns);
        }
        self.collect_garbage(&mut st);
        Ok(Arc::unwrap_or_clone(out))
    }

    /// Removes `owner_uid` from every dependent's ownerReferences (the garbage collector's orphaning).
    fn orphan_dependents(&self, st: &mut State, owner_uid: &str) {
        for (key, obj) in dependents(st, owner_uid) {
            let mut new = Value::clone(&obj);
            let refs = new["metadata"]["ownerReferences"]
                .as_array_mut()
                .map(|refs| {
                    refs.retain(|o| o["uid"] != owner_uid);
                    refs.is_empty()
                })
                .unwrap_or(false);
            if refs && let Some(m) = new["metadata"].as_object_mut() {
                m.remove("ownerReferences");
            }
            let is_pod = key.0 == "pods";
            let ns = key.1.clone();
            self.commit(st, ChangeKind::Modified, key, Some(obj), new);
            if is_pod {
                self.refresh_quotas(st, &ns);
            }
        }
    }

    /// Foreground deletion's first step: the dependents go (their own dependents after them, by
    /// [`Store::collect_garbage`]); one that has another owner still present only loses this
    /// owner's reference, as the garbage collector does.
    fn delete_dependents(&self, st: &mut State, owner_uid: &str) {
        let uids: std::collections::HashSet<String> = st
            .objects
            .values()
            .map(|o| meta_str(o, "uid").to_string())
            .filter(|u| u != owner_uid)
            .collect();
        let mut shared = Vec::new();
        for (key, obj) in dependents(st, owner_uid) {
            let other_owner = crate::each(&obj, "/metadata/ownerReferences").any(|o| {
                o["uid"] != owner_uid && uids.contains(o["uid"].as_str().unwrap_or_default())
            });
            if other_owner {
                shared.push(key);
                continue;
            }
            let is_pod = key.0 == "pods";
            let ns = key.1.clone();
            let last = Value::clone(&obj);
            self.commit(st, ChangeKind::Deleted, key, Some(obj), last);
            if is_pod {
                self.refresh_quotas(st, &ns);
            }
        }
        if !shared.is_empty() {
            self.orphan_dependents(st, owner_uid);
        }
        self.collect_garbage(st);
    }

    /// Deletes every object whose owners are all gone (ownerReferences by uid), repeatedly.
    fn collect_garbage(&self, st: &mut State) {
        loop {
            let uids: std::collections::HashSet<String> = st
                .objects
                .values()
                .map(|o| meta_str(o, "uid").to_string())
                .collect();
            let orphan = st.objects.iter().find_map(|(k, o)| {
                let owners = o
                    .pointer("/metadata/ownerReferences")
                    .and_then(Value::as_array)?;
                (!owners.is_empty()
                    && owners
                        .iter()
                        .all(|ow| !uids.contains(ow["uid"].as_str().unwrap_or_default())))
                .then(|| (k.clone(), o.clone()))
            });
            let Some((key, obj)) = orphan else { break };
            let ns = key.1.clone();
            let is_pod = key.0 == "pods";
            let last = Value::clone(&obj);
            self.commit(st, ChangeKind::Deleted, key, Some(obj), last);
            if is_pod {
                self.refresh_quotas(st, &ns);
            }
        }
    }

    /// Recomputes `status.used` of the namespace's quotas and writes the ones that changed.
    fn refresh_quotas(&self, st: &mut State, ns: &str) {
        let quotas = quotas_in(st, ns);
        for q in quotas {
            let pods = pods_in(st, ns);
            let used = quota::used(&q, &pods);
            let status = quota::status_value(&q, &used);
            if q.get("status") != Some(&status) {
                let mut new = q.clone();
                new["status"] = status;
                let key = (
                    "resourcequotas".to_string(),
                    ns.to_string(),
                    meta_str(&q, "name").to_string(),
                );
                self.commit(st, ChangeKind::Modified, key, Some(Arc::new(q)), new);
            }
        }
    }

    /// Opens a watch. `from`: `None` = synthetic ADDED for what exists now, then changes;
    /// `Some(rv)` = every change after `rv`, or the 410 error when `rv` is older than the history.
    pub fn watch(&self, filter: WatchFilter, from: Option<u64>) -> Result<Opened, ApiError> {
        self.watch_at(filter, from).map(|(opened, _)| opened)
    }

    /// [`Store::watch`], with the resourceVersion the initial events are a snapshot of (what a
    /// streaming list's closing bookmark carries).
    pub fn watch_at(
        &self,
        filter: WatchFilter,
        from: Option<u64>,
    ) -> Result<(Opened, u64), ApiError> {
        let mut st = self.lock();
        let mut initial = Vec::new();
        match from {
            None => {
                for (k, o) in &st.objects {
                    if filter.selects(k, o) {
                        initial.push(WatchEvent::new("ADDED", o.clone()));
                    }
                }
            }
            Some(rv) => {
                if rv < st.compacted_to {
                    return Err(status::expired(rv, st.compacted_to + 1));
                }
                // History is in resourceVersion order: start right after `rv`.
                let start = st.history.partition_point(|c| c.rv <= rv);
                for c in st.history.range(start..) {
                    if let Some(kind) = filter.event_for(c) {
                        initial.push(WatchEvent::new(kind, c.new.clone()));
                    }
                }
            }
        }
        let (tx, rx) = mpsc::unbounded_channel();
        st.watchers.push(Watcher { filter, tx });
        let rv = st.rv;
        drop(st);
        self.watches_opened.send_modify(|n| *n += 1);
        Ok(((initial, rx), rv))
    }

    /// Number of open watches (for counters and tests).
    pub fn watch_count(&self) -> usize {
        let mut st = self.lock();
        st.watchers.retain(|w| !w.tx.is_closed());
        st.watchers.len()
    }
}

/// The ServiceAccount admission plugin on pod creates (`Plugin.Admit` in
/// plugin/pkg/admission/serviceaccount/admission.go): no `serviceAccountName` means `default`, and
/// the service account must exist, else 403 `pods "<name>" is forbidden: error looking up service
/// account <ns>/<sa>: serviceaccount "<sa>" not found` (`getServiceAccount`'s NotFound). It runs
/// before the name is generated, so a generateName pod is named by its prefix (`NewForbidden`).
fn service_account_admission(st: &State, ns: &str, pod: &mut Value) -> Result<(), ApiError> {
    if pod.get("spec").is_none_or(|s| !s.is_object()) {
        return Ok(()); // validation's 422 follows
    }
    let spec = &mut pod["spec"];
    let named = |k: &str| {
        spec.get(k)
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    // The v1 conversion fills serviceAccountName from the deprecated serviceAccount.
    let sa = named("serviceAccountName")
        .or_else(|| named("serviceAccount"))
        .unwrap_or_else(|| "default".to_string());
    spec["serviceAccountName"] = json!(sa);
    spec["serviceAccount"] = json!(sa);
    let key = ("serviceaccounts".to_string(), ns.to_string(), sa.clone());
    if st.objects.contains_key(&key) {
        return Ok(());
    }
    let name = match meta_str(pod, "name") {
        "" => meta_str(pod, "generateName"),
        n => n,
    };
    Err(status::forbidden(
        "",
        "pods",
        name,
        &format!("error looking up service account {ns}/{sa}: serviceaccount \"{sa}\" not found"),
    ))
}

/// The etcd key the apiserver stores an object under (it shows in storage errors): built-in
/// kinds under their resource name (services under `services/specs`), custom resources under
/// `<group>/<plural>`.
fn storage_key(r: &Resource, ns: &str, name: &str) -> String {
    let prefix = match r.plural {
        "services" => "services/specs".to_string(),
        p if r.is_custom() => format!("{}/{p}", r.group),
        p => p.to_string(),
    };
    if ns.is_empty() {
        format!("/registry/{prefix}/{name}")
    } else {
        format!("/registry/{prefix}/{ns}/{name}")
    }
}

/// How a delete treats the owner's dependents (`DeleteOptions.propagationPolicy`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Propagation {
    Background,
    Foreground,
    Orphan,
}

/// The objects that name `owner_uid` in their ownerReferences.
fn dependents(st: &State, owner_uid: &str) -> Vec<(ObjKey, Arc<Value>)> {
    st.objects
        .iter()
        .filter(|(_, o)| {
            o.pointer("/metadata/ownerReferences")
                .and_then(Value::as_array)
                .is_some_and(|refs| refs.iter().any(|r| r["uid"] == owner_uid))
        })
        .map(|(k, o)| (k.clone(), o.clone()))
        .collect()
}

/// Where an object of `r` named `name` is stored (cluster-scoped kinds have no namespace).
fn obj_key(r: &Resource, ns: &str, name: &str) -> ObjKey {
    let ns = if r.namespaced {
        ns.to_string()
    } else {
        String::new()
    };
    (r.key(), ns, name.to_string())
}

/// The objects of one resource in one namespace: a range of the ordered map, not a scan.
fn in_namespace<'a>(st: &'a State, res: &str, ns: &str) -> impl Iterator<Item = &'a Value> {
    let lo = (res.to_string(), ns.to_string(), String::new());
    let hi = (res.to_string(), format!("{ns}\0"), String::new());
    st.objects.range(lo..hi).map(|(_, o)| o.as_ref())
}

fn quotas_in(st: &State, ns: &str) -> Vec<Value> {
    in_namespace(st, "resourcequotas", ns).cloned().collect()
}

fn pods_in<'a>(st: &'a State, ns: &str) -> Vec<&'a Value> {
    in_namespace(st, "pods", ns).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps() {
        assert_eq!(timestamp(UNIX_EPOCH), "1970-01-01T00:00:00Z");
        assert_eq!(
            timestamp(UNIX_EPOCH + std::time::Duration::from_secs(1_795_746_235)),
            "2026-11-27T02:23:55Z"
        );
        assert_eq!(
            timestamp(UNIX_EPOCH + std::time::Duration::from_secs(951_782_400)),
            "2000-02-29T00:00:00Z"
        );
    }

    #[test]
    fn generated_names_use_the_servers_alphabet() {
        let s = random_suffix(42);
        assert_eq!(s.len(), 5);
        assert!(s.chars().all(|c| "bcdfghjklmnpqrstvwxz2456789".contains(c)));
    }
}
