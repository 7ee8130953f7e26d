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
    leptos::mount::mount_to_body(app::App);
}
