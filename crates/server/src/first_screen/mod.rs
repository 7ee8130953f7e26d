//! The first screen: for the pages people open first, the server writes what the console will
//! show at first into index.html's `<div id="first-screen">`, as plain HTML with real data, so
//! it paints before the console's wasm has loaded (the console then takes over from it).
//!
//! Only two routes are filled, and only when the answer is certain to be what the console
//! draws: `GET /rollouts` without a query (its default view) and `GET /rollouts/{id}` of a
//! rollout that exists (any query: the header and summary are the same on every tab). Every
//! other page is index.html as built. The markup follows the console's components class for
//! class and text for text, and uses the console's own formatting (`rollout_api::text`); it has
//! no script, no event handler and no `style` attribute (the CSP allows none), and every value
//! in it is escaped ([`html::Html`]).

mod html;
mod list;
mod rollout;

use crate::source::Source;

/// A page the server can fill.
#[derive(Debug, PartialEq, Eq)]
pub enum Route {
    Rollouts,
    Rollout(String),
}

impl Route {
    /// The route of a request path and query, if it is one with a first screen.
    pub fn of(path: &str, query: Option<&str>) -> Option<Route> {
        if path == "/rollouts" {
            // A filtered, sorted or searched view is the console's to draw.
            return query.is_none_or(str::is_empty).then_some(Route::Rollouts);
        }
        let id = path.strip_prefix("/rollouts/")?;
        if id.is_empty() || id.contains('/') {
            return None;
        }
        percent_decode(id).map(Route::Rollout)
    }
}

/// The first screen of `route`, or None when there is none to write (an unknown rollout, an
/// empty list).
pub async fn render(source: &Source, route: &Route) -> Option<String> {
    match route {
        Route::Rollouts => list::rollouts(&source.rollouts(), source.now()),
        Route::Rollout(id) => {
            let detail = source.rollout(id).await?;
            Some(rollout::rollout(&detail, source.now()))
        }
    }
}

/// index.html with `first` inside its `<div id="first-screen">` (quoted or not, as Trunk's
/// minifier leaves it); None when the page has no such place.
pub fn fill(index: &str, first: &str) -> Option<String> {
    let at = ["<div id=first-screen>", "<div id=\"first-screen\">"]
        .iter()
        .find_map(|open| index.find(open).map(|i| i + open.len()))?;
    let mut page = String::with_capacity(index.len() + first.len());
    page.push_str(&index[..at]);
    page.push_str(first);
    page.push_str(&index[at..]);
    Some(page)
}

/// A path segment with its `%XX` escapes decoded; None when they are not valid UTF-8.
fn percent_decode(segment: &str) -> Option<String> {
    let bytes = segment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_default_list_and_rollout_pages_have_a_first_screen() {
        assert_eq!(Route::of("/rollouts", None), Some(Route::Rollouts));
        assert_eq!(Route::of("/rollouts", Some("")), Some(Route::Rollouts));
        assert_eq!(Route::of("/rollouts", Some("status=paused")), None);
        assert_eq!(
            Route::of("/rollouts/rol-1", Some("tab=diff")),
            Some(Route::Rollout("rol-1".into()))
        );
        assert_eq!(
            Route::of("/rollouts/a%20b", None),
            Some(Route::Rollout("a b".into()))
        );
        for other in [
            "/",
            "/rollouts/",
            "/rollouts/a/b",
            "/workloads",
            "/rollouts/%FF",
        ] {
            assert_eq!(Route::of(other, None), None, "{other}");
        }
    }

    #[test]
    fn the_first_screen_goes_inside_the_marker_quoted_or_not() {
        for marker in [
            "<div id=first-screen></div>",
            "<div id=\"first-screen\"></div>",
        ] {
            let index = format!("<main id=main><p>Loading</p>{marker}</main>");
            let page = fill(&index, "<b>x</b>").unwrap();
            assert!(page.contains("first-screen") && page.contains("><b>x</b></div></main>"));
        }
        assert_eq!(fill("<main></main>", "<b>x</b>"), None);
    }
}
