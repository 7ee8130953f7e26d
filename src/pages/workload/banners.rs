//! The workload's banners: Degraded with its two ways out, and an invalid spec with what to fix.

use super::degraded_banner::DegradedBanner;
use crate::components::banner::Banner;
use crate::context::fleet::expect_fleet;
use crate::model::degraded::degraded_help;
use crate::model::workloads::active_revision;
use crate::url;
use leptos::prelude::*;
use leptos_router::components::A;
use rollout_api::{RolloutStatus, Workload};

#[component]
pub fn WorkloadBanners(
    /// The workload, live.
    workload: Memo<Option<Workload>>,
) -> impl IntoView {
    let fleet = expect_fleet();
    let origin = web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default();
    let help =
        Memo::new(move |_| workload.with(|w| w.as_ref().and_then(|w| degraded_help(w, &origin))));
    // The rollout held by an invalid spec, with the server's message once its detail is read.
    let invalid = Memo::new(move |_| {
        let id = workload.with(|w| {
            w.as_ref()
                .and_then(active_revision)
                .filter(|r| r.status == Some(RolloutStatus::InvalidSpec))
                .and_then(|r| r.rollout_id.clone())
        })?;
        let message = fleet
            .details
            .with(|d| d.get(&id).and_then(|d| d.conditions.invalid_spec.clone()));
        Some((id, message))
    });
    view! {
        {move || help.get().map(|h| view! { <DegradedBanner help=h /> })}
        {move || {
            invalid
                .get()
                .map(|(id, message)| {
                    view! {
                        <Banner
                            tone="attention"
                            alert=true
                            title="Invalid spec: the rollout cannot go on"
                            kind="invalid-spec"
                        >
                            <p>{message.unwrap_or_else(|| "Reading what to fix…".into())}</p>
                            <p>
                                "Fix the YAML and apply it: the rollout resumes by itself, without applying the SpotDeployment again. "
                                <A href=url::rollout(&id)>"Open the rollout"</A>
                            </p>
                        </Banner>
                    }
                })
        }}
    }
}
