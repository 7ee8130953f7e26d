use crate::api::client;
use crate::components::diff_view::DiffTable;
use crate::model::action_preview::preview;
use crate::model::diff::compute;
use leptos::prelude::*;
use rollout_api::{ActionKind, Manifests, RolloutDetail};
use std::collections::HashSet;

/// Lines of the compact diff drawn before "Show more".
const COMPACT_LINES: usize = 60;

/// What Roll back, Retry or Promote all leave live: the traffic change, the image change and
/// the SpotDeployment diff (the CRD diff tab's view, compact). Nothing for other actions.
#[component]
pub fn ActionPreviewPanel(
    /// The rollout acted on.
    #[prop(into)]
    detail: Signal<RolloutDetail>,
    /// The action waiting for confirmation.
    #[prop(into)]
    kind: Signal<Option<ActionKind>>,
) -> impl IntoView {
    let shown = Memo::new(move |_| kind.get().and_then(|k| detail.with(|d| preview(k, d))));
    // The manifests are read when a preview opens (and not again on every live update).
    let wanted = Memo::new(move |_| {
        shown
            .with(Option::is_some)
            .then(|| detail.with(|d| d.id.clone()))
    });
    let manifests = LocalResource::new(move || {
        let id = wanted.get();
        async move {
            match id {
                Some(id) => Some(client::manifests(&id).await),
                None => None,
            }
        }
    });
    let diff = move || {
        let backwards = shown.with(|p| p.as_ref().is_some_and(|p| p.backwards));
        match manifests.get().flatten() {
            None => {
                view! { <p class="muted">"Reading the SpotDeployment versions…"</p> }.into_any()
            }
            Some(Err(e)) => view! {
                <p class="error" role="alert">
                    {format!("The versions could not be read: {e}")}
                </p>
            }
            .into_any(),
            Some(Ok(m)) if m.old_manifest.is_empty() => {
                view! { <p class="muted">"No previous desired state to compare with."</p> }
                    .into_any()
            }
            Some(Ok(m)) => compact_diff(&m, backwards).into_any(),
        }
    };
    move || {
        shown.get().map(|p| {
            view! {
                <section class="preview" aria-labelledby="preview-title">
                    <h3 class="preview__title" id="preview-title">
                        "What will be live afterwards"
                    </h3>
                    <dl class="preview__facts">
                        <div>
                            <dt>"Traffic"</dt>
                            <dd>{p.traffic}</dd>
                        </div>
                        <div>
                            <dt>"Image"</dt>
                            <dd>
                                <code>{p.image_from}</code>
                                " → "
                                <code>{p.image_to}</code>
                            </dd>
                        </div>
                    </dl>
                    {diff}
                </section>
            }
        })
    }
}

/// The SpotDeployment change: this rollout's version → the previous one when going back.
fn compact_diff(m: &Manifests, backwards: bool) -> impl IntoView {
    let (old, new) = (
        m.old_version
            .map_or("previous".into(), |v| format!("revision {v}")),
        format!("revision {}", m.new_version),
    );
    let (d, caption) = if backwards {
        (
            compute(&m.new_manifest, &m.old_manifest),
            format!("SpotDeployment {new} → {old}"),
        )
    } else {
        (
            compute(&m.old_manifest, &m.new_manifest),
            format!("SpotDeployment {old} → {new}"),
        )
    };
    let caption = format!("{caption}: +{} −{} lines", d.added, d.removed);
    view! {
        <p class="preview__caption">{caption}</p>
        <div class="preview__diff" role="region" aria-label="SpotDeployment change" tabindex="0">
            <DiffTable
                diff=d
                expanded=RwSignal::new(HashSet::new())
                budget=RwSignal::new(COMPACT_LINES)
                label="SpotDeployment change"
                sides=["Line now", "Live now", "Line afterwards", "Afterwards"]
            />
        </div>
    }
}
