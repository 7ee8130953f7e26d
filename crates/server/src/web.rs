//! Serving the built console: static files, SPA fallback, security headers.

use crate::{first_screen, security, AppState};
use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use axum::Router;
use base64::Engine as _;
use sha2::{Digest, Sha256};
use std::path::Path;
use tower_http::services::ServeDir;

/// index.html and the CSP that allows exactly its inline scripts and styles (by hash).
/// The pages are `Bytes`: each response shares them rather than copying them.
pub struct Console {
    index: Option<Bytes>,
    /// index.html as the build compressed it (brotli 11), when that file is not older than it.
    index_br: Option<Bytes>,
    csp: String,
}

impl Console {
    pub fn load(dist: &Path) -> Console {
        let index = std::fs::read_to_string(dist.join("index.html")).ok();
        if index.is_none() {
            tracing::warn!(
                "no console at {}: build it with `make console` (the API works without it)",
                dist.display()
            );
        }
        let page = index.as_deref().unwrap_or_default();
        let scripts = hashes(inline_blocks(page, "script"));
        let styles = hashes(inline_blocks(page, "style"));
        let csp = format!(
            "default-src 'self'; script-src 'self' 'wasm-unsafe-eval' {scripts}; \
             style-src 'self' {styles}; img-src 'self' data:; connect-src 'self'; \
             object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
        );
        Console {
            index_br: index
                .as_ref()
                .and_then(|_| compressed_beside(&dist.join("index.html")))
                .map(Bytes::from),
            index: index.map(Bytes::from),
            csp,
        }
    }

    /// The console's page with `first` (the route's first screen) in it, written per request
    /// and revalidated every time. None when there is no page or it has no place for it.
    ///
    /// Brotli is written here rather than by the compression layer: the page is the first thing
    /// a browser waits for, and quality 6 sends it about 11 % smaller than the layer's 4 (the
    /// list's: 17.9 -> 16.0 KB) for the same 2 ms; API answers stay with the layer. Others get
    /// the page uncompressed and the layer compresses it (gzip).
    fn filled_page(&self, first: &str, accepts_br: bool) -> Option<Response> {
        let index = std::str::from_utf8(self.index.as_deref()?).ok()?;
        let page = first_screen::fill(index, first)?;
        let no_cache = (header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
        if !accepts_br {
            return Some(([no_cache], Html(page)).into_response());
        }
        Some(
            (
                [
                    no_cache,
                    (
                        header::CONTENT_TYPE,
                        HeaderValue::from_static("text/html; charset=utf-8"),
                    ),
                    (header::CONTENT_ENCODING, HeaderValue::from_static("br")),
                ],
                brotli_page(page.as_bytes()),
            )
                .into_response(),
        )
    }

    /// The console's page for a route: the build's brotli file when the browser takes brotli
    /// (smaller than compressing it per request), else the page itself.
    fn page(&self, accepts_br: bool) -> Response {
        match (&self.index, &self.index_br) {
            (Some(_), Some(br)) if accepts_br => (
                [
                    (header::CONTENT_TYPE, "text/html; charset=utf-8"),
                    (header::CONTENT_ENCODING, "br"),
                ],
                br.clone(),
            )
                .into_response(),
            (Some(index), _) => Html(index.clone()).into_response(),
            (None, _) => (
                StatusCode::SERVICE_UNAVAILABLE,
                Html("<h1>Console not built</h1><p>Run <code>make console</code>.</p>"),
            )
                .into_response(),
        }
    }
}

/// `page` in brotli at quality 6, with a window (256 KB) as large as a page gets.
fn brotli_page(page: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut out = brotli::CompressorWriter::new(Vec::with_capacity(page.len() / 6), 4096, 6, 18);
    // Writing to a Vec cannot fail.
    let _ = out.write_all(page);
    out.into_inner()
}

/// `file.br` when it is at least as new as `file` (written by the same build).
fn compressed_beside(file: &Path) -> Option<Vec<u8>> {
    let br = file.with_extension("html.br");
    let modified = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    (modified(&br)? >= modified(file)?)
        .then(|| std::fs::read(&br).ok())
        .flatten()
}

/// Whether an `Accept-Encoding` value accepts `coding` (listed, and not with `q=0`).
fn accepts(accept_encoding: &str, coding: &str) -> bool {
    accept_encoding.split(',').any(|item| {
        let mut parts = item.split(';').map(str::trim);
        parts.next() == Some(coding)
            && !parts.any(|p| {
                p.strip_prefix("q=")
                    .and_then(|q| q.parse::<f32>().ok())
                    .is_some_and(|q| q == 0.0)
            })
    })
}

/// The CSP source list allowing exactly these inline blocks: `'sha256-…'` each.
fn hashes(blocks: Vec<&str>) -> String {
    let sources: Vec<String> = blocks
        .into_iter()
        .map(|s| {
            let digest = Sha256::digest(s.as_bytes());
            format!(
                "'sha256-{}'",
                base64::engine::general_purpose::STANDARD.encode(digest)
            )
        })
        .collect();
    sources.join(" ")
}

/// The text of every inline `<tag>` block in an HTML page (`script` or `style`); a script
/// with `src=` is not inline.
pub fn inline_blocks<'a>(html: &'a str, tag: &str) -> Vec<&'a str> {
    let (open, close_tag) = (format!("<{tag}"), format!("</{tag}>"));
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find(&open) {
        let after = &rest[start..];
        let Some(tag_end) = after.find('>') else {
            break;
        };
        let tag = &after[..tag_end];
        let body = &after[tag_end + 1..];
        let Some(close) = body.find(&close_tag) else {
            break;
        };
        if !tag.contains("src=") {
            out.push(&body[..close]);
        }
        rest = &body[close..];
    }
    out
}

