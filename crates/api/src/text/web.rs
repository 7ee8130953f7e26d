//! Text for URLs and HTML: percent-encoding, the rollout page's link, HTML escaping.

/// Percent-encodes a path segment or a query key or value (RFC 3986 unreserved characters
/// stay as they are).
pub fn percent_encode(v: &str) -> String {
    let mut out = String::with_capacity(v.len());
    for b in v.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// The page of one rollout: `/rollouts/{id}`.
pub fn rollout_href(id: &str) -> String {
    format!("/rollouts/{}", percent_encode(id))
}

/// Appends `s` to HTML being written, safe as text and inside a double- or single-quoted
/// attribute value.
pub fn escape_html(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}
