//! A server someone may expose: DNS rebinding and form-CSRF probes are refused, the token is
//! traded for an HttpOnly cookie, the actor is who authenticated, API answers are never cached
//! and JSON is compressed (the stream is not).

mod common;
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use common::*;
use serde_json::json;

const TOKEN: &str = "security-test-token-0123456789abcdef";

async fn bound_server() -> TestServer {
    start(Setup {
        bound: Some("127.0.0.1:8080".parse().unwrap()),
        allowed_hosts: vec!["rollouts.example.com".into()],
        ..Default::default()
    })
    .await
}

fn with_host(method: &str, path: &str, host: &str) -> axum::http::request::Builder {
    Request::builder()
        .method(method)
        .uri(path)
        .header(header::HOST, host)
}

#[tokio::test]
async fn dns_rebinding_probes_get_421() {
    let s = bound_server().await;
    for host in [
        "evil.example",
        "evil.example:8080",
        "127.0.0.1:9999",
        "localhost:80",
    ] {
        let a = s
            .send(
                with_host("GET", "/api/v1/rollouts", host)
                    .body(Body::empty())
                    .unwrap(),
            )
            .await;
        assert_eq!(a.status, StatusCode::MISDIRECTED_REQUEST, "{host}");
        assert!(a.message().contains("--allowed-host"), "{}", a.text());
        let a = s
            .send(
                with_host("POST", "/api/v1/apply", host)
                    .header(header::CONTENT_TYPE, "application/yaml")
                    .body(Body::from(app_v1()))
                    .unwrap(),
            )
            .await;
        assert_eq!(a.status, StatusCode::MISDIRECTED_REQUEST, "{host}");
        let a = s
            .send(with_host("GET", "/", host).body(Body::empty()).unwrap())
            .await;
        assert_eq!(
            a.status,
            StatusCode::MISDIRECTED_REQUEST,
            "{host} (console)"
        );
    }
    assert_eq!(s.get("/api/v1/rollouts").await.status, StatusCode::OK);
    for host in [
        "127.0.0.1:8080",
        "localhost:8080",
        "[::1]:8080",
        "LOCALHOST:8080",
        "rollouts.example.com",
        "rollouts.example.com:443",
    ] {
        let a = s
            .send(
                with_host("GET", "/api/v1/rollouts", host)
                    .body(Body::empty())
                    .unwrap(),
            )
            .await;
        assert_eq!(a.status, StatusCode::OK, "{host}");
    }
}

#[tokio::test]
async fn form_csrf_probes_are_refused() {
    let s = bound_server().await;
    let host = "127.0.0.1:8080";
    // A plain HTML form on another origin of the same site: text/plain, Origin elsewhere.
    let a = s
        .send(
            with_host("POST", "/api/v1/apply", host)
                .header(header::CONTENT_TYPE, "text/plain")
                .header(header::ORIGIN, "http://127.0.0.1:3000")
                .header("sec-fetch-site", "same-site")
                .body(Body::from(app_v1()))
                .unwrap(),
        )
        .await;
    assert!(
        matches!(
            a.status,
            StatusCode::FORBIDDEN | StatusCode::UNSUPPORTED_MEDIA_TYPE
        ),
        "{}",
        a.status
    );
    // Even with the right type, another origin or a same-site fetch changes nothing.
    for (origin, site) in [
        (Some("http://127.0.0.1:3000"), None),
        (Some("null"), None),
        (None, Some("same-site")),
        (None, Some("cross-site")),
        (Some("http://127.0.0.1:8080"), Some("same-site")),
    ] {
        let mut req = with_host("POST", "/api/v1/apply", host)
            .header(header::CONTENT_TYPE, "application/yaml");
        if let Some(o) = origin {
            req = req.header(header::ORIGIN, o);
        }
        if let Some(site) = site {
            req = req.header("sec-fetch-site", site);
        }
        let a = s.send(req.body(Body::from(app_v1())).unwrap()).await;
        assert_eq!(a.status, StatusCode::FORBIDDEN, "{origin:?} {site:?}");
    }
    assert_eq!(
        s.get("/api/v1/health").await.json()["rollouts"],
        0,
        "nothing was applied"
    );
    // The console itself (same origin) passes.
    let a = s
        .send(
            with_host("POST", "/api/v1/apply", host)
                .header(header::CONTENT_TYPE, "application/yaml")
                .header(header::ORIGIN, "http://127.0.0.1:8080")
                .header("sec-fetch-site", "same-origin")
                .body(Body::from(app_v1()))
                .unwrap(),
        )
        .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
}

