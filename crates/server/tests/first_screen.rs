//! The first screen: `/rollouts` and `/rollouts/{id}` come with the console's first frame as
//! HTML inside index.html's `<div id="first-screen">`; every other page is index.html as built.

mod common;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::*;
use tempfile::TempDir;

/// A built console's page as Trunk minifies it: the marker unquoted.
const INDEX: &str =
    "<!doctype html><html><head><script type=module>import init from '/app.js'; init();</script>\
    <style>p{}</style></head><body><main class=page id=main><p class=muted id=shell-status \
    role=status>Loading the console…</p><div id=first-screen></div></main></body></html>";

fn dist() -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("index.html"), INDEX).unwrap();
    // The build's brotli page: what an unfilled page is sent as to a browser taking brotli.
    std::fs::write(
        dir.path().join("index.html.br"),
        b"brotli bytes of index.html",
    )
    .unwrap();
    dir
}

async fn server(dist: &TempDir, demo: bool, token: Option<&str>) -> TestServer {
    start(Setup {
        dist: dist.path().to_path_buf(),
        demo,
        token: token.map(str::to_string),
        ..Default::default()
    })
    .await
}

/// The HTML inside the marker; empty when the page was not filled.
fn first_screen(page: &str) -> &str {
    let open = "<div id=first-screen>";
    let start = page.find(open).expect("the marker") + open.len();
    let end = page.rfind("</div></main>").expect("the marker's end");
    &page[start..end]
}

/// The element and attribute names of every tag (text is escaped: each `<` opens a tag, and
/// attribute values are double-quoted without `"` inside).
fn tags(html: &str) -> Vec<(String, Vec<String>)> {
    let mut out = Vec::new();
    for tag in html.split('<').skip(1) {
        let tag = &tag[..tag.find('>').expect("a closed tag")];
        if tag.starts_with('/') {
            continue;
        }
        let (name, mut rest) = tag.split_once(' ').unwrap_or((tag, ""));
        let mut attrs = Vec::new();
        while let Some((attr, after)) = rest.split_once("=\"") {
            attrs.push(attr.trim().to_string());
            rest = &after[after.find('"').expect("a closing quote") + 1..];
        }
        assert!(
            rest.trim().is_empty(),
            "an attribute without a value in <{tag}>"
        );
        out.push((name.to_string(), attrs));
    }
    out
}

/// No inline style, script or handler: the CSP would refuse them.
fn assert_csp_clean(html: &str) {
    for (name, attrs) in tags(html) {
        assert!(name != "script" && name != "style", "<{name}>");
        for a in attrs {
            assert!(a != "style" && !a.starts_with("on"), "<{name} {a}=…>");
        }
    }
    assert!(!html.contains("javascript:"));
}

async fn get_with(s: &TestServer, path: &str, encoding: &str) -> Answer {
    s.send(
        Request::get(path)
            .header("accept-encoding", encoding)
            .body(Body::empty())
            .unwrap(),
    )
    .await
}

