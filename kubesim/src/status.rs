//! `metav1.Status` bodies with the real reasons, codes and message templates.

use serde_json::{Map, Value, json};

/// An API error: the HTTP code equals the Status code.
#[derive(Clone, Debug, PartialEq)]
pub struct ApiError {
    pub code: u16,
    pub body: Value,
}

impl ApiError {
    fn new(code: u16, reason: &str, message: String, details: Option<Value>) -> ApiError {
        let mut m = Map::new();
        m.insert("kind".into(), json!("Status"));
        m.insert("apiVersion".into(), json!("v1"));
        m.insert("metadata".into(), json!({}));
        m.insert("status".into(), json!("Failure"));
        m.insert("message".into(), json!(message));
        if !reason.is_empty() {
            m.insert("reason".into(), json!(reason));
        }
        if let Some(d) = details {
            m.insert("details".into(), d);
        }
        m.insert("code".into(), json!(code));
        ApiError {
            code,
            body: Value::Object(m),
        }
    }

    pub fn message(&self) -> &str {
        self.body["message"].as_str().unwrap_or_default()
    }

    pub fn reason(&self) -> &str {
        self.body["reason"].as_str().unwrap_or_default()
    }
}

/// `details` for a resource error: name, group (omitted for core), kind = the plural.
fn details(group: &str, plural: &str, name: &str) -> Value {
    let mut d = Map::new();
    if !name.is_empty() {
        d.insert("name".into(), json!(name));
    }
    if !group.is_empty() {
        d.insert("group".into(), json!(group));
    }
    d.insert("kind".into(), json!(plural));
    Value::Object(d)
}

/// `pods` or `sparkapplications.sparkoperator.k8s.io`, as messages print a group resource.
fn qualified(group: &str, plural: &str) -> String {
    if group.is_empty() {
        plural.to_string()
    } else {
        format!("{plural}.{group}")
    }
}

pub fn not_found(group: &str, plural: &str, name: &str) -> ApiError {
    named(404, "NotFound", "not found", group, plural, name)
}

/// 404 for a path the server does not serve.
pub fn no_route() -> ApiError {
    ApiError::new(
        404,
        "NotFound",
        "the server could not find the requested resource".into(),
        Some(json!({})),
    )
}

pub fn already_exists(group: &str, plural: &str, name: &str) -> ApiError {
    named(409, "AlreadyExists", "already exists", group, plural, name)
}

/// A Status about one named object: `<plural>.<group> "<name>" <what>`, with its details.
fn named(code: u16, reason: &str, what: &str, group: &str, plural: &str, name: &str) -> ApiError {
    ApiError::new(
        code,
        reason,
        format!("{} \"{name}\" {what}", qualified(group, plural)),
        Some(details(group, plural, name)),
    )
}

pub fn conflict(group: &str, plural: &str, name: &str) -> ApiError {
    ApiError::new(
        409,
        "Conflict",
        format!(
            "Operation cannot be fulfilled on {} \"{name}\": the object has been modified; please apply your changes to the latest version and try again",
            qualified(group, plural)
        ),
        Some(details(group, plural, name)),
    )
}

pub fn forbidden(group: &str, plural: &str, name: &str, why: &str) -> ApiError {
    let message = if name.is_empty() {
        format!("{} is forbidden: {why}", qualified(group, plural))
    } else {
        format!(
            "{} \"{name}\" is forbidden: {why}",
            qualified(group, plural)
        )
    };
    ApiError::new(
        403,
        "Forbidden",
        message,
        Some(details(group, plural, name)),
    )
}

/// 422 with `details.kind` = the Kind and one cause per field error.
pub fn invalid(kind: &str, name: &str, group: &str, causes: &[(&str, String)]) -> ApiError {
    let text: Vec<String> = causes.iter().map(|(f, m)| format!("{f}: {m}")).collect();
    // `NewInvalid` prints the qualified kind (`schema.GroupKind.String()`: `Kind.group`).
    let qualified_kind = if group.is_empty() {
        kind.to_string()
    } else {
        format!("{kind}.{group}")
    };
    let message = if text.len() == 1 {
        format!("{qualified_kind} \"{name}\" is invalid: {}", text[0])
    } else {
        format!(
            "{qualified_kind} \"{name}\" is invalid: [{}]",
            text.join(", ")
        )
    };
    // `name` is omitempty in StatusDetails (a ListOptions has none).
    let mut d = details(group, kind, name);
    d["causes"] = Value::Array(
        causes
            .iter()
            .map(|(f, m)| {
                let reason = if m.starts_with("Required value") {
                    "FieldValueRequired"
                } else if m.starts_with("Forbidden") {
                    "FieldValueForbidden"
                } else if m.starts_with("Unsupported value") {
                    "FieldValueNotSupported"
                } else {
                    "FieldValueInvalid"
                };
                json!({"reason": reason, "message": m, "field": f})
            })
            .collect(),
    );
    ApiError::new(422, "Invalid", message, Some(d))
}

pub fn bad_request(message: impl Into<String>) -> ApiError {
    ApiError::new(400, "BadRequest", message.into(), None)
}

