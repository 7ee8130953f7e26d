//! Rollout Console: the browser side. Mounts the app; everything else is in the modules.

mod api;
mod app;
mod components;
mod model;
mod pages;

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
}
