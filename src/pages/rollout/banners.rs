//! The banners at the top of the detailed rollout page.

use crate::components::banner::Banner as BannerBox;
use crate::model::rollout_view::{countdown, Banner, BannerRole};
use chrono::{DateTime, Utc};
use leptos::prelude::*;
use leptos_router::components::A;

/// Every banner that holds now: what is happening, what it means, what the user can do.
#[component]
pub fn RolloutBanners(
    /// The banners, most important first (see `model::rollout_view::banners`).
    #[prop(into)]
    banners: Signal<Vec<Banner>>,
    /// The current time (server clock), for countdowns.
    #[prop(into)]
    now: Signal<DateTime<Utc>>,
) -> impl IntoView {
    view! {
        <div class="rollout-banners">
            <For each=move || banners.get() key=|b| b.clone() let:b>
                <BannerBox
                    tone=b.tone.modifier()
                    alert=b.role == BannerRole::Alert
                    title=b.title.clone()
                    kind=b.kind.hook()
                    icon=Some(b.icon())
                >
                    <p class="banner__text">{b.text.clone()}</p>
                    {b
                        .countdown
                        .map(|until| {
                            view! {
                                <p class="banner__countdown" aria-live="off">
                                    "Resumes in "
                                    <strong class="banner__clock">
                                        {move || countdown(until, now.get())}
                                    </strong>
                                </p>
                            }
                        })}
                    {(!b.todo.is_empty())
                        .then(|| {
                            view! {
                                <ul class="banner__todo">
                                    {b
                                        .todo
                                        .iter()
                                        .map(|t| view! { <li>{t.clone()}</li> })
                                        .collect_view()}
                                </ul>
                            }
                        })}
                    {b
                        .link
                        .clone()
                        .map(|l| {
                            view! {
                                <A href=l.href attr:class="banner__link">
                                    {l.label}
                                </A>
                            }
                        })}
                </BannerBox>
            </For>
        </div>
    }
}
