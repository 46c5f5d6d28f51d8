//! Checks a request against the OpenAPI 3.0 description of the API: the
//! path and method exist, query parameters are declared, and the JSON body
//! follows the request schema (types, enums, required fields, and no
//! properties the description does not know). Small on purpose: it covers
//! the schema keywords the Statuspage description uses.

use std::path::Path;

use serde_json::Value;

use crate::request::ApiRequest;

pub struct OpenApi {
    doc: Value,
}

impl std::fmt::Debug for OpenApi {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("OpenApi")
    }
}

impl OpenApi {
    pub fn from_file(path: &Path) -> Result<OpenApi, String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let doc: Value = serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        Ok(OpenApi { doc })
    }

    /// The description shared with every developer, relative to the repo
    /// root (`../shared/statuspage/openapi.json`), if it is there.
    pub fn shared() -> Option<OpenApi> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/statuspage/openapi.json");
        OpenApi::from_file(&root).ok()
    }

    /// For tests: panics unless every request is valid against the shared
    /// description; prints a skip message when it is absent. Returns how
    /// many requests were checked.
    pub fn assert_all_valid(requests: &[ApiRequest]) -> usize {
        let Some(api) = OpenApi::shared() else {
            eprintln!("skipped the API description check: ../shared/statuspage/openapi.json is not present");
            return 0;
        };
        for req in requests {
            let errors = api.check(req);
            assert!(errors.is_empty(), "{}: {errors:?}", req.summary());
        }
        eprintln!("{} requests valid against the API description", requests.len());
        requests.len()
    }

    /// The path template that `path` matches: literal segments beat
    /// `{params}` (`/incidents/unresolved` over `/incidents/{incident_id}`).
    fn match_path(&self, path: &str) -> Option<(&str, &Value)> {
        let parts: Vec<&str> = path.trim_matches('/').split('/').collect();
        let mut best: Option<(usize, &str, &Value)> = None;
        for (template, item) in self.doc["paths"].as_object()? {
            let tparts: Vec<&str> = template.trim_matches('/').split('/').collect();
            if tparts.len() != parts.len() {
                continue;
            }
            let mut literal = 0;
            let fits = tparts.iter().zip(&parts).all(|(t, p)| {
                if t.starts_with('{') && t.ends_with('}') {
                    !p.is_empty()
                } else {
                    literal += 1;
                    t == p
                }
            });
            if fits && best.is_none_or(|(n, _, _)| literal > n) {
                best = Some((literal, template.as_str(), item));
            }
        }
        best.map(|(_, t, item)| (t, item))
    }

    /// Every problem with the request; empty when it is valid.
    pub fn check(&self, req: &ApiRequest) -> Vec<String> {
        let mut errors = Vec::new();
        let Some((template, item)) = self.match_path(&req.path) else {
            return vec![format!("{}: no such path in the API description", req.path)];
        };
        let Some(op) = item.get(req.method.as_str().to_ascii_lowercase()) else {
            return vec![format!("{} {template}: no such operation", req.method.as_str())];
        };
        let declared: Vec<&str> = op["parameters"]
            .as_array()
            .map(|ps| ps.iter().filter(|p| p["in"] == "query").filter_map(|p| p["name"].as_str()).collect())
            .unwrap_or_default();
        for (name, _) in &req.query {
            if name == "api_key" {
                errors.push("the key must go in the Authorization header, never in the query".into());
            } else if !declared.contains(&name.as_str()) {
                errors.push(format!("{template}: undeclared query parameter `{name}`"));
            }
        }
        let schema = &op["requestBody"]["content"]["application/json"]["schema"];
        match (&req.body, schema.is_null()) {
            (Some(body), false) => self.check_value(schema, body, "body", &mut errors),
            (Some(_), true) => errors.push(format!("{} {template} takes no body", req.method.as_str())),
            (None, false) if op["requestBody"]["required"] == true => {
                errors.push(format!("{} {template} needs a body", req.method.as_str()))
            }
            (None, _) => {}
        }
        errors
    }

    fn resolve<'a>(&'a self, schema: &'a Value) -> &'a Value {
        match schema.get("$ref").and_then(Value::as_str) {
            Some(r) => {
                let pointer = r.trim_start_matches('#');
                self.doc.pointer(pointer).unwrap_or(&Value::Null)
            }
            None => schema,
        }
    }

    fn check_value(&self, schema: &Value, value: &Value, at: &str, errors: &mut Vec<String>) {
        let schema = self.resolve(schema);
        if let Some(options) = schema["enum"].as_array() {
            if !options.contains(value) {
                errors.push(format!("{at}: {value} is not one of {}", Value::Array(options.clone())));
            }
        }
        let ty = schema["type"].as_str().unwrap_or("").to_ascii_lowercase();
        let ok = match ty.as_str() {
            "object" => value.is_object(),
            "array" => value.is_array(),
            "string" => value.is_string(),
            "boolean" => value.is_boolean(),
            "integer" => value.is_i64() || value.is_u64(),
            "number" => value.is_number(),
            _ => true,
        };
        if !ok {
            errors.push(format!("{at}: expected {ty}, got {value}"));
            return;
        }
        if ty == "string" && schema["format"] == "date-time" {
            let s = value.as_str().unwrap_or("");
            if chrono_like(s).is_none() {
                errors.push(format!("{at}: `{s}` is not an RFC 3339 date-time"));
            }
        }
        if let (Some(items), Some(list)) = (schema.get("items"), value.as_array()) {
            for (i, v) in list.iter().enumerate() {
                self.check_value(items, v, &format!("{at}[{i}]"), errors);
            }
        }
        let Some(object) = value.as_object() else { return };
        for name in schema["required"].as_array().into_iter().flatten().filter_map(Value::as_str) {
            if !object.contains_key(name) {
                errors.push(format!("{at}: missing required `{name}`"));
            }
        }
        let Some(props) = schema["properties"].as_object() else { return };
        // The description writes a map (component id → status) as an object
        // with one example id as its only property: every key follows it.
        let map_of = match props.iter().next() {
            Some((k, v)) if props.len() == 1 && looks_like_id(k) => Some(v),
            _ => None,
        };
        for (name, v) in object {
            let at = format!("{at}.{name}");
            match (props.get(name), map_of) {
                (Some(s), _) | (None, Some(s)) => self.check_value(s, v, &at, errors),
                (None, None) => errors.push(format!("{at}: not in the API description")),
            }
        }
    }
}

