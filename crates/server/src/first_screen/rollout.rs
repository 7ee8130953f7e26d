//! The first screen of `/rollouts/{id}`: what the rollout page shows above its phases: the
//! header (back link, where it runs, its id, name, status, times), the banners (a pause, a
//! failure) and the summary card (type, images, services, traffic split, replicas).

use super::html::Html;
use rollout_api::banner::{countdown, BannerRole};
use rollout_api::icon::IconKind;
use rollout_api::text::{
    format_exact, format_short, image_parts, replica_views, rollout_duration, services_text,
};
use rollout_api::{RolloutDetail, RolloutStatus, Timestamp, VersionStatus};

/// The page's `<div class="rollout-page">` with the header and the summary card.
pub fn rollout(d: &RolloutDetail, now: Timestamp) -> String {
    let mut h = Html::default();
    h.open("div", &[("class", "rollout-page")]);
    header(&mut h, d, now);
    banners(&mut h, d, now);
    summary(&mut h, d);
    h.close("div");
    h.into_string()
}

/// A button of the console that does nothing until it runs: drawn as the console draws it,
/// and announced as unavailable (`aria-disabled`, not `disabled`, which greys it out).
const INERT: (&str, &str) = ("aria-disabled", "true");

/// The console's `RolloutHeader`.
fn header(h: &mut Html, d: &RolloutDetail, now: Timestamp) {
    let pending = d.status == RolloutStatus::Pending;
    let running = d.end_time.is_none();
    let where_ = |h: &mut Html, label: &str, value: &str| {
        h.open("div", &[])
            .element("dt", &[], label)
            .element("dd", &[], value)
            .close("div");
    };
    h.open("header", &[("class", "rollout-header")])
        .open(
            "a",
            &[("href", "/rollouts"), ("class", "rollout-header__back")],
        )
        .icon(IconKind::ChevronLeft)
        .text("Rollouts")
        .close("a")
        .open("dl", &[("class", "rollout-header__where")]);
    where_(h, "Cluster", &d.cluster_id);
    where_(h, "Namespace", &d.namespace);
    h.open("div", &[])
        .element("dt", &[], "Rollout ID")
        .open("dd", &[("class", "rollout-header__id")])
        .element("code", &[], &d.id)
        .open("span", &[("class", "copy-button")])
        .open(
            "button",
            &[
                ("type", "button"),
                ("class", "btn copy-button__btn btn--ghost btn--icon"),
                ("aria-label", "Copy rollout ID"),
                ("title", "Copy rollout ID"),
                INERT,
            ],
        )
        .icon(IconKind::Copy)
        .close("button")
        .element(
            "span",
            &[("class", "copy-button__status"), ("role", "status")],
            "",
        )
        .close("span")
        .close("dd")
        .close("div")
        .close("dl");
    h.open("div", &[("class", "rollout-header__top")])
        .open("div", &[("class", "rollout-header__name")])
        .status_icon(d.status, d.status.label())
        .element("h1", &[], &d.spot_deployment.name)
        .close("div")
        .element(
            "span",
            &[("class", "chip chip--type")],
            d.strategy_type.label(),
        )
        .element(
            "span",
            &[("class", "rollout-header__status")],
            d.status.label(),
        )
        .open(
            "span",
            &[
                ("class", "rollout-header__time"),
                ("title", &format_exact(d.start_time)),
            ],
        )
        .text(if pending { "Created " } else { "Started " })
        .element(
            "time",
            &[("datetime", &d.start_time.to_rfc3339())],
            &format_short(d.start_time),
        )
        .close("span")
        .open("span", &[("class", "rollout-header__time")])
        .text(match (pending, running) {
            (true, _) => "Waiting for ",
            (false, true) => "Running for ",
            (false, false) => "Took ",
        })
        .element(
            "span",
            &[(
                "class",
                if running {
                    "rollout-header__duration rollout-header__duration--ticking"
                } else {
                    "rollout-header__duration"
                },
            )],
            &rollout_duration(d, now),
        )
        .close("span")
        .element(
            "button",
            &[
                ("type", "button"),
                ("class", "btn rollout-header__details"),
                ("aria-haspopup", "dialog"),
                ("aria-expanded", "false"),
                INERT,
            ],
            "Rollout details",
        )
        .close("div")
        .close("header");
}

/// The console's `RolloutBanners` (each a `Banner` box); empty, the box is not drawn
/// (`.rollout-banners:empty`).
fn banners(h: &mut Html, d: &RolloutDetail, now: Timestamp) {
    h.open("div", &[("class", "rollout-banners")]);
    for b in rollout_api::banner::banners(d) {
        let class = format!("banner banner--{}", b.tone.modifier());
        let role = if b.role == BannerRole::Alert {
            "alert"
        } else {
            "status"
        };
        h.open(
            "div",
            &[
                ("class", &class),
                ("role", role),
                ("data-banner", b.kind.hook()),
            ],
        )
        .open("span", &[("class", "banner__icon")])
        .icon(b.icon())
        .close("span")
        .open("div", &[("class", "banner__body")])
        .element("p", &[("class", "banner__title")], &b.title)
        .element("p", &[("class", "banner__text")], &b.text);
        if let Some(until) = b.countdown {
            h.open("p", &[("class", "banner__countdown"), ("aria-live", "off")])
                .text("Resumes in ")
                .element(
                    "strong",
                    &[("class", "banner__clock")],
                    &countdown(until, now),
                )
                .close("p");
        }
        if !b.todo.is_empty() {
            h.open("ul", &[("class", "banner__todo")]);
            for t in &b.todo {
                h.element("li", &[], t);
            }
            h.close("ul");
        }
        if let Some(l) = &b.link {
            h.element(
                "a",
                &[("href", &l.href), ("class", "banner__link")],
                &l.label,
            );
        }
        h.close("div").close("div");
    }
    h.close("div");
}

