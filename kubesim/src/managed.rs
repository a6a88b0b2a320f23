//! Field ownership (`metadata.managedFields`) for server-side apply: which manager set which
//! field, conflicts between appliers, `force`, and removal of fields an applier stops sending.
//!
//! Fields are paths of object keys and list elements identified by their merge key (containers by
//! `name`, ports by `containerPort`, …); other lists are owned whole (atomic), as in the real
//! structured-merge-diff for the kinds Spark touches.

use std::collections::BTreeSet;

use serde_json::{Map, Value, json};

/// One step of a field path.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Seg {
    /// `f:name`: an object key.
    Field(String),
    /// `k:{"name":"x"}`: a list element by its merge key (the key's value as JSON text).
    Key(String, String),
}

pub type Path = Vec<Seg>;

/// Whether a list element has `value` (JSON text) under `key`.
fn has_key(item: &Value, key: &str, value: &str) -> bool {
    item.get(key).is_some_and(|v| *v.to_string() == *value)
}

/// Fields nobody owns: identity, server-set metadata and (on the main resource) status.
fn unowned(path: &[Seg]) -> bool {
    match path {
        [Seg::Field(f)] => matches!(f.as_str(), "apiVersion" | "kind" | "status"),
        [Seg::Field(m), Seg::Field(f)] if m == "metadata" => matches!(
            f.as_str(),
            "name"
                | "namespace"
                | "uid"
                | "resourceVersion"
                | "generation"
                | "creationTimestamp"
                | "deletionTimestamp"
                | "deletionGracePeriodSeconds"
                | "managedFields"
                | "selfLink"
        ),
        _ => false,
    }
}

/// The leaf fields an object sets.
pub fn fields(obj: &Value) -> BTreeSet<Path> {
    let mut out = BTreeSet::new();
    walk(obj, &mut Vec::new(), &mut out);
    out
}

fn walk(v: &Value, path: &mut Path, out: &mut BTreeSet<Path>) {
    match v {
        Value::Object(m) if !m.is_empty() => {
            for (k, child) in m {
                path.push(Seg::Field(k.clone()));
                if !unowned(path) {
                    walk(child, path, out);
                }
                path.pop();
            }
        }
        Value::Array(items) if !items.is_empty() => {
            let key = match path.last() {
                Some(Seg::Field(f)) => crate::patch::merge_key(f),
                _ => None,
            };
            let keyed = key.filter(|k| items.iter().all(|i| i.get(*k).is_some()));
            match keyed {
                Some(k) => {
                    for item in items {
                        path.push(Seg::Key(k.to_string(), item[k].to_string()));
                        // The element itself (".") is owned, and each of its fields.
                        out.insert(path.clone());
                        walk(item, path, out);
                        path.pop();
                    }
                }
                None => {
                    out.insert(path.clone());
                }
            }
        }
        _ => {
            out.insert(path.clone());
        }
    }
}

/// `to_fields_v1(&fields(obj))` in one walk (the cost of every create).
pub fn fields_v1_of(obj: &Value) -> Value {
    fn go(v: &Value, path: &mut Path) -> Value {
        match v {
            Value::Object(m) if !m.is_empty() => {
                let mut out = Map::new();
                for (k, child) in m {
                    path.push(Seg::Field(k.clone()));
                    if !unowned(path) {
                        out.insert(format!("f:{k}"), go(child, path));
                    }
                    path.pop();
                }
                Value::Object(out)
            }
            Value::Array(items) if !items.is_empty() => {
                let key = match path.last() {
                    Some(Seg::Field(f)) => crate::patch::merge_key(f),
                    _ => None,
                };
                match key.filter(|k| items.iter().all(|i| i.get(*k).is_some())) {
                    Some(k) => {
                        let mut out = Map::new();
                        for item in items {
                            path.push(Seg::Key(k.to_string(), item[k].to_string()));
                            let mut node = go(item, path);
                            if let Some(m) = node.as_object_mut() {
                                m.insert(".".into(), json!({}));
                            }
                            out.insert(
                                format!("k:{{{}:{}}}", Value::String(k.to_string()), item[k]),
                                node,
                            );
                            path.pop();
                        }
                        Value::Object(out)
                    }
                    None => json!({}),
                }
            }
            _ => json!({}),
        }
    }
    go(obj, &mut Vec::new())
}

/// The value at a path.
pub fn get<'a>(obj: &'a Value, path: &[Seg]) -> Option<&'a Value> {
    let mut v = obj;
    for seg in path {
        v = match seg {
            Seg::Field(f) => v.get(f)?,
            Seg::Key(k, want) => v.as_array()?.iter().find(|i| has_key(i, k, want))?,
        };
    }
    Some(v)
}

