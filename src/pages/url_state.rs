//! Page state kept in the URL query, written in place: the history entry is replaced and the
//! scroll position kept, so toggling a panel or typing a filter does not pile up Back steps.

use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_navigate};
use leptos_router::NavigateOptions;

/// Given the current query's pairs in order, the new query string (see
/// `model::url_query::with_key`).
pub type Rewrite<'a> = &'a dyn Fn(Vec<(String, String)>) -> String;

/// A function that rewrites the current URL's query and goes there in place.
pub fn use_query_writer() -> impl Fn(Rewrite) + Clone + 'static {
    let location = use_location();
    let navigate = use_navigate();
    move |rewrite: Rewrite| {
        let pairs: Vec<(String, String)> = location.query.with_untracked(|q| {
            q.clone()
                .into_iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        });
        let url =
            crate::model::url_query::href(&location.pathname.get_untracked(), &rewrite(pairs));
        navigate(
            &url,
            NavigateOptions {
                replace: true,
                scroll: false,
                ..Default::default()
            },
        );
    }
}
