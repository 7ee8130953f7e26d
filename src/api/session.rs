//! The server's token, when the console was opened with the link the server printed
//! (`…/#token=…`): the fragment is never sent in a request nor written to a log. The token is
//! taken out of the address bar (and its history entry) at once and traded for the server's
//! session cookie (HttpOnly, SameSite=Strict), which every request and the EventSource then
//! carry; no script can read it, and the token is kept nowhere.

use gloo_net::http::Request;
use wasm_bindgen::JsValue;

/// The fragment's `token=` value and the fragment without it.
pub fn split_token(fragment: &str) -> (Option<String>, String) {
    let mut token = None;
    let mut rest = Vec::new();
    for part in fragment.trim_start_matches('#').split('&') {
        match part.strip_prefix("token=") {
            Some(t) if !t.is_empty() => token = Some(t.to_string()),
            Some(_) => {}
            None if part.is_empty() => {}
            None => rest.push(part),
        }
    }
    (token, rest.join("&"))
}

/// Trades a `#token=` for the session cookie; does nothing without one. Call before the app
/// talks to the API.
pub async fn open() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let location = window.location();
    let (Some(token), rest) = split_token(&location.hash().unwrap_or_default()) else {
        return;
    };
    let token: String = js_sys::decode_uri_component(&token)
        .map(String::from)
        .unwrap_or(token);
    let clean = format!(
        "{}{}{}",
        location.pathname().unwrap_or_default(),
        location.search().unwrap_or_default(),
        if rest.is_empty() {
            String::new()
        } else {
            format!("#{rest}")
        }
    );
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&clean));
    }
    // A wrong token shows as the API's 401 on the first read, with its message.
    let _ = Request::post("/api/v1/session")
        .header("Authorization", &format!("Bearer {token}"))
        .send()
        .await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_token_is_split_from_the_rest_of_the_fragment() {
        assert_eq!(
            split_token("#token=abc"),
            (Some("abc".into()), String::new())
        );
        assert_eq!(
            split_token("#panel=phases&token=abc&x=1"),
            (Some("abc".into()), "panel=phases&x=1".into())
        );
        assert_eq!(split_token("#panel=phases"), (None, "panel=phases".into()));
        assert_eq!(split_token(""), (None, String::new()));
    }
}