/// Removes the field at a path (a list element by its key); empty parents stay.
pub fn remove(obj: &mut Value, path: &[Seg]) {
    let Some((last, parent)) = path.split_last() else {
        return;
    };
    let mut v = obj;
    for seg in parent {
        let next = match seg {
            Seg::Field(f) => v.get_mut(f),
            Seg::Key(k, want) => v
                .as_array_mut()
                .and_then(|a| a.iter_mut().find(|i| has_key(i, k, want))),
        };
        match next {
            Some(n) => v = n,
            None => return,
        }
    }
    match last {
        Seg::Field(f) => {
            if let Some(m) = v.as_object_mut() {
                m.remove(f);
            }
        }
        Seg::Key(k, want) => {
            if let Some(a) = v.as_array_mut() {
                a.retain(|i| !has_key(i, k, want));
            }
        }
    }
}

/// A path as the API server prints it: `.spec.containers[name="x"].image`.
pub fn display(path: &[Seg]) -> String {
    let mut s = String::new();
    for seg in path {
        match seg {
            Seg::Field(f) => {
                s.push('.');
                s.push_str(f);
            }
            Seg::Key(k, v) => s.push_str(&format!("[{k}={v}]")),
        }
    }
    s
}

/// The `fieldsV1` encoding of a set of paths.
pub fn to_fields_v1(set: &BTreeSet<Path>) -> Value {
    let mut root = Value::Object(Map::new());
    for path in set {
        let mut node = &mut root;
        for seg in path {
            let key = match seg {
                Seg::Field(f) => format!("f:{f}"),
                Seg::Key(k, v) => format!("k:{{{}:{v}}}", Value::String(k.clone())),
            };
            node = node
                .as_object_mut()
                .expect("nodes are objects")
                .entry(key)
                .or_insert_with(|| json!({}));
        }
        if matches!(path.last(), Some(Seg::Key(..))) {
            node.as_object_mut()
                .expect("nodes are objects")
                .insert(".".into(), json!({}));
        }
    }
    root
}

/// Decodes `fieldsV1` back to paths.
pub fn from_fields_v1(v: &Value) -> BTreeSet<Path> {
    fn go(v: &Value, path: &mut Path, out: &mut BTreeSet<Path>) {
        let Some(m) = v.as_object() else { return };
        if m.is_empty() {
            out.insert(path.clone());
            return;
        }
        for (k, child) in m {
            if k == "." {
                out.insert(path.clone());
                continue;
            }
            let seg = if let Some(f) = k.strip_prefix("f:") {
                Seg::Field(f.to_string())
            } else if let Some(Ok(Value::Object(kv))) =
                k.strip_prefix("k:").map(serde_json::from_str::<Value>)
            {
                match kv.into_iter().next() {
                    Some((k, v)) => Seg::Key(k, v.to_string()),
                    None => continue,
                }
            } else {
                continue;
            };
            path.push(seg);
            go(child, path, out);
            path.pop();
        }
    }
    let mut out = BTreeSet::new();
    go(v, &mut Vec::new(), &mut out);
    out
}

/// One `managedFields` entry, decoded.
#[derive(Clone, Debug)]
pub struct Entry {
    pub manager: String,
    pub operation: String,
    pub api_version: String,
    pub time: String,
    pub fields: BTreeSet<Path>,
}

impl Entry {
    fn to_json(&self) -> Value {
        json!({"manager": self.manager, "operation": self.operation, "apiVersion": self.api_version,
               "time": self.time, "fieldsType": "FieldsV1", "fieldsV1": to_fields_v1(&self.fields)})
    }

    /// How conflict messages name a manager (an updater with its version and time).
    fn printed(&self) -> String {
        if self.operation == "Update" {
            format!(
                "{:?} using {} at {}",
                self.manager, self.api_version, self.time
            )
        } else {
            format!("{:?}", self.manager)
        }
    }
}

pub fn entries(obj: &Value) -> Vec<Entry> {
    crate::each(obj, "/metadata/managedFields")
        .map(|e| Entry {
            manager: e["manager"].as_str().unwrap_or_default().to_string(),
            operation: e["operation"].as_str().unwrap_or("Update").to_string(),
            api_version: e["apiVersion"].as_str().unwrap_or_default().to_string(),
            time: e["time"].as_str().unwrap_or_default().to_string(),
            fields: from_fields_v1(&e["fieldsV1"]),
        })
        .collect()
}

fn store_entries(obj: &mut Value, list: Vec<Entry>) {
    let list: Vec<Value> = list
        .iter()
        .filter(|e| !e.fields.is_empty())
        .map(Entry::to_json)
        .collect();
    if let Some(m) = obj.get_mut("metadata").and_then(Value::as_object_mut) {
        if list.is_empty() {
            m.remove("managedFields");
        } else {
            m.insert("managedFields".into(), Value::Array(list));
        }
    }
}