/// The files of `dist/`, each served brotli- or gzip-compressed when the build left a `.br` or
/// `.gz` beside it (Trunk's post-build hook, `scripts/post-build.mjs`, does) and the browser
/// accepts it: compressed once at build time, brotli at its smallest setting.
pub fn routes(dist: &Path) -> Router<AppState> {
    let files = ServeDir::new(dist)
        .precompressed_br()
        .precompressed_gzip()
        .fallback(axum::handler::HandlerWithoutStateExt::into_service(
            spa_index_placeholder,
        ));
    Router::new()
        .fallback_service(files)
        .layer(axum::middleware::from_fn(no_file_has_that_name))
}

/// The longest file name the file system takes (Linux `NAME_MAX`).
const NAME_MAX: usize = 255;

/// A path with a part longer than a file name can be is not looked up on disk: it is not found
/// (a console route then gets the page, like any other), rather than a failed read answered
/// with a 500 and logged as an error for whoever sends such paths.
async fn no_file_has_that_name(req: Request, next: Next) -> Response {
    if req
        .uri()
        .path()
        .split('/')
        .any(|part| part.len() > NAME_MAX)
    {
        return StatusCode::NOT_FOUND.into_response();
    }
    next.run(req).await
}

/// Trunk names assets `name-<hash>.ext`, the hash up to 16 hex digits (the wasm
/// `name-<hash>_bg.wasm`): such a file never changes under its name.
fn is_hashed_asset(path: &str) -> bool {
    let file = path.rsplit('/').next().unwrap_or("");
    let Some((stem, _ext)) = file.split_once('.') else {
        return false;
    };
    stem.rsplit_once('-').is_some_and(|(_, hash)| {
        let hash = hash.trim_end_matches("_bg");
        (12..=16).contains(&hash.len()) && hash.bytes().all(|b| b.is_ascii_hexdigit())
    })
}

async fn spa_index_placeholder() -> StatusCode {
    // Replaced in `security_headers`, which has the state with index.html.
    StatusCode::NOT_FOUND
}

