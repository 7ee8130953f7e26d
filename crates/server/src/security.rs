//! Who may talk to the server, and from where.
//!
//! - Host allow-list (DNS rebinding): a request naming a `Host` that is not a loopback name on
//!   the bound port, the bound address itself, or an `--allowed-host` value gets 421.
//! - Mutations: refused when read-only (403); with a token, the principal must be authenticated
//!   (401); a browser's `Origin` must be the host itself and `Sec-Fetch-Site` same-origin or
//!   none (403), so neither another site nor a sibling subdomain can post a form or a fetch.
//! - The token: `Authorization: Bearer` or the session cookie the console gets in exchange for
//!   it (`POST /api/v1/session`: HttpOnly, SameSite=Strict, so the EventSource carries it and no
//!   script can read it). With a token, reads need it too unless `--public-reads`.
//! - Start-up rules: tokens of fewer than 32 characters are refused; an address other than
//!   loopback needs a token unless `--insecure-no-auth`.

use crate::{ApiError, AppState};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};
use std::net::{IpAddr, SocketAddr};

/// Shortest token accepted.
pub const MIN_TOKEN_LEN: usize = 32;
/// The session cookie's name.
pub const SESSION_COOKIE: &str = "rollout_session";

/// Whether a token is long and plain enough to be one.
pub fn check_token(token: &str) -> Result<(), String> {
    if token.chars().count() < MIN_TOKEN_LEN {
        return Err(format!(
            "the token has {} characters; use at least {MIN_TOKEN_LEN} (e.g. `openssl rand -hex 32`)",
            token.chars().count()
        ));
    }
    if !token.bytes().all(|b| b.is_ascii_graphic()) {
        return Err("the token may hold only printable ASCII without spaces".into());
    }
    Ok(())
}

/// Whether serving on `addr` with this token is allowed: anything but loopback needs a token
/// unless the operator says otherwise.
pub fn check_exposure(
    addr: SocketAddr,
    token: Option<&str>,
    insecure_no_auth: bool,
) -> Result<(), String> {
    if addr.ip().is_loopback() || token.is_some() || insecure_no_auth {
        return Ok(());
    }
    Err(format!(
        "{addr} is reachable from other machines: set --token (at least {MIN_TOKEN_LEN} characters), \
         or pass --insecure-no-auth to serve it without one"
    ))
}

/// Who made a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Principal {
    /// The server has no token: whoever reaches it.
    Anonymous,
    /// The holder of the server's token (bearer header or session cookie).
    TokenHolder,
}

impl Principal {
    /// The actor recorded on actions.
    pub fn actor(self) -> &'static str {
        match self {
            Principal::Anonymous => "anonymous",
            Principal::TokenHolder => "token holder",
        }
    }
}

/// The cookie value standing for a token (not the token itself).
fn session_value(token: &str) -> String {
    let digest = Sha256::digest(format!("rollout-console-session:{token}").as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .trim()
        .split_once(' ')
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, t)| t.trim())
}

fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// The authenticated principal, or why not (401).
pub fn authenticate(state: &AppState, headers: &HeaderMap) -> Result<Principal, ApiError> {
    let Some(token) = &state.config().token else {
        return Ok(Principal::Anonymous);
    };
    if let Some(presented) = bearer(headers) {
        return if constant_time_eq(presented.as_bytes(), token.as_bytes()) {
            Ok(Principal::TokenHolder)
        } else {
            Err(ApiError::Unauthorized("wrong token".into()))
        };
    }
    if let Some(session) = cookie(headers, SESSION_COOKIE) {
        return if constant_time_eq(session.as_bytes(), session_value(token).as_bytes()) {
            Ok(Principal::TokenHolder)
        } else {
            Err(ApiError::Unauthorized(
                "the session has expired: open the console with its #token= link again".into(),
            ))
        };
    }
    Err(ApiError::Unauthorized(
        "this server needs its token: `Authorization: Bearer <token>`, or open the console with \
         the #token= link it printed"
            .into(),
    ))
}

/// The `Host` a request names (header, or the URI's authority under HTTP/2), lower-cased.
fn request_host(req: &Request) -> Option<String> {
    req.headers()
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
        .or_else(|| req.uri().authority().map(|a| a.as_str().to_string()))
        .map(|h| h.trim().to_ascii_lowercase())
}

/// `name` and port of `host[:port]` (`[::1]:8080` included).
fn split_host(host: &str) -> (&str, Option<u16>) {
    if let Some(rest) = host.strip_prefix('[') {
        if let Some((ip, after)) = rest.split_once(']') {
            let port = after.strip_prefix(':').and_then(|p| p.parse().ok());
            return (ip, port);
        }
    }
    match host.rsplit_once(':') {
        Some((name, port)) if !name.contains(':') => (name, port.parse().ok()),
        _ => (host, None),
    }
}