/// A write that is not an apply (create, update, patch): the manager takes the fields it
/// changed or added; other managers lose them.
pub fn record_update(old: Option<&Value>, new: &mut Value, manager: &str, api_version: &str) {
    let Some(old) = old else {
        // A create: every field is the creator's.
        let v1 = fields_v1_of(new);
        if let Some(m) = new.get_mut("metadata").and_then(Value::as_object_mut)
            && v1.as_object().is_some_and(|o| !o.is_empty())
        {
            m.insert(
                "managedFields".into(),
                json!([{"manager": manager, "operation": "Update", "apiVersion": api_version,
                        "time": crate::store::now(), "fieldsType": "FieldsV1", "fieldsV1": v1}]),
            );
        }
        return;
    };
    let old = Some(old);
    let new_fields = fields(new);
    let mut list = old.map(entries).unwrap_or_default();
    let changed: BTreeSet<Path> = new_fields
        .iter()
        .filter(|p| old.is_none_or(|o| get(o, p) != get(new, p)))
        .cloned()
        .collect();
    for e in &mut list {
        // Fields that are gone are nobody's; changed fields are the updater's now.
        e.fields
            .retain(|p| new_fields.contains(p) && !changed.contains(p));
    }
    if !changed.is_empty() {
        let now = crate::store::now();
        match list
            .iter_mut()
            .find(|e| e.manager == manager && e.operation == "Update")
        {
            Some(e) => {
                e.fields.extend(changed);
                e.time = now;
            }
            None => list.push(Entry {
                manager: manager.to_string(),
                operation: "Update".into(),
                api_version: api_version.to_string(),
                time: now,
                fields: changed,
            }),
        }
    }
    store_entries(new, list);
}

/// A conflict: another manager owns a field the applier sets to a different value.
#[derive(Debug, PartialEq)]
pub struct Conflict {
    pub manager: String,
    pub path: String,
}

/// Server-side apply of `applied` by `manager` onto `current` (`None`: a create).
/// Returns the next object, or the conflicts when `force` is off.
pub fn apply(
    current: Option<&Value>,
    applied: &Value,
    manager: &str,
    force: bool,
    api_version: &str,
) -> Result<Value, Vec<Conflict>> {
    let set = fields(applied);
    let Some(current) = current else {
        let mut obj = applied.clone();
        store_entries(
            &mut obj,
            vec![Entry {
                manager: manager.into(),
                operation: "Apply".into(),
                api_version: api_version.into(),
                time: crate::store::now(),
                fields: set,
            }],
        );
        return Ok(obj);
    };
    let mut list = entries(current);
    let is_self = |e: &Entry| e.manager == manager && e.operation == "Apply";
    let mut conflicts = Vec::new();
    for e in list.iter().filter(|e| !is_self(e)) {
        for p in e.fields.intersection(&set) {
            // A list element's own entry conflicts only through its fields.
            if matches!(p.last(), Some(Seg::Key(..))) {
                continue;
            }
            if get(current, p) != get(applied, p) {
                conflicts.push((e.printed(), p.clone()));
            }
        }
    }
    if !conflicts.is_empty() && !force {
        return Err(conflicts
            .into_iter()
            .map(|(manager, p)| Conflict {
                manager,
                path: display(&p),
            })
            .collect());
    }
    let taken: BTreeSet<Path> = conflicts.into_iter().map(|(_, p)| p).collect();
    let previous: BTreeSet<Path> = list
        .iter()
        .filter(|e| is_self(e))
        .flat_map(|e| e.fields.iter().cloned())
        .collect();
    for e in list.iter_mut().filter(|e| !is_self(e)) {
        e.fields.retain(|p| !taken.contains(p));
    }
    let others: BTreeSet<&Path> = list
        .iter()
        .filter(|e| !is_self(e))
        .flat_map(|e| e.fields.iter())
        .collect();
    let mut next = current.clone();
    // Fields this manager applied before and no longer does go, unless someone else owns them;
    // deepest first, so a dropped element goes with its fields.
    let dropped: Vec<&Path> = previous.difference(&set).collect();
    for p in dropped.into_iter().rev() {
        if !others.contains(p) {
            remove(&mut next, p);
        }
    }
    crate::patch::strategic(&mut next, applied);
    list.retain(|e| !is_self(e));
    list.push(Entry {
        manager: manager.into(),
        operation: "Apply".into(),
        api_version: api_version.into(),
        time: crate::store::now(),
        fields: set,
    });
    store_entries(&mut next, list);
    Ok(next)
}

