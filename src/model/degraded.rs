//! What a Degraded workload means and the two ways out, with the exact commands for it.
//!
//! Degraded: the latest rollout was rolled back, so the stable (live) version runs while the
//! SpotDeployment still asks for the rolled-back one (desired ≠ live). Applying the live version
//! again removes it (nothing rolls out); applying a new version removes it and starts a rollout.

use crate::model::list_rows::short_image;
use crate::model::workloads::degraded_revisions;
use rollout_api::Workload;

/// The address `rollout-server apply` / `set-image` talk to when not told otherwise.
pub const DEFAULT_SERVER: &str = "http://127.0.0.1:8080";

/// One command to copy, with what it does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Command {
    pub label: String,
    pub text: String,
}

/// A way out of Degraded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WayOut {
    pub title: &'static str,
    pub detail: String,
    pub commands: Vec<Command>,
}

/// The banner's content for a Degraded workload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DegradedHelp {
    pub summary: String,
    pub ways: Vec<WayOut>,
}

/// A word safe in a shell command as is, or single-quoted.
fn shell(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_./:=@,+%".contains(&b));
    if plain {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

/// The commands that set `image` on the workload, for its source: the rollout server for a
/// SpotDeployment of the embedded engine, `kubectl` for a Kubernetes kind.
fn set_image(w: &Workload, image: &str, manifest: &str, server: &str) -> Vec<Command> {
    let container = if w.container.is_empty() {
        "CONTAINER"
    } else {
        w.container.as_str()
    };
    let assignment = shell(&format!("{container}={image}"));
    let (ns, name) = (shell(&w.namespace), shell(&w.name));
    let file = shell(manifest);
    let apply_label = format!("Or apply {manifest}");
    match w.kind.as_str() {
        "SpotDeployment" => {
            let server = if server == DEFAULT_SERVER {
                String::new()
            } else {
                format!(" --server {}", shell(server))
            };
            vec![
                Command {
                    label: "Set the image".into(),
                    text: format!(
                        "rollout-server set-image {ns}/{name} {assignment} --cluster {}{server}",
                        shell(&w.cluster_id)
                    ),
                },
                Command {
                    label: apply_label,
                    text: format!("rollout-server apply -f {file}{server}"),
                },
            ]
        }
        kind => {
            let set = if kind == "Rollout" {
                format!("kubectl argo rollouts set image {name} {assignment} -n {ns}")
            } else {
                format!(
                    "kubectl set image {}/{name} {assignment} -n {ns}",
                    kind.to_lowercase()
                )
            };
            vec![
                Command {
                    label: format!("Set the image (cluster {})", w.cluster_id),
                    text: set,
                },
                Command {
                    label: apply_label,
                    text: format!("kubectl apply -n {ns} -f {file}"),
                },
            ]
        }
    }
}

/// The explanation and the two ways out, or None when the workload is not Degraded.
/// `server`: the address of the server this console talks to (named in the commands when it is
/// not the default).
pub fn degraded_help(w: &Workload, server: &str) -> Option<DegradedHelp> {
    let (desired, live) = degraded_revisions(w)?;
    let summary = format!(
        "Revision {} ({}) was rolled back, so revision {} ({}) still runs as stable while the {} \
         asks for revision {}.",
        desired.revision,
        short_image(&desired.image),
        live.revision,
        short_image(&live.image),
        w.kind,
        desired.revision
    );
    Some(DegradedHelp {
        summary,
        ways: vec![
            WayOut {
                title: "Apply the live version again",
                detail: format!(
                    "Back to revision {} ({}): the rolled-back version leaves the {}, nothing \
                     rolls out, and Degraded is removed.",
                    live.revision, live.image, w.kind
                ),
                commands: set_image(
                    w,
                    &live.image,
                    &format!("{}-revision-{}.yaml", w.name, live.revision),
                    server,
                ),
            },
            WayOut {
                title: "Apply a new version",
                detail: "A fixed version replaces the rolled-back one: Degraded is removed and \
                         the new version rolls out."
                    .into(),
                commands: set_image(w, "NEW_IMAGE", &format!("{}.yaml", w.name), server),
            },
        ],
    })
}

/// What to say when a workload seen Degraded (`before`) is no longer (`after`): the live
/// version was applied again, or a new version was; None when Degraded was not removed.
pub fn removed_notice(before: &Workload, after: &Workload) -> Option<String> {
    if !before.degraded || after.degraded {
        return None;
    }
    let desired = after
        .revisions
        .iter()
        .find(|r| r.revision == after.desired_revision)?;
    let what = if after.desired_revision == after.live_revision {
        format!(
            "revision {} ({}) is desired and live again",
            desired.revision,
            short_image(&desired.image)
        )
    } else {
        format!(
            "revision {} ({}) rolls out",
            desired.revision,
            short_image(&desired.image)
        )
    };
    Some(format!("Applied: Degraded removed — {what}."))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::workloads::fixtures::{degraded, healthy};

    #[test]
    fn a_degraded_workload_gets_the_commands_to_apply_its_live_version() {
        let help = degraded_help(&degraded(), DEFAULT_SERVER).unwrap();
        assert_eq!(
            help.summary,
            "Revision 3 (api:4.3.0) was rolled back, so revision 2 (api:4.2.0) still runs as \
             stable while the SpotDeployment asks for revision 3."
        );
        let live = &help.ways[0];
        assert_eq!(live.title, "Apply the live version again");
        assert_eq!(
            live.commands[0].text,
            "rollout-server set-image payments/payments-api \
             app=registry.example.com/payments/api:4.2.0 --cluster prod-us-east"
        );
        assert_eq!(
            live.commands[1].text,
            "rollout-server apply -f payments-api-revision-2.yaml"
        );
        assert_eq!(
            live.commands[1].label,
            "Or apply payments-api-revision-2.yaml"
        );
        let new = &help.ways[1];
        assert!(new.commands[0].text.contains("app=NEW_IMAGE"));
    }

    #[test]
    fn another_server_is_named_and_a_cluster_source_gets_kubectl() {
        let help = degraded_help(&degraded(), "http://127.0.0.1:4567").unwrap();
        assert!(help.ways[0].commands[0]
            .text
            .ends_with("--cluster prod-us-east --server http://127.0.0.1:4567"));
        let mut w = degraded();
        w.kind = "Rollout".into();
        let help = degraded_help(&w, DEFAULT_SERVER).unwrap();
        assert_eq!(
            help.ways[0].commands[0].text,
            "kubectl argo rollouts set image payments-api \
             app=registry.example.com/payments/api:4.2.0 -n payments"
        );
        assert_eq!(
            help.ways[0].commands[1].text,
            "kubectl apply -n payments -f payments-api-revision-2.yaml"
        );
        w.kind = "Deployment".into();
        let help = degraded_help(&w, DEFAULT_SERVER).unwrap();
        assert!(help.ways[0].commands[0]
            .text
            .starts_with("kubectl set image deployment/payments-api "));
    }

    #[test]
    fn removing_degraded_is_announced_once_with_what_runs_now() {
        let before = degraded();
        let mut live_again = degraded();
        live_again.degraded = false;
        live_again.desired_revision = live_again.live_revision;
        assert_eq!(
            removed_notice(&before, &live_again).unwrap(),
            "Applied: Degraded removed — revision 2 (api:4.2.0) is desired and live again."
        );
        let mut new_version = degraded();
        new_version.degraded = false;
        new_version.desired_revision = 3;
        assert_eq!(
            removed_notice(&before, &new_version).unwrap(),
            "Applied: Degraded removed — revision 3 (api:4.3.0) rolls out."
        );
        assert_eq!(removed_notice(&live_again, &live_again), None);
        assert_eq!(removed_notice(&before, &before), None);
    }

    #[test]
    fn not_degraded_means_no_banner_and_odd_words_are_quoted() {
        assert_eq!(degraded_help(&healthy(), DEFAULT_SERVER), None);
        assert_eq!(shell("a b'c"), r"'a b'\''c'");
        assert_eq!(shell("app=reg.io/x:1"), "app=reg.io/x:1");
    }
}