/// One labelled figure of the summary card; its value written by `value`.
fn item(
    h: &mut Html,
    class: &'static str,
    label: &str,
    value_class: &'static str,
    value: impl FnOnce(&mut Html),
) {
    h.open("div", &[("class", class)])
        .element("span", &[("class", "summary__label")], label)
        .open("span", &[("class", value_class)]);
    value(h);
    h.close("span").close("div");
}

/// An image, its name and tag always whole, the registry path shortened if need be.
fn image(h: &mut Html, full: &str, version: &'static str) {
    let (path, name) = image_parts(full);
    let class = format!("summary__image summary__image--{version}");
    h.open("code", &[("class", &class), ("title", full)])
        .element("span", &[("class", "summary__repo")], path)
        .element("span", &[("class", "summary__tag")], name)
        .close("code");
}

/// One version's replicas: who, an icon per replica, "3/3 ready"; or "none".
fn replicas(h: &mut Html, v: Option<&VersionStatus>, version: &'static str) {
    let Some(v) = v else {
        h.element("span", &[("class", "muted")], "none");
        return;
    };
    let who = format!("summary__who summary__who--{version}");
    h.open("span", &[("class", "summary__replicas")])
        .element("span", &[("class", &who)], version)
        .open("span", &[("class", "summary__icons")]);
    for r in replica_views(v, version) {
        let class = format!("replica replica--{version} replica--{}", r.health);
        h.element(
            "span",
            &[
                ("class", &class),
                ("role", "img"),
                ("aria-label", &r.label),
                ("title", &r.label),
            ],
            "",
        );
    }
    h.close("span").element(
        "span",
        &[("class", "summary__count")],
        &format!("{}/{} ready", v.replicas.ready, v.replicas.desired),
    );
    h.close("span");
}

/// The traffic bar: the console sizes its two parts with CSS custom properties set through the
/// CSSOM, which a page cannot do without a script; here each part is as wide as an SVG of the
/// same share of the bar's 180 px (style/rollout.css `.traffic-bar`).
fn traffic_bar(h: &mut Html, stable: u32, canary: u32) {
    h.open(
        "span",
        &[
            ("class", "traffic-bar"),
            ("role", "img"),
            (
                "aria-label",
                &format!("Traffic: stable {stable}%, canary {canary}%"),
            ),
        ],
    );
    for (class, pct) in [
        ("traffic-bar__stable", stable),
        ("traffic-bar__canary", canary),
    ] {
        let width = (f64::from(pct.min(100)) * 1.8).to_string();
        h.open("span", &[("class", class)])
            .open(
                "svg",
                &[
                    ("width", &width),
                    ("height", "6"),
                    ("aria-hidden", "true"),
                    ("focusable", "false"),
                ],
            )
            .close("svg")
            .close("span");
    }
    h.close("span");
}

/// The console's `SummaryLine`.
fn summary(h: &mut Html, d: &RolloutDetail) {
    let stable = d.stable_version_status.as_ref();
    let new = &d.new_version_status;
    let stable_pct = stable.map(|s| s.traffic_percentage).unwrap_or(0);
    h.open(
        "section",
        &[("class", "summary"), ("aria-label", "Summary")],
    );
    item(h, "summary__item", "Rollout type", "summary__value", |h| {
        h.element(
            "span",
            &[("class", "chip chip--canary")],
            d.strategy_type.label(),
        )
        .element("span", &[("class", "muted")], " vs ")
        .element("span", &[("class", "chip chip--stable")], "Stable");
    });
    item(
        h,
        "summary__item summary__item--wide",
        "Image",
        "summary__value summary__images",
        |h| {
            image(h, stable.map_or("none", |s| s.version.as_str()), "stable");
            h.element(
                "span",
                &[("class", "summary__arrow"), ("aria-hidden", "true")],
                "→",
            )
            .element("span", &[("class", "visually-hidden")], " to ");
            image(h, &new.version, "canary");
        },
    );
    item(
        h,
        "summary__item",
        "Kubernetes service",
        "summary__value",
        |h| {
            h.element("code", &[], &services_text(d));
        },
    );
    item(
        h,
        "summary__item",
        "Traffic split",
        "summary__value summary__traffic",
        |h| {
            h.open("span", &[])
                .element(
                    "span",
                    &[("class", "summary__who summary__who--stable")],
                    "Stable ",
                )
                .text(&format!("{stable_pct}%"))
                .text(" · ")
                .element(
                    "span",
                    &[("class", "summary__who summary__who--canary")],
                    "Canary ",
                )
                .text(&format!("{}%", new.traffic_percentage))
                .close("span");
            traffic_bar(h, stable_pct, new.traffic_percentage);
        },
    );
    item(
        h,
        "summary__item summary__item--wide",
        "Replicas",
        "summary__value summary__replica-rows",
        |h| {
            replicas(h, stable, "stable");
            replicas(h, Some(new), "canary");
        },
    );
    h.close("section");
}
