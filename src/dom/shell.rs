//! index.html's shell: the top bar, a loading note and, for the rollouts list and a rollout's
//! page, the server's first screen of that page (plain HTML, real data) — all painted before the
//! wasm ran. With a first screen on display the app mounts hidden beside the shell and takes its
//! place when the page has its own data on screen ([`reveal`]): the screen goes from the
//! server's copy to the live one with no blank or "Loading…" frame between them. Without one,
//! the app replaces the shell at once. A page whose code is a lazy part of the wasm (src/app.rs)
//! keeps the first screen until that part has arrived, however long it takes.

use leptos::prelude::{document, set_timeout, IntoView};
use std::cell::{Cell, RefCell};
use std::time::Duration;
use wasm_bindgen::JsCast as _;
use web_sys::{HtmlInputElement, HtmlSelectElement};

/// The shell's root (index.html).
const SHELL: &str = "shell";
/// Where the server puts the first screen (index.html).
const FIRST_SCREEN: &str = "first-screen";
/// The app's root while it waits, hidden (style/layout.css), and after.
const ROOT: &str = "app";
const PENDING: &str = "app--pending";
/// The longest the first screen stays once the app runs, should its page never say it is
/// ready (a page with nothing to load, a request that hangs): the app's own state is the truth
/// by then.
const AT_MOST: Duration = Duration::from_secs(4);

/// Mounts `app`: at once in the shell's place, or hidden until [`reveal`] when the server sent
/// a first screen.
pub fn mount<F, N>(app: F)
where
    F: FnOnce() -> N + 'static,
    N: IntoView,
{
    let doc = document();
    let first_screen = doc
        .get_element_by_id(FIRST_SCREEN)
        .is_some_and(|e| e.child_element_count() > 0);
    let body = doc.body().expect("a document has a body");
    if !first_screen {
        // In the same task as the mount: the browser never paints a frame without a bar.
        if let Some(shell) = doc.get_element_by_id(SHELL) {
            shell.remove();
        }
        leptos::mount::mount_to_body(app);
        return;
    }
    let root = doc
        .create_element("div")
        .expect("a div")
        .unchecked_into::<web_sys::HtmlElement>();
    root.set_id(ROOT);
    root.set_class_name(PENDING);
    body.append_child(&root).expect("the body takes a child");
    leptos::mount::mount_to(root, app).forget();
    set_timeout(
        || {
            if PART_PENDING.get() {
                REVEAL_WITH_PART.set(true);
            } else {
                reveal();
            }
        },
        AT_MOST,
    );
}

thread_local! {
    /// The page's code is a lazy part still on its way.
    static PART_PENDING: Cell<bool> = const { Cell::new(false) };
    /// The time to reveal came while it was: reveal as it arrives.
    static REVEAL_WITH_PART: Cell<bool> = const { Cell::new(false) };
}

/// The page being opened has its code in a lazy part, not yet run.
pub fn part_pending() {
    PART_PENDING.set(true);
}

/// The page's lazy part has arrived and its view is being made. Until then the first screen
/// stays, even past [`AT_MOST`]: the app has nothing of the page to show in its place (while
/// the part's fetch is retried, the shell's status says so: scripts/wasm-split/lazy-parts.mjs).
/// From here the page has [`AT_MOST`] again to say its data is on screen.
pub fn part_loaded() {
    PART_PENDING.set(false);
    if REVEAL_WITH_PART.take() {
        set_timeout(reveal, AT_MOST);
    }
}

/// What a person did to the first screen's form before the app took over, for the app to carry
/// on with (nothing typed is lost in the hand-over).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Carried {
    /// The fields that hold something, by name (the names are the page's URL query names),
    /// when any of them was changed.
    pub fields: Option<Vec<(String, String)>>,
    /// The search box had the focus.
    pub search_focused: bool,
}

thread_local! {
    /// What the first screen's form held when it went, until its page takes it.
    static CARRIED: RefCell<Option<Carried>> = const { RefCell::new(None) };
}

/// The page has its data on screen: the shell goes and the app shows, in one task. Pages with
/// a first screen call it when their first load ends (well or not); a navigation calls it too.
/// Only the first call does anything. What a person had done to the first screen's form is
/// kept for [`take_carried`].
pub fn reveal() {
    let doc = document();
    let Some(shell) = doc.get_element_by_id(SHELL) else {
        return;
    };
    CARRIED.set(carried(&doc));
    shell.remove();
    if let Some(root) = doc.get_element_by_id(ROOT) {
        root.set_class_name("");
    }
}

/// The first screen's search box, while the first screen is on display.
pub fn first_screen_search() -> Option<HtmlInputElement> {
    document()
        .query_selector(&format!("#{FIRST_SCREEN} input[type=search]"))
        .ok()??
        .dyn_into()
        .ok()
}

/// What the first screen's form held when the app took over, once (the page it was for takes
/// it; a navigation elsewhere drops it).
pub fn take_carried() -> Option<Carried> {
    CARRIED.take()
}

/// The first screen's form, if a person changed a field or is in the search box.
fn carried(doc: &web_sys::Document) -> Option<Carried> {
    let form = doc
        .query_selector(&format!("#{FIRST_SCREEN} form"))
        .ok()??;
    let fields = form.query_selector_all("input[name], select[name]").ok()?;
    let (mut changed, mut held) = (false, Vec::new());
    for node in (0..fields.length()).filter_map(|i| fields.item(i)) {
        let (name, value, initial) = if let Some(input) = node.dyn_ref::<HtmlInputElement>() {
            (input.name(), input.value(), input.default_value())
        } else if let Some(select) = node.dyn_ref::<HtmlSelectElement>() {
            // The option the page came with: the one marked selected, else the first.
            let initial = select
                .query_selector("option[selected]")
                .ok()
                .flatten()
                .or_else(|| select.query_selector("option").ok().flatten())
                .and_then(|o| o.get_attribute("value"))
                .unwrap_or_default();
            (select.name(), select.value(), initial)
        } else {
            continue;
        };
        changed |= value != initial;
        if !value.is_empty() {
            held.push((name, value));
        }
    }
    let search_focused = doc.active_element().is_some_and(|a| {
        form.contains(Some(&a)) && a.get_attribute("type").as_deref() == Some("search")
    });
    (changed || search_focused).then(|| Carried {
        fields: changed.then_some(held),
        search_focused,
    })
}
