//! The page-wide notice that the console shows a snapshot of Kubernetes objects.

use crate::components::banner::Banner;
use crate::context::server_info::expect_server_info;
use crate::model::kubernetes::snapshot_notice;
use leptos::prelude::*;

/// "Snapshot taken at … · read-only" with what it holds; nothing when the server runs live.
#[component]
pub fn SnapshotBanner() -> impl IntoView {
    let info = expect_server_info();
    let notice = Memo::new(move |_| {
        info.health
            .get()
            .and_then(|h| h.ok())
            .and_then(|h| h.snapshot)
            .map(|s| snapshot_notice(&s))
    });
    move || {
        notice.get().map(|(title, detail)| {
            view! {
                <div class="snapshot-banner">
                    <Banner tone="info" title=Signal::stored(title) kind="snapshot">
                        <p class="banner__text">{detail}</p>
                    </Banner>
                </div>
            }
        })
    }
}