#[tokio::test]
async fn the_token_is_traded_for_an_http_only_cookie() {
    let s = start(Setup {
        token: Some(TOKEN.into()),
        ..Default::default()
    })
    .await;
    let anonymous = |path: &str| Request::get(path).body(Body::empty()).unwrap();
    assert_eq!(
        s.send(anonymous("/api/v1/rollouts")).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        s.send(anonymous("/api/v1/stream")).await.status,
        StatusCode::UNAUTHORIZED
    );
    // Without or with a wrong token: no session.
    let a = s
        .send(
            Request::post("/api/v1/session")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(a.status, StatusCode::UNAUTHORIZED);
    let a = s
        .send(
            Request::post("/api/v1/session")
                .header(header::AUTHORIZATION, "Bearer nope")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(a.status, StatusCode::UNAUTHORIZED);
    let a = s.post("/api/v1/session", "application/json", "").await;
    assert_eq!(a.status, StatusCode::NO_CONTENT, "{}", a.text());
    let cookie = a.header("set-cookie");
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Strict"), "{cookie}");
    assert!(!cookie.contains(TOKEN), "the cookie is not the token");
    let pair = cookie.split(';').next().unwrap().to_string();
    let with_cookie = |path: &str, method: &str| {
        Request::builder()
            .method(method)
            .uri(path)
            .header(header::COOKIE, format!("theme=dark; {pair}"))
    };
    let a = s
        .send(
            with_cookie("/api/v1/rollouts", "GET")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(a.status, StatusCode::OK);
    let a = s
        .send(
            with_cookie("/api/v1/sim/advance", "POST")
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(r#"{"seconds":1}"#))
                .unwrap(),
        )
        .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
    let a = s
        .send(
            Request::get("/api/v1/rollouts")
                .header(header::COOKIE, "rollout_session=forged")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(a.status, StatusCode::UNAUTHORIZED);

    // --public-reads opens reads only.
    let open = start(Setup {
        token: Some(TOKEN.into()),
        public_reads: true,
        ..Default::default()
    })
    .await;
    assert_eq!(
        open.send(anonymous("/api/v1/rollouts")).await.status,
        StatusCode::OK
    );
    let a = open
        .send(
            Request::post("/api/v1/sim/advance")
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(r#"{"seconds":1}"#))
                .unwrap(),
        )
        .await;
    assert_eq!(a.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_actor_is_who_authenticated() {
    let s = start(Setup {
        token: Some(TOKEN.into()),
        ..Default::default()
    })
    .await;
    let id = s.start_example_rollout().await;
    s.advance(20).await;
    let a = s
        .post_json(
            &format!("/api/v1/rollouts/{id}/actions"),
            json!({"action": "pause", "actor": "the CEO"}),
        )
        .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
    let core = s.state.source().engine().unwrap().clone();
    let log = core.read(|e| e.action_log().to_vec()).await;
    assert_eq!(log.last().unwrap().actor, "token holder");
}

#[tokio::test]
async fn api_answers_are_not_cached_and_json_is_compressed() {
    let s = manual().await;
    s.apply_ok(&app_v1()).await;
    let gz = |path: &str| {
        Request::get(path)
            .header(header::ACCEPT_ENCODING, "gzip")
            .body(Body::empty())
            .unwrap()
    };
    let a = s.send(gz("/api/v1/workloads")).await;
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(a.header("cache-control"), "no-store");
    assert_eq!(a.header("content-encoding"), "gzip");
    // Brotli (at a per-request quality) for a browser that takes it, as Chromium does.
    let a = s
        .send(
            Request::get("/api/v1/workloads")
                .header(header::ACCEPT_ENCODING, "gzip, deflate, br, zstd")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(a.header("content-encoding"), "br");
    let a = s.send(gz("/api/v1/nothing")).await;
    assert_eq!(a.header("cache-control"), "no-store");
    // The stream is never compressed (each event must reach the browser at once).
    let res = tower::ServiceExt::oneshot(s.app.clone(), gz("/api/v1/stream"))
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.headers().get(header::CONTENT_ENCODING).is_none());
    assert_eq!(res.headers()[header::CACHE_CONTROL], "no-store");
}