/// The 409 Status of an apply conflict, worded as the API server words it.
pub fn conflict_status(conflicts: &[Conflict]) -> crate::status::ApiError {
    let message = match conflicts {
        [c] => format!(
            "Apply failed with 1 conflict: conflict with {}: {}",
            c.manager, c.path
        ),
        _ => {
            let mut managers: Vec<&str> = conflicts.iter().map(|c| c.manager.as_str()).collect();
            managers.sort();
            managers.dedup();
            let mut lines = Vec::new();
            for m in managers {
                lines.push(format!("conflicts with {m}:"));
                for c in conflicts.iter().filter(|c| c.manager == m) {
                    lines.push(format!("- {}", c.path));
                }
            }
            format!(
                "Apply failed with {} conflicts: {}",
                conflicts.len(),
                lines.join("\n")
            )
        }
    };
    let causes: Vec<Value> = conflicts
        .iter()
        .map(|c| json!({"type": "FieldManagerConflict", "message": format!("conflict with {}", c.manager), "field": c.path}))
        .collect();
    crate::status::ApiError {
        code: 409,
        body: json!({"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
            "message": message, "reason": "Conflict", "details": {"causes": causes}, "code": 409}),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pod(image: &str) -> Value {
        json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "labels": {"a": "1"}},
               "spec": {"containers": [{"name": "c", "image": image, "args": ["x", "y"]}]}})
    }

    #[test]
    fn field_sets_round_trip_through_fields_v1() {
        let set = fields(&pod("i"));
        let v1 = to_fields_v1(&set);
        assert_eq!(
            v1,
            json!({"f:metadata": {"f:labels": {"f:a": {}}},
                   "f:spec": {"f:containers": {"k:{\"name\":\"c\"}": {".": {}, "f:args": {}, "f:image": {}, "f:name": {}}}}})
        );
        assert_eq!(from_fields_v1(&v1), set);
        assert_eq!(
            display(&[
                Seg::Field("spec".into()),
                Seg::Field("containers".into()),
                Seg::Key("name".into(), "\"c\"".into()),
                Seg::Field("image".into())
            ]),
            ".spec.containers[name=\"c\"].image"
        );
    }

    #[test]
    fn one_walk_encoding_matches() {
        let mut p = pod("i");
        p["spec"]["containers"][0]["ports"] = json!([{"containerPort": 80}]);
        assert_eq!(fields_v1_of(&p), to_fields_v1(&fields(&p)));
    }

    #[test]
    fn apply_conflicts_force_and_removal() {
        let first = apply(None, &pod("one"), "alice", false, "v1").unwrap();
        // Same manager, same fields: no conflict, value changes.
        let again = apply(Some(&first), &pod("two"), "alice", false, "v1").unwrap();
        assert_eq!(again["spec"]["containers"][0]["image"], "two");
        // Another manager changing alice's field conflicts…
        let err = apply(Some(&again), &pod("three"), "bob", false, "v1").unwrap_err();
        assert_eq!(
            err,
            vec![Conflict {
                manager: "\"alice\"".into(),
                path: ".spec.containers[name=\"c\"].image".into()
            }]
        );
        let status = conflict_status(&err);
        assert_eq!(
            status.body["message"],
            "Apply failed with 1 conflict: conflict with \"alice\": .spec.containers[name=\"c\"].image"
        );
        // …setting it to the same value shares it; force takes it.
        assert!(apply(Some(&again), &pod("two"), "bob", false, "v1").is_ok());
        let forced = apply(Some(&again), &pod("three"), "bob", true, "v1").unwrap();
        assert_eq!(forced["spec"]["containers"][0]["image"], "three");
        let alice = entries(&forced)
            .into_iter()
            .find(|e| e.manager == "alice")
            .unwrap();
        assert!(!alice.fields.iter().any(|p| display(p).ends_with(".image")));
        // A field the applier stops sending goes (a label nobody else owns).
        let mut less = pod("two");
        less["metadata"]["labels"] = json!({"b": "2"});
        let next = apply(Some(&again), &less, "alice", false, "v1").unwrap();
        assert_eq!(next["metadata"]["labels"], json!({"b": "2"}));
    }

    #[test]
    fn updates_take_the_fields_they_change() {
        let applied = apply(None, &pod("one"), "spark", false, "v1").unwrap();
        let mut edited = applied.clone();
        edited["spec"]["containers"][0]["image"] = json!("edited");
        record_update(Some(&applied), &mut edited, "kubectl-edit", "v1");
        let err = apply(Some(&edited), &pod("one"), "spark", false, "v1").unwrap_err();
        assert!(
            err[0].manager.starts_with("\"kubectl-edit\" using v1 at "),
            "{err:?}"
        );
    }
}
