//! The few protobuf request bodies kubectl sends: client-go's typed clients post
//! `application/vnd.kubernetes.protobuf` for built-in kinds (`kubectl auth can-i` posts a
//! SelfSubjectAccessReview that way). Answers go back as JSON, which client-go accepts.

use serde_json::{Value, json};

/// Reads a varint at `*i`.
fn varint(b: &[u8], i: &mut usize) -> Option<u64> {
    let mut v = 0u64;
    for shift in (0..64).step_by(7) {
        let byte = *b.get(*i)?;
        *i += 1;
        v |= u64::from(byte & 0x7F) << shift;
        if byte & 0x80 == 0 {
            return Some(v);
        }
    }
    None
}

/// The length-delimited fields of a message: (field number, bytes); other wire types skipped.
fn fields(b: &[u8]) -> Option<Vec<(u64, &[u8])>> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let tag = varint(b, &mut i)?;
        match tag & 7 {
            0 => {
                varint(b, &mut i)?;
            }
            2 => {
                let len = usize::try_from(varint(b, &mut i)?).ok()?;
                out.push((tag >> 3, b.get(i..i + len)?));
                i += len;
            }
            1 => i += 8,
            5 => i += 4,
            _ => return None,
        }
    }
    Some(out)
}

fn field(b: &[u8], n: u64) -> Option<&[u8]> {
    fields(b)?
        .into_iter()
        .find(|(f, _)| *f == n)
        .map(|(_, v)| v)
}

/// The kubernetes protobuf envelope: `k8s\0` + runtime.Unknown{typeMeta, raw} → (kind, raw).
fn envelope(body: &[u8]) -> Option<(String, &[u8])> {
    let unknown = body.strip_prefix(b"k8s\0")?;
    let type_meta = field(unknown, 1)?;
    let kind = String::from_utf8(field(type_meta, 2)?.to_vec()).ok()?;
    Some((kind, field(unknown, 2)?))
}

/// A SelfSubjectAccessReview as JSON (its `spec.resourceAttributes`).
pub fn self_subject_access_review(body: &[u8]) -> Option<Value> {
    let (kind, raw) = envelope(body)?;
    if kind != "SelfSubjectAccessReview" {
        return None;
    }
    let spec = field(raw, 2)?;
    let mut attrs = serde_json::Map::new();
    if let Some(ra) = field(spec, 1) {
        let names = [
            "namespace",
            "verb",
            "group",
            "version",
            "resource",
            "subresource",
            "name",
        ];
        for (n, v) in fields(ra)? {
            if let Some(name) = names.get(usize::try_from(n).ok()?.wrapping_sub(1)) {
                attrs.insert((*name).into(), json!(String::from_utf8_lossy(v)));
            }
        }
    }
    Some(
        json!({"apiVersion": "authorization.k8s.io/v1", "kind": "SelfSubjectAccessReview",
                "metadata": {}, "spec": {"resourceAttributes": attrs}}),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_kubectl_auth_can_i() {
        // What kubectl 1.32 posts for `auth can-i create pods` (captured with -v=8).
        let mut body =
            b"k8s\0\n2\n\x17authorization.k8s.io/v1\x12\x17SelfSubjectAccessReview".to_vec();
        let ssar: &[u8] = b"\n\x00\x12!\n\x1f\n\x07default\x12\x06create\x1a\x00\"\x00*\x04pods2\x00:\x00\x1a\x08\x08\x00\x12\x00\x1a\x00 \x00";
        body.push(0x12);
        body.push(ssar.len() as u8);
        body.extend_from_slice(ssar);
        let v = self_subject_access_review(&body).unwrap();
        assert_eq!(
            v["spec"]["resourceAttributes"],
            json!({"namespace": "default", "verb": "create", "group": "", "version": "", "resource": "pods", "subresource": "", "name": ""})
        );
    }
}
