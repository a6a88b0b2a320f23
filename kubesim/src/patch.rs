//! PATCH bodies: JSON merge patch (RFC 7386), JSON patch (RFC 6902) and strategic merge patch
//! for the kinds Spark and kubectl touch (lists merged by their patch merge key).

use serde_json::Value;

/// RFC 7386.
pub fn merge(target: &mut Value, patch: &Value) {
    match patch {
        Value::Object(p) => {
            if !target.is_object() {
                *target = Value::Object(Default::default());
            }
            let t = target.as_object_mut().expect("made an object");
            for (k, v) in p {
                if v.is_null() {
                    t.remove(k);
                } else {
                    merge(t.entry(k.clone()).or_insert(Value::Null), v);
                }
            }
        }
        other => *target = other.clone(),
    }
}

/// The merge key of a list field, as the Kubernetes types declare it.
pub(crate) fn merge_key(field: &str) -> Option<&'static str> {
    Some(match field {
        "containers"
        | "initContainers"
        | "ephemeralContainers"
        | "env"
        | "volumes"
        | "volumeMounts"
        | "imagePullSecrets"
        | "hostAliases" => "name",
        "ports" => "containerPort",
        "ownerReferences" => "uid",
        "conditions" => "type",
        "finalizers" => return None,
        _ => return None,
    })
}

/// Strategic merge patch: like a merge patch, but lists with a merge key are merged element by
/// element; `$patch: delete` removes an element; other `$` directives are honoured or dropped.
pub fn strategic(target: &mut Value, patch: &Value) {
    let (Value::Object(p), true) = (patch, target.is_object()) else {
        *target = strip_directives(patch);
        return;
    };
    if p.get("$patch").and_then(Value::as_str) == Some("replace") {
        let mut v = patch.clone();
        if let Some(m) = v.as_object_mut() {
            m.remove("$patch");
        }
        *target = strip_directives(&v);
        return;
    }
    let t = target.as_object_mut().expect("checked");
    for (k, v) in p {
        if k.starts_with('$') {
            continue;
        }
        if v.is_null() {
            t.remove(k);
            continue;
        }
        match (merge_key(k), v, t.get_mut(k)) {
            (Some(key), Value::Array(items), Some(Value::Array(existing))) => {
                for item in items {
                    let id = item.get(key).cloned();
                    let pos = id
                        .as_ref()
                        .and_then(|id| existing.iter().position(|e| e.get(key) == Some(id)));
                    let delete = item.get("$patch").and_then(Value::as_str) == Some("delete");
                    match (pos, delete) {
                        (Some(i), true) => {
                            existing.remove(i);
                        }
                        (None, true) => {}
                        (Some(i), false) => strategic(&mut existing[i], item),
                        (None, false) => existing.push(strip_directives(item)),
                    }
                }
            }
            (_, v, Some(existing)) if v.is_object() && existing.is_object() => {
                strategic(existing, v)
            }
            (_, v, _) => {
                t.insert(k.clone(), strip_directives(v));
            }
        }
    }
}

fn strip_directives(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .filter(|(k, _)| !k.starts_with('$'))
                .map(|(k, v)| (k.clone(), strip_directives(v)))
                .collect(),
        ),
        Value::Array(a) => Value::Array(
            a.iter()
                .filter(|e| e.get("$patch").and_then(Value::as_str) != Some("delete"))
                .map(strip_directives)
                .collect(),
        ),
        other => other.clone(),
    }
}

fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

fn parent_and_key<'a>(doc: &'a mut Value, path: &str) -> Result<(&'a mut Value, String), String> {
    let tokens: Vec<String> = path.split('/').skip(1).map(unescape).collect();
    let (last, init) = tokens.split_last().ok_or("empty path")?;
    let mut cur = doc;
    for t in init {
        cur = match cur {
            Value::Object(m) => m.get_mut(t).ok_or_else(|| format!("missing path {path}"))?,
            Value::Array(a) => {
                let i: usize = t.parse().map_err(|_| format!("bad index in {path}"))?;
                a.get_mut(i)
                    .ok_or_else(|| format!("index out of range in {path}"))?
            }
            _ => return Err(format!("cannot traverse {path}")),
        };
    }
    Ok((cur, last.clone()))
}