/// Adds the security headers and turns "no such file" for a console route into index.html.
pub async fn security_headers(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let is_api = req.uri().path() == "/api" || req.uri().path().starts_with("/api/");
    let wants_page = !is_api
        && !req
            .uri()
            .path()
            .rsplit('/')
            .next()
            .unwrap_or("")
            .contains('.');
    let hashed = !is_api && is_hashed_asset(req.uri().path());
    let accepts_br = req
        .headers()
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| accepts(v, "br"));
    // The pages with a first screen, for a reader allowed to see rollouts (the session cookie
    // is only sent to /api: with a token and no public reads, pages are never filled).
    let first = (wants_page && req.method() == Method::GET)
        .then(|| first_screen::Route::of(req.uri().path(), req.uri().query()))
        .flatten()
        .filter(|_| security::check_read(&state, req.headers()).is_ok());
    let mut res = next.run(req).await;
    let console = &state.inner.console;
    if res.status() == StatusCode::NOT_FOUND && wants_page {
        let filled = match &first {
            Some(route) => first_screen::render(state.source(), route)
                .await
                .and_then(|html| console.filled_page(&html, accepts_br)),
            None => None,
        };
        res = filled.unwrap_or_else(|| console.page(accepts_br));
    }
    let h = res.headers_mut();
    if let Ok(csp) = HeaderValue::from_str(&console.csp) {
        h.insert(header::CONTENT_SECURITY_POLICY, csp);
    }
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    if h.contains_key(header::CONTENT_ENCODING) && !h.contains_key(header::VARY) {
        // A precompressed file: a shared cache must not hand it to a browser that cannot read it.
        h.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    }
    if is_api {
        // API answers are live state (and may be private): never stored by a cache.
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    } else if !h.contains_key(header::CACHE_CONTROL) {
        // Hashed assets are cached for good; the page is revalidated, so a new build shows.
        let cache = if hashed && res.status() == StatusCode::OK {
            "public, max-age=31536000, immutable"
        } else {
            "no-cache"
        };
        res.headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_trunk_hashed_names_count_as_immutable() {
        assert!(is_hashed_asset("/rollout-console-b083ad91731f93b1_bg.wasm"));
        assert!(is_hashed_asset("/rollout-console-b083ad91731f93b1.js"));
        assert!(is_hashed_asset("/favicon-3eec446e1162f95c.svg"));
        assert!(is_hashed_asset("/base-35bab1f190657ff.css"), "15 digits");
        assert!(
            !is_hashed_asset("/rollouts/rol-deadbeefcafe"),
            "a route, not a file"
        );
        assert!(!is_hashed_asset("/index.html"));
        assert!(!is_hashed_asset("/rollouts/rol-abc123"));
        assert!(!is_hashed_asset("/app-notahexnumber0.js"));
    }

    #[test]
    fn finds_only_inline_scripts_and_styles() {
        let html = r#"<script src="/a.js"></script><script type="module">import x;</script>
            <style>.a{color:red}</style><style>.b{}</style>"#;
        assert_eq!(inline_blocks(html, "script"), vec!["import x;"]);
        assert_eq!(inline_blocks(html, "style"), vec![".a{color:red}", ".b{}"]);
    }

    #[test]
    fn accept_encoding_lists_are_read_with_their_weights() {
        assert!(accepts("gzip, deflate, br, zstd", "br"));
        assert!(accepts("br;q=0.5", "br"));
        assert!(!accepts("gzip, br;q=0", "br"));
        assert!(!accepts("gzip, brotli", "br"));
        assert!(!accepts("", "br"));
    }

    #[test]
    fn the_csp_allows_exactly_the_inline_blocks_by_hash() {
        let dist = std::env::temp_dir().join(format!("csp-{}", std::process::id()));
        std::fs::create_dir_all(&dist).unwrap();
        std::fs::write(
            dist.join("index.html"),
            "<script>a()</script><style>p{}</style>",
        )
        .unwrap();
        let csp = Console::load(&dist).csp;
        std::fs::remove_dir_all(&dist).unwrap();
        // sha256 of `a()` and of `p{}`, base64 (as Python's hashlib computes them).
        let script = "'sha256-qVpDBgj7bpq5hMAcGp3AOc79J3Y1Z4HvySTwKrWDoy4='";
        let style = "'sha256-gG2yISYereRMiG2lMXrbiUgi0Ubw9p7QCeWcroOvy9Y='";
        assert!(
            csp.contains(&format!("script-src 'self' 'wasm-unsafe-eval' {script};")),
            "{csp}"
        );
        assert!(csp.contains(&format!("style-src 'self' {style};")), "{csp}");
        assert!(!csp.contains("unsafe-inline"));
    }
}
