//! Rollout Console: the browser side. Mounts the app; everything else is in the modules.

mod api;
mod app;
mod components;
mod context;
mod dom;
mod model;
mod pages;
mod url;

fn main() {
    console_error_panic_hook::set_once();
    // Opened with the server's `#token=` link: the token becomes the session cookie before
    // anything (the live stream included) talks to the API.
    wasm_bindgen_futures::spawn_local(async {
        api::session::open().await;
        // index.html's shell (the bar, a loading note, maybe the server's first screen of the
        // page) gives way to the app: see dom/shell.rs.
        dom::shell::mount(app::App);
    });
}
