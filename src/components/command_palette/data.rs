//! The palette's state: the query, the entries it matches, the active one, recent choices
//! (kept in local storage), and what choosing does.

use crate::context::fleet::expect_fleet;
use crate::context::palette::Palette;
use crate::model::palette::{
    action_entry, fleet_entries, ranked, remember, PaletteEntry, PaletteTarget,
};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use leptos_router::NavigateOptions;

const RECENT_KEY: &str = "palette-recent";
/// Entries shown at most.
const SHOWN: usize = 40;

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

fn read_recent() -> Vec<String> {
    let text = storage().and_then(|s| s.get_item(RECENT_KEY).ok().flatten());
    text.map(|t| t.lines().map(String::from).collect())
        .unwrap_or_default()
}

#[derive(Clone, Copy)]
pub struct PaletteState {
    pub query: RwSignal<String>,
    pub active: RwSignal<usize>,
    pub results: Memo<Vec<PaletteEntry>>,
    pub choose: Callback<PaletteEntry>,
}

impl PaletteState {
    pub fn new(palette: Palette) -> PaletteState {
        let fleet = expect_fleet();
        let query = RwSignal::new(String::new());
        let recent = RwSignal::new(read_recent());
        let results = Memo::new(move |_| {
            let mut entries = palette.actions.with(|a| match a {
                // The page that registered them may be going away (its signals disposed
                // before its cleanup takes them back): then there is nothing to offer.
                Some(a) => a
                    .items
                    .try_with(|items| {
                        let name = a.name.try_get().unwrap_or_default();
                        let usable = items.iter().filter(|i| i.enabled && !i.busy);
                        usable
                            .map(|i| action_entry(i.value, &i.label, &name))
                            .collect()
                    })
                    .unwrap_or_default(),
                None => Vec::new(),
            });
            entries.extend(fleet.workloads.with(|w| fleet_entries(w)));
            query.with(|q| recent.with(|r| ranked(&entries, q, r, SHOWN)))
        });
        let active = RwSignal::new(0);
        Effect::new(move |_| {
            query.track();
            active.set(0);
        });
        let navigate = use_navigate();
        let choose = Callback::new(move |entry: PaletteEntry| {
            recent.update(|r| *r = remember(r, &entry.key));
            if let Some(s) = storage() {
                let _ = s.set_item(RECENT_KEY, &recent.get_untracked().join("\n"));
            }
            palette.open.set(false);
            query.set(String::new());
            match entry.target {
                PaletteTarget::Go(href) => navigate(&href, NavigateOptions::default()),
                // After the palette gave focus back, so the dialog returns it there too.
                PaletteTarget::Act(kind) => {
                    let actions = palette.actions.get_untracked();
                    request_animation_frame(move || {
                        if let Some(a) = actions {
                            a.choose.run(kind);
                        }
                    });
                }
            }
        });
        PaletteState {
            query,
            active,
            results,
            choose,
        }
    }

    /// ↑ ↓ move the active entry, Enter chooses it; true when the key was used.
    pub fn on_key(self, key: &str) -> bool {
        let count = self.results.with(Vec::len);
        match key {
            "ArrowDown" if count > 0 => self.active.update(|a| *a = (*a + 1) % count),
            "ArrowUp" if count > 0 => self.active.update(|a| *a = (*a + count - 1) % count),
            "Enter" => {
                let entry = self
                    .results
                    .with(|r| r.get(self.active.get_untracked()).cloned());
                if let Some(e) = entry {
                    self.choose.run(e);
                }
            }
            _ => return false,
        }
        true
    }
}
