//! The CRD diff tab's data: the two manifests, their line diff (computed after the tab
//! painted), and the view's own state (layout, unfolded stretches, how many lines are shown).

use crate::api::client::{self, ApiError};
use crate::components::export_tools::save;
use crate::model::diff::{self, compute, LineDiff};
use crate::model::export::ExportFile;
use leptos::prelude::*;
use rollout_api::Manifests;
use std::collections::HashSet;
use std::time::Duration;

/// Lines rendered before a "Show more" button.
pub const FIRST_LINES: usize = 600;

/// `/manifests` of one rollout and its diff. `Copy`.
#[derive(Clone, Copy)]
pub struct DiffData {
    pub rollout_id: Signal<String>,
    pub fetched: LocalResource<Result<Manifests, ApiError>>,
    /// The diff, once computed (under similar's time budget).
    pub computed: RwSignal<Option<LineDiff>>,
    /// Side by side rather than unified.
    pub split: RwSignal<bool>,
    /// Folded stretches the user opened (by first line).
    pub expanded: RwSignal<HashSet<usize>>,
    /// How many lines may be rendered.
    pub budget: RwSignal<usize>,
}

impl DiffData {
    pub fn new(rollout_id: Signal<String>) -> DiffData {
        let fetched = LocalResource::new(move || {
            let id = rollout_id.get();
            async move { client::manifests(&id).await }
        });
        let computed = RwSignal::new(None::<LineDiff>);
        Effect::new(move |_| {
            if let Some(Ok(m)) = fetched.get() {
                computed.set(None);
                set_timeout(
                    move || computed.set(Some(compute(&m.old_manifest, &m.new_manifest))),
                    Duration::from_millis(0),
                );
            }
        });
        DiffData {
            rollout_id,
            fetched,
            computed,
            split: RwSignal::new(false),
            expanded: RwSignal::new(HashSet::new()),
            budget: RwSignal::new(FIRST_LINES),
        }
    }

    /// The manifests, once read.
    pub fn manifests(self) -> Option<Manifests> {
        self.fetched.get().and_then(Result::ok)
    }

    /// True when there is a previous version to compare with.
    pub fn has_old(self) -> bool {
        self.fetched
            .with(|f| matches!(f, Some(Ok(m)) if !m.old_manifest.is_empty()))
    }

    /// What Export offers: the diff and both versions, or only this one.
    pub fn files(self) -> &'static [ExportFile] {
        if self.has_old() {
            &[ExportFile::Diff, ExportFile::OldYaml, ExportFile::NewYaml]
        } else {
            &[ExportFile::NewYaml]
        }
    }

    /// "revision 3 → revision 4: +12 −3 lines", once the diff is computed.
    pub fn summary(self) -> Option<String> {
        let m = self.manifests()?;
        let d = self.computed.get()?;
        let from = m
            .old_version
            .map_or("previous".into(), |v| format!("revision {v}"));
        Some(format!(
            "{from} → revision {}: +{} −{} lines",
            m.new_version, d.added, d.removed
        ))
    }

    /// Saves the diff or one of the versions.
    pub fn export(self, file: ExportFile) {
        let Some(m) = self.fetched.get_untracked().and_then(Result::ok) else {
            return;
        };
        let text = match file {
            ExportFile::Diff => unified(&m),
            ExportFile::OldYaml => m.old_manifest,
            _ => m.new_manifest,
        };
        save(file, &self.rollout_id.get_untracked(), &text);
    }

    /// The unified diff (or this version's YAML when there is no previous one), and the
    /// confirmation to show.
    pub fn copy(self) -> (String, String) {
        match self.fetched.get_untracked().and_then(Result::ok) {
            Some(m) if !m.old_manifest.is_empty() => {
                let text = unified(&m);
                let lines = text.lines().count();
                (text, format!("Copied the unified diff ({lines} lines)"))
            }
            Some(m) => (m.new_manifest, "Copied this rollout's YAML".into()),
            None => (String::new(), "Nothing to copy".into()),
        }
    }
}

fn unified(m: &Manifests) -> String {
    let name = diff::manifest_name(&m.new_manifest).unwrap_or_else(|| "spotdeployment".into());
    diff::unified(&m.old_manifest, &m.new_manifest, &name)
}
