//! The search box's text: its own while typing, the URL's 100 ms after the last key (the
//! history entry replaced, not pushed), and the URL's again after Back / Forward or a link.

use crate::dom::debounce::Debounce;
use crate::model::list::ListQuery;
use leptos::prelude::*;
use std::time::Duration;

const SEARCH_DEBOUNCE: Duration = Duration::from_millis(100);

/// The text in the search box. `Copy`.
#[derive(Clone, Copy)]
pub struct SearchText {
    /// What the box shows.
    pub text: RwSignal<String>,
    /// What was last written to the URL.
    pushed: StoredValue<String>,
    debounce: Debounce,
    query: Memo<ListQuery>,
    on_change: Callback<(ListQuery, bool)>,
}

impl SearchText {
    pub fn new(query: Memo<ListQuery>, on_change: Callback<(ListQuery, bool)>) -> SearchText {
        let q = query.get_untracked().q;
        let search = SearchText {
            text: RwSignal::new(q.clone()),
            pushed: StoredValue::new(q),
            debounce: Debounce::new(SEARCH_DEBOUNCE),
            query,
            on_change,
        };
        Effect::new(move |_| {
            let q = query.with(|q| q.q.clone());
            if q != search.pushed.get_value() {
                // Back / forward or a link changed the search: show it.
                search.pushed.set_value(q.clone());
                search.text.set(q);
            }
        });
        search
    }

    /// Takes what the box holds now.
    pub fn type_text(self, value: String) {
        self.text.set(value.clone());
        self.debounce.call(move || {
            self.pushed.set_value(value.clone());
            let mut q = self.query.get_untracked();
            q.q = value;
            self.on_change.run((q, true));
        });
    }

    /// Empties the box at once (the caller changes the URL).
    pub fn forget(self) {
        self.debounce.cancel();
        self.pushed.set_value(String::new());
        self.text.set(String::new());
    }
}
