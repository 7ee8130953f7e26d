//! The page-wide alert that the server's controller has stopped on an error.

use crate::components::banner::Banner;
use crate::context::server_info::expect_server_info;
use crate::model::controller_health::controller_notice;
use leptos::prelude::*;

/// "The controller stopped on an error at … — rollouts are not advancing", with the error;
/// nothing while the controller runs.
#[component]
pub fn ControllerBanner() -> impl IntoView {
    let info = expect_server_info();
    let notice = Memo::new(move |_| {
        info.health
            .get()
            .and_then(|h| h.ok())
            .and_then(|h| controller_notice(&h))
    });
    move || {
        notice.get().map(|(title, detail)| {
            view! {
                <div class="controller-banner">
                    <Banner tone="danger" alert=true title=Signal::stored(title) kind="controller">
                        <p class="banner__text">{detail}</p>
                    </Banner>
                </div>
            }
        })
    }
}
