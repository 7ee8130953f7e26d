//! The command palette's app-wide state: whether it is open, and the actions the page on
//! screen offers to it (the rollout page registers its actions while it is shown).

use crate::components::menu::MenuItem;
use crate::dom::keys::on_shortcut;
use crate::dom::shell;
use leptos::prelude::*;
use rollout_api::ActionKind;

/// The actions of the rollout on screen, as its actions menu has them.
#[derive(Clone)]
pub struct PageActions {
    /// The rollout's name, said with each action ("on payments-api").
    pub name: Signal<String>,
    pub items: Memo<Vec<MenuItem<ActionKind>>>,
    /// Opens the same confirmation dialog the menu opens.
    pub choose: Callback<ActionKind>,
}

#[derive(Clone, Copy)]
pub struct Palette {
    pub open: RwSignal<bool>,
    pub actions: RwSignal<Option<PageActions>>,
}

impl Palette {
    /// Offers `actions` for as long as the calling component lives.
    pub fn register(self, actions: PageActions) {
        self.actions.set(Some(actions));
        on_cleanup(move || {
            let _ = self.actions.try_set(None);
        });
    }
}

/// Provides the palette; Ctrl-K (⌘-K) opens it from anywhere.
pub fn provide_palette() -> Palette {
    let palette = Palette {
        open: RwSignal::new(false),
        actions: RwSignal::new(None),
    };
    on_shortcut("k", move || {
        // The palette is the app's: opened while the server's first screen stands in for the
        // page, the app takes over at once (as with a navigation), or it would open unseen.
        shell::reveal();
        palette.open.set(true);
    });
    provide_context(palette);
    palette
}

pub fn expect_palette() -> Palette {
    expect_context::<Palette>()
}
