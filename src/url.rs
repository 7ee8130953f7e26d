//! URLs, in one place: percent-encoding, the console's links, and page state kept in the query
//! string (`?tab=events&phases=hidden`). Everything here is pure except
//! [`use_query_writer`], the hook that writes a query back to the browser's URL.

use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_navigate};
use leptos_router::params::ParamsMap;
use leptos_router::NavigateOptions;

/// The rollouts list.
pub const ROLLOUTS: &str = "/rollouts";

/// The page of one rollout.
pub fn rollout(id: &str) -> String {
    rollout_api::text::rollout_href(id)
}

/// The page of one rollout with a tab of its application view selected (`events`,
/// `resources`, `diff`).
pub fn rollout_tab(id: &str, tab: &str) -> String {
    href(&rollout(id), &with_key(&[], "tab", Some(tab)))
}

/// The workloads list.
pub const WORKLOADS: &str = "/workloads";

/// The page of one workload.
pub fn workload(cluster_id: &str, namespace: &str, name: &str) -> String {
    format!(
        "{WORKLOADS}/{}/{}/{}",
        encode(cluster_id),
        encode(namespace),
        encode(name)
    )
}

/// The clusters page, at one cluster's card.
pub fn cluster(id: &str) -> String {
    format!("/clusters#cluster-{}", encode(id))
}

/// The page of one cluster's events that belong to no rollout.
pub fn cluster_events(id: &str) -> String {
    format!("/clusters/{}/events", encode(id))
}

/// `path?query`, or just `path` when the query is empty.
pub fn href(path: &str, query: &str) -> String {
    if query.is_empty() {
        path.to_string()
    } else {
        format!("{path}?{query}")
    }
}

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
    query(out.iter().map(|(k, v)| (k.as_str(), v.as_str())))
}

/// `k=v&k=v` from pairs, both sides percent-encoded.
pub fn query<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    pairs
        .into_iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// Percent-encodes a path segment or a query key or value (in `rollout_api::text`, shared
/// with the server's first screen).
pub use rollout_api::text::percent_encode as encode;

/// Decodes a query value: `%XX` escapes and `+` as a space. The browser hands pages decoded
/// values already; this is for tests and benchmarks.
#[cfg(test)]
pub fn decode(v: &str) -> String {
    let bytes = v.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                (Some(hi), Some(lo)) => {
                    out.push(hi * 16 + lo);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
fn hex(b: u8) -> Option<u8> {
    (b as char).to_digit(16).map(|d| d as u8)
}

/// The pairs of a router query map, in order (what [`with_key`] takes).
pub fn pairs_of(query: &ParamsMap) -> Vec<(String, String)> {
    query
        .clone()
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// Given the current query's pairs in order, the new query string (see [`with_key`]).
pub type Rewrite<'a> = &'a dyn Fn(Vec<(String, String)>) -> String;

/// A function that rewrites the current URL's query and goes there in place: the history
/// entry is replaced and the scroll position kept, so toggling a panel or typing a filter does
/// not pile up Back steps.
pub fn use_query_writer() -> impl Fn(Rewrite) + Clone + 'static {
    let location = use_location();
    let navigate = use_navigate();
    move |rewrite: Rewrite| {
        let pairs = location.query.with_untracked(pairs_of);
        let url = href(&location.pathname.get_untracked(), &rewrite(pairs));
        let options = NavigateOptions {
            replace: true,
            scroll: false,
            ..Default::default()
        };
        navigate(&url, options);
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

    #[test]
    fn links_to_a_rollout_encode_its_id() {
        assert_eq!(rollout("rol-1a2b"), "/rollouts/rol-1a2b");
        assert_eq!(rollout("a/b c"), "/rollouts/a%2Fb%20c");
        assert_eq!(rollout_tab("rol-1", "diff"), "/rollouts/rol-1?tab=diff");
    }

    #[test]
    fn links_to_a_workload_and_a_cluster_encode_each_part() {
        assert_eq!(
            workload("prod-us-east", "payments", "payments-api"),
            "/workloads/prod-us-east/payments/payments-api"
        );
        assert_eq!(workload("c 1", "ns", "a/b"), "/workloads/c%201/ns/a%2Fb");
        assert_eq!(cluster("staging-eu"), "/clusters#cluster-staging-eu");
    }

    #[test]
    fn decoding_handles_escapes_plus_and_stray_percent() {
        assert_eq!(decode("a%20b+c"), "a b c");
        assert_eq!(decode("100%"), "100%");
        assert_eq!(decode("%zz"), "%zz");
        assert_eq!(decode("caf%C3%A9"), "café");
        assert_eq!(encode("café"), "caf%C3%A9");
    }
}