fn is_loopback_name(name: &str) -> bool {
    name == "localhost"
        || name.ends_with(".localhost")
        || name.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// Whether the server answers to `host`.
pub fn host_allowed(state: &AppState, host: &str) -> bool {
    let config = state.config();
    let (name, port) = split_host(host);
    let bound = config.bound;
    let port_ok = match (bound, port) {
        (Some(b), Some(p)) => b.port() == p,
        (Some(b), None) => b.port() == 80,
        (None, _) => true,
    };
    if port_ok && is_loopback_name(name) {
        return true;
    }
    if port_ok
        && bound.is_some_and(|b| {
            !b.ip().is_unspecified() && name.parse::<IpAddr>().ok() == Some(b.ip())
        })
    {
        return true;
    }
    config.allowed_hosts.iter().any(|allowed| {
        let allowed = allowed.to_ascii_lowercase();
        let (a_name, a_port) = split_host(&allowed);
        a_name == name && (a_port.is_none() || a_port == port)
    })
}

/// The Host allow-list in front of everything (API and console): 421 for any other name, so a
/// page on another domain that rebinds its name to this address reads and changes nothing.
pub async fn host_guard(State(state): State<AppState>, req: Request, next: Next) -> Response {
    match request_host(&req) {
        Some(host) if !host_allowed(&state, &host) => {
            let shown: String = host.chars().take(100).collect();
            let mut res = ApiError::Forbidden(format!(
                "this server does not answer to the host `{shown}`: start it with --allowed-host {shown} \
                 to allow it"
            ))
            .into_response();
            *res.status_mut() = StatusCode::MISDIRECTED_REQUEST;
            res
        }
        // No Host at all: not a browser (they always send one), e.g. an in-process test.
        _ => next.run(req).await,
    }
}

/// Who may change things: read-only refuses (403), the principal must be authenticated (401),
/// and a browser request must come from this very origin (403).
pub fn check_mutation(state: &AppState, headers: &HeaderMap) -> Result<Principal, ApiError> {
    if state.config().read_only {
        return Err(ApiError::Forbidden("this server is read-only".into()));
    }
    let principal = authenticate(state, headers)?;
    check_same_origin(headers)?;
    Ok(principal)
}

/// `Sec-Fetch-Site` must be same-origin or none (a typed URL, a tool), and an `Origin`, when
/// sent, must name the host the request went to.
pub fn check_same_origin(headers: &HeaderMap) -> Result<(), ApiError> {
    if let Some(site) = headers.get("sec-fetch-site") {
        if !matches!(site.as_bytes(), b"same-origin" | b"none") {
            return Err(ApiError::Forbidden(format!(
                "requests from another site ({}) may not change anything",
                site.to_str().unwrap_or("?")
            )));
        }
    }
    if let Some(origin) = headers.get(header::ORIGIN) {
        let origin = origin.to_str().unwrap_or("").to_ascii_lowercase();
        let host = headers
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .map(str::to_ascii_lowercase);
        let origin_host = origin
            .strip_prefix("http://")
            .or_else(|| origin.strip_prefix("https://"));
        let same = match (origin_host, host) {
            (Some(o), Some(h)) => o == h,
            // No Host to compare with (HTTP/2 or in-process): only a real origin passes.
            (Some(_), None) => true,
            _ => false,
        };
        if !same {
            return Err(ApiError::Forbidden(format!(
                "requests from the origin `{}` may not change anything",
                origin.chars().take(100).collect::<String>()
            )));
        }
    }
    Ok(())
}

/// Reads need the token too when the server has one (unless `--public-reads`).
pub async fn guard_read(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if let Err(e) = check_read(&state, req.headers()) {
        return e.into_response();
    }
    next.run(req).await
}

/// Whether a request may read rollouts: always without a token or with `--public-reads`, else
/// with the token (bearer or session cookie).
pub fn check_read(state: &AppState, headers: &HeaderMap) -> Result<(), ApiError> {
    let config = state.config();
    if config.token.is_some() && !config.public_reads {
        authenticate(state, headers)?;
    }
    Ok(())
}

/// `POST /api/v1/session`: the console trades the token (bearer) for the session cookie.
pub async fn create_session(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    check_same_origin(&headers)?;
    let Some(token) = &state.config().token else {
        return Ok(StatusCode::NO_CONTENT.into_response());
    };
    match bearer(&headers) {
        Some(p) if constant_time_eq(p.as_bytes(), token.as_bytes()) => {}
        Some(_) => return Err(ApiError::Unauthorized("wrong token".into())),
        None => {
            return Err(ApiError::Unauthorized(
                "send the token as `Authorization: Bearer <token>` to open a session".into(),
            ))
        }
    }
    let cookie = format!(
        "{SESSION_COOKIE}={}; Path=/api; HttpOnly; SameSite=Strict",
        session_value(token)
    );
    let mut res = StatusCode::NO_CONTENT.into_response();
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        res.headers_mut().insert(header::SET_COOKIE, v);
    }
    Ok(res)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_split_with_ipv6_and_ports() {
        assert_eq!(split_host("localhost:8080"), ("localhost", Some(8080)));
        assert_eq!(split_host("[::1]:8080"), ("::1", Some(8080)));
        assert_eq!(split_host("example.com"), ("example.com", None));
        assert!(is_loopback_name("127.0.0.1"));
        assert!(is_loopback_name("::1"));
        assert!(is_loopback_name("app.localhost"));
        assert!(!is_loopback_name("evil.example"));
        assert!(!is_loopback_name("127.0.0.1.evil.example"));
    }

    #[test]
    fn tokens_and_exposure() {
        assert!(check_token("short").is_err());
        assert!(check_token(&"x".repeat(32)).is_ok());
        assert!(check_token(&format!("{} ", "x".repeat(32))).is_err());
        let public: SocketAddr = "0.0.0.0:8080".parse().unwrap();
        let local: SocketAddr = "127.0.0.1:8080".parse().unwrap();
        assert!(check_exposure(local, None, false).is_ok());
        assert!(check_exposure(public, None, false).is_err());
        assert!(check_exposure(public, Some("t"), false).is_ok());
        assert!(check_exposure(public, None, true).is_ok());
    }
}