pub fn unauthorized() -> ApiError {
    ApiError::new(401, "Unauthorized", "Unauthorized".into(), None)
}

/// 405 for a method no route serves: go-restful's error through the apiserver's
/// `serviceErrorHandler` (k8s.io/apiserver/pkg/server/handler.go), i.e. apimachinery's
/// `NewGenericServerResponse` with an empty resource: the generic message and empty details.
pub fn method_not_served() -> ApiError {
    ApiError::new(
        405,
        "MethodNotAllowed",
        "the server does not allow this method on the requested resource".into(),
        Some(json!({})),
    )
}

/// A failed delete precondition: the storage's `Preconditions.Check`
/// (k8s.io/apiserver/pkg/storage/interfaces.go) returns an invalid-object `StorageError`, which
/// `InterpretDeleteError` turns into a Conflict carrying that error's text.
pub fn precondition_failed(
    group: &str,
    plural: &str,
    storage_key: &str,
    name: &str,
    what: &str,
    wanted: &str,
    actual: &str,
) -> ApiError {
    ApiError::new(
        409,
        "Conflict",
        format!(
            "Operation cannot be fulfilled on {} \"{name}\": StorageError: invalid object, Code: 4, Key: {storage_key}, ResourceVersion: 0, AdditionalErrorMsg: Precondition failed: {what} in precondition: {wanted}, {what} in object meta: {actual}",
            qualified(group, plural)
        ),
        Some(details(group, plural, name)),
    )
}

pub fn method_not_allowed(verb: &str, plural: &str) -> ApiError {
    ApiError::new(
        405,
        "MethodNotAllowed",
        format!("{verb} is not supported on resources of kind \"{plural}\""),
        Some(json!({"kind": plural})),
    )
}

pub fn unsupported_media_type(accepted: &str) -> ApiError {
    ApiError::new(
        415,
        "UnsupportedMediaType",
        format!(
            "the body of the request was in an unknown format - accepted media types include: {accepted}"
        ),
        None,
    )
}

/// The in-stream watch error for a resourceVersion older than the history window.
pub fn expired(requested: u64, oldest: u64) -> ApiError {
    ApiError::new(
        410,
        "Expired",
        format!("too old resource version: {requested} ({oldest})"),
        None,
    )
}

/// 410 `Expired` for a list (apimachinery `NewResourceExpired`).
pub fn expired_list(message: &str) -> ApiError {
    ApiError::new(410, "Expired", message.into(), None)
}

pub fn internal(message: impl Into<String>) -> ApiError {
    let m = message.into();
    ApiError::new(
        500,
        "InternalError",
        format!("Internal error occurred: {m}"),
        Some(json!({"causes": [{"message": m}]})),
    )
}

/// 503 ServiceUnavailable with `message` (a proxy that could not reach its backend).
pub fn unavailable(message: String) -> ApiError {
    ApiError::new(503, "ServiceUnavailable", message, None)
}

pub fn service_unavailable() -> ApiError {
    ApiError::new(
        503,
        "ServiceUnavailable",
        "the server is currently unable to handle the request".into(),
        None,
    )
}

pub fn timeout() -> ApiError {
    ApiError::new(
        504,
        "Timeout",
        "Timeout: request did not complete within the allowed duration".into(),
        Some(json!({"retryAfterSeconds": 1})),
    )
}

/// A success Status, as most DELETEs return.
pub fn success(group: &str, plural: &str, name: &str, uid: &str) -> Value {
    let mut d = details(group, plural, name);
    if !uid.is_empty() {
        d["uid"] = json!(uid);
    }
    json!({"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Success", "details": d})
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_match_the_real_server() {
        let e = not_found("", "pods", "p1");
        assert_eq!(
            e.body.to_string(),
            r#"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"pods \"p1\" not found","reason":"NotFound","details":{"name":"p1","kind":"pods"},"code":404}"#
        );
        let e = not_found("sparkoperator.k8s.io", "sparkapplications", "x");
        assert_eq!(
            e.message(),
            "sparkapplications.sparkoperator.k8s.io \"x\" not found"
        );
        assert_eq!(e.body["details"]["group"], "sparkoperator.k8s.io");
        let e = conflict("", "resourcequotas", "team-q");
        assert_eq!(
            e.message(),
            "Operation cannot be fulfilled on resourcequotas \"team-q\": the object has been modified; please apply your changes to the latest version and try again"
        );
        assert_eq!(e.code, 409);
        let e = invalid(
            "Pod",
            "p1",
            "",
            &[("spec.containers[0].image", "Required value".into())],
        );
        assert_eq!(
            e.message(),
            "Pod \"p1\" is invalid: spec.containers[0].image: Required value"
        );
        assert_eq!(e.body["details"]["kind"], "Pod");
        assert_eq!(
            e.body["details"]["causes"][0]["reason"],
            "FieldValueRequired"
        );
        let e = expired(100, 200);
        assert_eq!(e.message(), "too old resource version: 100 (200)");
        assert_eq!(unauthorized().body["reason"], "Unauthorized");
    }
}