#[tokio::test]
async fn the_rollouts_page_comes_with_the_default_view_written_out() {
    let dist = dist();
    let s = server(&dist, true, None).await;
    let list = s.get("/api/v1/rollouts?limit=1").await.json();
    let total = list["total"].as_u64().unwrap();
    let newest = list["items"][0]["id"].as_str().unwrap().to_string();
    let a = s.get("/rollouts").await;
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(a.header("cache-control"), "no-cache");
    assert!(a.header("content-type").starts_with("text/html"));
    let page = a.text();
    let html = first_screen(&page);
    assert!(html.starts_with("<section class=\"rollouts\""), "{html}");
    assert!(
        html.contains(&format!(">{total} rollouts in the last 7 days</p>")),
        "the count line"
    );
    // The summary bar of the listing, as the console words it.
    let summary = &list["summary"];
    assert!(html.contains(&format!(
        "<dd class=\"summary-bar__value summary-bar__value--attention\">{}</dd>",
        summary["attentionNeeded"]
    )));
    assert!(html.contains(&format!(
        "{}/{} · ",
        summary["successful"], summary["total"]
    )));
    // The filters are a GET form over the console's URL names.
    assert!(html.contains("<form class=\"filters\" role=\"search\" aria-label=\"Filter rollouts\" method=\"get\" action=\"/rollouts\">"));
    for name in [
        "range",
        "clusterId",
        "namespace",
        "spotDeployment",
        "status",
        "q",
    ] {
        assert!(html.contains(&format!(" name=\"{name}\"")), "{name}");
    }
    assert!(html.contains("<option value=\"7d\" selected=\"\">Last 7 days</option>"));
    assert!(html.contains("placeholder=\"Name, image, id, namespace…   ( / )\""));
    // The newest rollout is the first row, linked; at most a screenful of rows.
    let first_row = html.find("<tr class=\"rollouts-table__row\"").unwrap();
    assert!(html[first_row..].contains(&format!(
        "<a href=\"/rollouts/{newest}\" class=\"rollouts-table__link\""
    )));
    let rows = html.matches("<tr class=\"rollouts-table__row\"").count();
    assert_eq!(rows, (total as usize).min(30));
    assert!(html.contains(&format!("aria-rowcount=\"{}\"", total + 1)));
    // Ids are the console's own, prefixed: the app mounted beside it has `rollouts-title`.
    assert!(!html.contains("id=\"rollouts-title\""));
    assert_csp_clean(html);
    // Filled per request and compressed with it (brotli 6, web.rs), not the build's brotli
    // page: it reads back as the page (times in it may have moved on since).
    let br = get_with(&s, "/rollouts", "br").await;
    assert_eq!(br.header("content-encoding"), "br");
    assert!(br.header("content-type").starts_with("text/html"));
    assert_eq!(br.header("cache-control"), "no-cache");
    let mut decoded = String::new();
    std::io::Read::read_to_string(
        &mut brotli::Decompressor::new(br.body.as_slice(), 4096),
        &mut decoded,
    )
    .unwrap();
    let again = first_screen(&decoded);
    assert!(again.starts_with("<section class=\"rollouts\""), "{again}");
    assert_eq!(
        again.matches("<tr class=\"rollouts-table__row\"").count(),
        rows
    );
    // The CSP is the page's, as for any other page.
    assert_eq!(
        a.header("content-security-policy"),
        s.get("/workloads").await.header("content-security-policy")
    );
    assert!(a
        .header("content-security-policy")
        .contains("style-src 'self' 'sha256-"));
}

#[tokio::test]
async fn other_views_and_pages_are_index_html_as_built() {
    let dist = dist();
    let s = server(&dist, true, None).await;
    for path in [
        "/rollouts?status=paused",
        "/rollouts?q=checkout",
        "/rollouts/rol-nosuchrollout",
        "/rollouts/",
        "/workloads",
        "/",
    ] {
        let a = s.get(path).await;
        assert_eq!(a.status, StatusCode::OK, "{path}");
        assert_eq!(a.text(), INDEX, "{path}");
        let br = get_with(&s, path, "gzip, br").await;
        assert_eq!(
            br.body, b"brotli bytes of index.html",
            "{path}: the build's file"
        );
    }
    // Without rollouts in the window the console shows its empty state: nothing is written.
    let empty = server(&dist, false, None).await;
    assert_eq!(empty.get("/rollouts").await.text(), INDEX);
    // With a token (and no public reads) a page request carries no credentials (the session
    // cookie is for /api only): the rollouts are not shown to it.
    let guarded = server(&dist, true, Some("s3cret")).await;
    let page = guarded
        .send(Request::get("/rollouts").body(Body::empty()).unwrap())
        .await;
    assert_eq!(page.text(), INDEX);
}

