//! Page state kept in the URL query (`?phases=hidden&tab=events&details=1`).

/// The query string (without `?`) with `key` set to `value`, or removed when `value` is None;
/// every other key keeps its place and value.
pub fn with_key(pairs: &[(String, String)], key: &str, value: Option<&str>) -> String {
    let mut out: Vec<(String, String)> = Vec::new();
    let mut placed = false;
    for (k, v) in pairs {
        if k == key {
            if let (Some(new), false) = (value, placed) {
                out.push((k.clone(), new.to_string()));
                placed = true;
            }
        } else {
            out.push((k.clone(), v.clone()));
        }
    }
    if let (Some(new), false) = (value, placed) {
        out.push((key.to_string(), new.to_string()));
    }
    out.iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// Percent-encodes what would break a query string (keeps it readable otherwise).
fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b',' | b':' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// `path?query`, or just `path` when the query is empty.
pub fn href(path: &str, query: &str) -> String {
    if query.is_empty() {
        path.to_string()
    } else {
        format!("{path}?{query}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn setting_a_key_keeps_the_others() {
        let q = pairs(&[("tab", "resources"), ("q", "a b")]);
        assert_eq!(
            with_key(&q, "phases", Some("hidden")),
            "tab=resources&q=a%20b&phases=hidden"
        );
        let q = pairs(&[("phases", "hidden"), ("tab", "diff")]);
        assert_eq!(with_key(&q, "phases", None), "tab=diff");
        assert_eq!(
            with_key(&q, "phases", Some("shown")),
            "phases=shown&tab=diff"
        );
        assert_eq!(href("/rollouts/x", ""), "/rollouts/x");
        assert_eq!(href("/rollouts/x", "details=1"), "/rollouts/x?details=1");
    }
}
