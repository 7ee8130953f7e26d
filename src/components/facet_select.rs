use leptos::prelude::*;
use rollout_api::text::escape_html;

/// One labelled select over a facet's values, with an "all" choice first.
///
/// A facet can have thousands of values (10,000 rollouts over a few thousand SpotDeployments):
/// the options are written as one piece of HTML, and only when the list itself changes (not
/// when another filter or the search changes what the page shows), so loading and typing do
/// not build thousands of elements one reactive node at a time.
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
    let select = NodeRef::<leptos::html::Select>::new();
    let list = Memo::new(move |_| options.get());
    let html = Memo::new(move |_| list.with(|values| options_html(all, values)));
    // Memos: a search keystroke changes the query but neither of these.
    let chosen = Memo::new(move |_| value.get());
    Effect::new(move |_| {
        let Some(el) = select.get() else {
            return;
        };
        html.with(|h| el.set_inner_html(h));
        // After the options exist (a value the list lacks leaves "all" chosen).
        el.set_value(chosen.get().as_deref().unwrap_or(""));
    });
    view! {
        <label class="filters__field">
            <span class="filters__label">{label}</span>
            <select
                class="filters__control"
                node_ref=select
                on:change=move |ev| on_pick.run(event_target_value(&ev))
            ></select>
        </label>
    }
}

/// `<option>`s for "all" (value "") and each value, text escaped.
fn options_html(all: &str, values: &[String]) -> String {
    let mut out =
        String::with_capacity(32 + values.iter().map(|v| 2 * v.len() + 40).sum::<usize>());
    let mut push = |value: &str, text: &str| {
        out.push_str("<option value=\"");
        escape_html(&mut out, value);
        out.push_str("\">");
        escape_html(&mut out, text);
        out.push_str("</option>");
    };
    push("", all);
    for v in values {
        push(v, v);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_are_escaped_and_all_comes_first() {
        let html = options_html("All namespaces", &["a&b".into(), "<x \"y\">".into()]);
        assert_eq!(
            html,
            "<option value=\"\">All namespaces</option>\
             <option value=\"a&amp;b\">a&amp;b</option>\
             <option value=\"&lt;x &quot;y&quot;&gt;\">&lt;x &quot;y&quot;&gt;</option>"
        );
    }
}