/// RFC 6902 (add, remove, replace, test, move, copy).
pub fn json_patch(doc: &mut Value, ops: &Value) -> Result<(), String> {
    let ops = ops.as_array().ok_or("a JSON patch must be an array")?;
    for op in ops {
        let path = op["path"].as_str().ok_or("op without path")?;
        let value = op.get("value").cloned();
        match op["op"].as_str().unwrap_or_default() {
            "add" => add(doc, path, value.ok_or("add without value")?)?,
            "remove" => {
                remove(doc, path)?;
            }
            "replace" => {
                remove(doc, path)?;
                add(doc, path, value.ok_or("replace without value")?)?;
            }
            "test" => {
                if doc.pointer(path) != value.as_ref() {
                    return Err(format!("test failed at {path}"));
                }
            }
            "move" | "copy" => {
                let from = op["from"].as_str().ok_or("move without from")?;
                let v = doc
                    .pointer(from)
                    .cloned()
                    .ok_or_else(|| format!("missing {from}"))?;
                if op["op"] == "move" {
                    remove(doc, from)?;
                }
                add(doc, path, v)?;
            }
            other => return Err(format!("unknown op {other}")),
        }
    }
    Ok(())
}

fn add(doc: &mut Value, path: &str, v: Value) -> Result<(), String> {
    if path.is_empty() {
        *doc = v;
        return Ok(());
    }
    let (parent, key) = parent_and_key(doc, path)?;
    match parent {
        Value::Object(m) => {
            m.insert(key, v);
        }
        Value::Array(a) => {
            if key == "-" {
                a.push(v);
            } else {
                let i: usize = key.parse().map_err(|_| format!("bad index in {path}"))?;
                if i > a.len() {
                    return Err(format!("index out of range in {path}"));
                }
                a.insert(i, v);
            }
        }
        _ => return Err(format!("cannot add at {path}")),
    }
    Ok(())
}

fn remove(doc: &mut Value, path: &str) -> Result<Value, String> {
    let (parent, key) = parent_and_key(doc, path)?;
    match parent {
        Value::Object(m) => m.remove(&key).ok_or_else(|| format!("missing path {path}")),
        Value::Array(a) => {
            let i: usize = key.parse().map_err(|_| format!("bad index in {path}"))?;
            (i < a.len())
                .then(|| a.remove(i))
                .ok_or_else(|| format!("index out of range in {path}"))
        }
        _ => Err(format!("cannot remove at {path}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn merge_patch() {
        let mut t = json!({"a": 1, "b": {"c": 2, "d": 3}, "l": [1, 2]});
        merge(&mut t, &json!({"a": null, "b": {"c": 9}, "l": [3]}));
        assert_eq!(t, json!({"b": {"c": 9, "d": 3}, "l": [3]}));
    }

    #[test]
    fn strategic_merges_lists_by_key() {
        let mut pod = json!({"metadata": {"labels": {"a": "1"}}, "spec": {"containers": [
            {"name": "x", "image": "i1", "env": [{"name": "A", "value": "1"}]},
            {"name": "y", "image": "i2"}]}});
        strategic(
            &mut pod,
            &json!({"$setElementOrder/containers": [{"name": "x"}], "metadata": {"labels": {"b": "2"}},
            "spec": {"containers": [{"name": "x", "image": "i3", "env": [{"name": "B", "value": "2"}]}, {"name": "y", "$patch": "delete"}]}}),
        );
        assert_eq!(pod["metadata"]["labels"], json!({"a": "1", "b": "2"}));
        let cs = pod["spec"]["containers"].as_array().unwrap();
        assert_eq!(cs.len(), 1);
        assert_eq!(cs[0]["image"], "i3");
        assert_eq!(cs[0]["env"].as_array().unwrap().len(), 2);
    }

    #[test]
    fn json_patch_ops() {
        let mut d = json!({"metadata": {"labels": {"a": "1"}}, "l": [1, 2]});
        json_patch(
            &mut d,
            &json!([
                {"op": "add", "path": "/metadata/labels/spark-exec-inactive", "value": "true"},
                {"op": "replace", "path": "/l/0", "value": 9},
                {"op": "add", "path": "/l/-", "value": 3},
                {"op": "remove", "path": "/metadata/labels/a"},
                {"op": "test", "path": "/l/1", "value": 2}
            ]),
        )
        .unwrap();
        assert_eq!(
            d,
            json!({"metadata": {"labels": {"spark-exec-inactive": "true"}}, "l": [9, 2, 3]})
        );
        assert!(json_patch(&mut d, &json!([{"op": "remove", "path": "/nope"}])).is_err());
    }
}