/// Statuspage ids: 12 lowercase letters and digits.
fn looks_like_id(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
}

/// `YYYY-MM-DDTHH:MM:SS` with an offset or `Z` (a light check).
fn chrono_like(s: &str) -> Option<()> {
    let b = s.as_bytes();
    let shape = b.len() >= 20
        && b[4] == b'-'
        && b[7] == b'-'
        && (b[10] == b'T' || b[10] == b't')
        && b[13] == b':'
        && b[16] == b':'
        && (s.ends_with('Z') || s[19..].contains('+') || s[19..].contains('-'));
    shape.then_some(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::IncidentFields;

    #[test]
    fn checks_requests_against_the_shared_description() {
        let Some(api) = OpenApi::shared() else {
            eprintln!("skipped: ../shared/statuspage/openapi.json is not present");
            return;
        };
        let good = IncidentFields {
            name: Some("x".into()),
            status: Some("investigating".into()),
            components: Some([("abcdefghijkl".to_string(), "major_outage".to_string())].into()),
            metadata: Some(serde_json::json!({"desk": {"publish_id": "p"}})),
            ..Default::default()
        };
        assert_eq!(api.check(&ApiRequest::create_incident("pg", &good)), Vec::<String>::new());
        assert!(api.check(&ApiRequest::list_unresolved("pg", 1, 100)).is_empty());

        let bad = IncidentFields { status: Some("postmortem".into()), ..good.clone() };
        assert_eq!(api.check(&ApiRequest::create_incident("pg", &bad)).len(), 1);
        let bad = IncidentFields { components: Some([("abcdefghijkl".into(), "down".into())].into()), ..good };
        assert_eq!(api.check(&ApiRequest::update_incident("pg", "i", &bad)).len(), 1);
        let mut req = ApiRequest::list_unresolved("pg", 1, 100);
        req.query.push(("api_key".into(), "k".into()));
        assert_eq!(api.check(&req).len(), 1);
        let mut req = ApiRequest::get_incident("pg", "i");
        req.body = Some(serde_json::json!({"incident": {"nmae": "typo"}}));
        assert!(!api.check(&req).is_empty());
    }
}
