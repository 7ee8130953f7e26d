use leptos::prelude::*;

/// One labelled select over a facet's values, with an "all" choice first.
#[component]
pub fn FacetSelect(
    /// The visible label and accessible name.
    label: &'static str,
    /// The text of the empty choice, e.g. "All clusters".
    all: &'static str,
    /// The values to offer.
    options: Signal<Vec<String>>,
    /// The chosen value, if any.
    value: Signal<Option<String>>,
    /// Called with the chosen value ("" for all).
    on_pick: Callback<String>,
) -> impl IntoView {
    view! {
        <label class="filters__field">
            <span class="filters__label">{label}</span>
            <select
                class="filters__control"
                on:change=move |ev| on_pick.run(event_target_value(&ev))
            >
                <option value="" prop:selected=move || value.with(|v| v.is_none())>
                    {all}
                </option>
                {move || {
                    options
                        .get()
                        .into_iter()
                        .map(|o| {
                            let selected = {
                                let o = o.clone();
                                move || value.with(|v| v.as_deref() == Some(o.as_str()))
                            };
                            view! {
                                <option value=o.clone() prop:selected=selected>
                                    {o.clone()}
                                </option>
                            }
                        })
                        .collect_view()
                }}
            </select>
        </label>
    }
}
