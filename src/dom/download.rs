//! Browser glue for exporting text: save it as a file, or put it on the clipboard.
//!
//! No component here: plain functions other components and pages call from event handlers.

use wasm_bindgen::{JsCast, JsValue};

/// Saves `text` as a file named `filename` with the MIME type `mime` (e.g. `"application/yaml"`,
/// `"text/csv"`), through a temporary object URL and a hidden `<a download>`.
pub fn download_text(filename: &str, mime: &str, text: &str) {
    let _ = try_download(filename, mime, text);
}

fn try_download(filename: &str, mime: &str, text: &str) -> Result<(), JsValue> {
    let window = web_sys::window().ok_or("no window")?;
    let document = window.document().ok_or("no document")?;
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)?;
    let anchor: web_sys::HtmlAnchorElement = document.create_element("a")?.unchecked_into();
    anchor.set_href(&url);
    anchor.set_download(filename);
    anchor.set_attribute("hidden", "")?;
    let body = document.body().ok_or("no body")?;
    body.append_child(&anchor)?;
    anchor.click();
    body.remove_child(&anchor)?;
    // Revoked later, not now: some browsers read the blob only after `click` returned.
    leptos::prelude::set_timeout(
        move || {
            let _ = web_sys::Url::revoke_object_url(&url);
        },
        std::time::Duration::from_secs(30),
    );
    Ok(())
}

/// Copies `text` to the clipboard. Fails with a readable reason when the browser refuses
/// (no clipboard in an insecure context, permission denied).
pub async fn copy_text(text: &str) -> Result<(), String> {
    let window = web_sys::window().ok_or_else(|| "no browser window".to_string())?;
    let navigator = window.navigator();
    let has_clipboard = js_sys::Reflect::get(&navigator, &JsValue::from_str("clipboard"))
        .map(|v| !v.is_undefined() && !v.is_null())
        .unwrap_or(false);
    if !has_clipboard {
        return Err("the clipboard is not available on this page".into());
    }
    let promise = navigator.clipboard().write_text(text);
    wasm_bindgen_futures::JsFuture::from(promise)
        .await
        .map(|_| ())
        .map_err(|e| {
            e.as_string()
                .or_else(|| {
                    js_sys::Reflect::get(&e, &JsValue::from_str("message"))
                        .ok()
                        .and_then(|m| m.as_string())
                })
                .unwrap_or_else(|| "the browser refused to copy".into())
        })
}