#[tokio::test]
async fn a_rollout_page_comes_with_its_header_and_summary() {
    let dist = dist();
    let s = server(&dist, true, None).await;
    let list = s.get("/api/v1/rollouts?limit=1").await.json();
    let id = list["items"][0]["id"].as_str().unwrap().to_string();
    let d = s.get(&format!("/api/v1/rollouts/{id}")).await.json();
    for path in [
        format!("/rollouts/{id}"),
        format!("/rollouts/{id}?tab=diff"),
    ] {
        let a = s.get(&path).await;
        assert_eq!(a.status, StatusCode::OK);
        assert_eq!(a.header("cache-control"), "no-cache");
        let page = a.text();
        let html = first_screen(&page);
        assert!(html.starts_with("<div class=\"rollout-page\"><header class=\"rollout-header\"><a href=\"/rollouts\" class=\"rollout-header__back\">"), "{html}");
        assert!(html.contains(&format!("<code>{id}</code>")));
        assert!(html.contains(&format!(
            "<h1>{}</h1>",
            d["spotDeployment"]["name"].as_str().unwrap()
        )));
        assert!(html.contains(&format!("<dd>{}</dd>", d["clusterId"].as_str().unwrap())));
        // The new image, split as the console splits it.
        let image = d["newVersionStatus"]["version"].as_str().unwrap();
        let (repo, tag) = image.split_at(image.rfind('/').unwrap() + 1);
        assert!(html.contains(&format!(
            "<code class=\"summary__image summary__image--canary\" title=\"{image}\"><span class=\"summary__repo\">{repo}</span><span class=\"summary__tag\">{tag}</span></code>"
        )), "{html}");
        assert!(html.contains("<section class=\"summary\" aria-label=\"Summary\">"));
        assert!(html.contains("class=\"traffic-bar\" role=\"img\" aria-label=\"Traffic: stable "));
        assert!(!html.contains(" id="), "no ids the app has too");
        assert_csp_clean(html);
    }
}

#[tokio::test]
async fn hostile_text_is_written_as_text() {
    let dist = dist();
    let s = server(&dist, false, None).await;
    s.apply_ok(&app_v1()).await;
    let hostile = "registry.example.com/\"><script>alert(1)</script><img src=x onerror=alert(2)>/checkout:'1.42.0'&x";
    let v2 = V2.replace(
        "image: registry.example.com/payments/checkout:1.42.0",
        &format!("image: '{}'", hostile.replace('\'', "''")),
    );
    s.apply_ok(&v2).await;
    let list = s.get("/api/v1/rollouts").await.json();
    let item = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["image"] == hostile)
        .expect("the rollout of the hostile image");
    let id = item["id"].as_str().unwrap();
    for path in ["/rollouts".to_string(), format!("/rollouts/{id}")] {
        let page = s.get(&path).await.text();
        let html = first_screen(&page);
        assert!(
            html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "{path}: {html}"
        );
        assert!(html.contains("&quot;&gt;"), "{path}");
        assert!(html.contains("&#39;1.42.0&#39;&amp;x"), "{path}");
        assert!(
            !html.contains("<script") && !html.contains("<img"),
            "{path}"
        );
        assert_csp_clean(html);
    }
}

#[tokio::test]
async fn a_paused_rollout_comes_with_its_banner_and_a_running_one_with_none() {
    let dist = dist();
    let s = server(&dist, true, None).await;
    let list = s.get("/api/v1/rollouts?limit=100").await.json();
    let with_status = |status: &str| {
        list["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["status"] == status)
            .map(|r| r["id"].as_str().unwrap().to_string())
            .unwrap_or_else(|| panic!("a {status} rollout in the demo"))
    };
    let page = s
        .get(&format!("/rollouts/{}", with_status("paused")))
        .await
        .text();
    let html = first_screen(&page);
    let banners = html
        .find("<div class=\"rollout-banners\"><div class=\"banner banner--")
        .expect("a banner");
    let summary = html.find("<section class=\"summary\"").unwrap();
    assert!(
        banners < summary,
        "banners above the summary, as the console draws them"
    );
    assert!(html.contains("<p class=\"banner__title\">"));
    let page = s
        .get(&format!("/rollouts/{}", with_status("inProgress")))
        .await
        .text();
    assert!(first_screen(&page).contains("<div class=\"rollout-banners\"></div>"));
}
