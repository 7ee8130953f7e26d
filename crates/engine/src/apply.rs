//! `apply`: a YAML stream is read and checked whole (nothing is stored when a document is
//! wrong), then entities are stored (SpotDeployments last, so they see the RolloutSpec applied
//! with them), SpotDeployments start rollouts, and invalidSpec rollouts are looked at again.

use crate::entities::Kind;
use crate::model::*;
use crate::position::Seg;
use crate::validate::{self, entity_field_at, DocError, Parsed, SplitDoc, SpotDeploymentInfo};
use crate::{api, ApplyError, Engine};
use std::sync::Arc;

use api::{ApplyOutcome, EventType, RolloutStatus};

/// Where a document names its cluster by annotation.
const ANNOTATION_CLUSTER: &[Seg] = &[
    Seg::Key("metadata"),
    Seg::Key("annotations"),
    Seg::Key(validate::ANN_CLUSTER),
];

impl Engine {
    pub(crate) fn apply_stream(
        &mut self,
        stream: validate::ParsedStream,
    ) -> Result<api::ApplyResponse, ApplyError> {
        let validate::ParsedStream { docs, parsed } = stream;
        let mut clusters_of = Vec::with_capacity(docs.len());
        for checked in self.engine_checks(&docs, &parsed) {
            clusters_of.push(checked?);
        }
        self.store_stream(&docs, &parsed, &clusters_of)
    }

    /// The checks that need what the engine knows (clusters, other documents), on every
    /// document: the cluster it goes to (SpotDeployments, Services with the annotation), or
    /// what is wrong with it.
    pub(crate) fn engine_checks(
        &self,
        docs: &[SplitDoc],
        parsed: &[Parsed],
    ) -> Vec<Result<Option<String>, ApplyError>> {
        let stream_specs: Vec<validate::RolloutSpecInfo> = parsed
            .iter()
            .filter_map(|p| match p {
                Parsed::RolloutSpec(s) => Some(s.clone()),
                _ => None,
            })
            .collect();
        docs.iter()
            .zip(parsed)
            .map(|(d, p)| {
                let at = |e: DocError| validate::ParsedStream::error_at(d, e);
                Ok(match p {
                    Parsed::RolloutSpec(s) => {
                        self.known_cluster(
                            &s.cluster_id,
                            &d.text,
                            &[Seg::Key("spotDeployment"), Seg::Key("clusterId")],
                            "spotDeployment.clusterId",
                        )
                        .map_err(at)?;
                        None
                    }
                    Parsed::Service(s) => {
                        if let Some(c) = &s.cluster_annotation {
                            self.known_cluster(
                                c,
                                &d.text,
                                ANNOTATION_CLUSTER,
                                "metadata.annotations.oceancd.spot.io/cluster-id",
                            )
                            .map_err(at)?;
                        }
                        s.cluster_annotation.clone()
                    }
                    Parsed::SpotDeployment(sd) => Some(
                        self.spot_deployment_cluster(sd, &stream_specs, &d.text)
                            .map_err(at)?,
                    ),
                    _ => None,
                })
            })
            .collect()
    }

    /// Stores a checked stream (all of it): entities, then SpotDeployments, then invalidSpec
    /// rollouts looked at again.
    fn store_stream(
        &mut self,
        docs: &[SplitDoc],
        parsed: &[Parsed],
        clusters_of: &[Option<String>],
    ) -> Result<api::ApplyResponse, ApplyError> {
        let mut resp = api::ApplyResponse::default();
        let before_invalid: Vec<usize> = (0..self.rollouts.len())
            .filter(|&i| self.rollouts[i].status == RolloutStatus::InvalidSpec)
            .collect();
        let mut order: Vec<usize> = (0..parsed.len()).collect();
        order.sort_by_key(|&i| matches!(parsed[i], Parsed::SpotDeployment(_)));
        let mut outcomes = vec![None; parsed.len()];
        for i in order {
            let text = &docs[i].text;
            let outcome = match &parsed[i] {
                Parsed::SpotDeployment(sd) => {
                    let cluster = clusters_of[i].clone().unwrap_or_default();
                    self.apply_spot_deployment(text, sd, &cluster, &mut resp)
                }
                p => self.upsert_entity(p, clusters_of[i].as_deref(), text),
            };
            outcomes[i] = Some(outcome);
        }
        for (p, outcome) in parsed.iter().zip(outcomes) {
            resp.applied.push(api::AppliedEntity {
                kind: p.kind().name().into(),
                name: p.name().into(),
                namespace: p.namespace().map(str::to_string),
                outcome: outcome.unwrap_or(ApplyOutcome::Unchanged),
            });
        }
        // A fixed definition resumes rollouts in invalidSpec.
        for ri in before_invalid {
            if self.rollouts[ri].status != RolloutStatus::InvalidSpec {
                continue;
            }
            self.try_start(ri);
            if self.rollouts[ri].status != RolloutStatus::InvalidSpec {
                let id = self.rollouts[ri].id.clone();
                self.rollout_event(
                    ri,
                    EventType::Normal,
                    "SpecFixed",
                    "The definition is valid again: the rollout resumes".into(),
                );
                resp.messages.push(self.say(
                    format!("Rollout {id} resumed: its definition is valid again"),
                    format!("Rollout {id} would resume: its definition would be valid again"),
                ));
                resp.rollouts_resumed.push(id);
            }
        }
        Ok(resp)
    }

    /// `id` names a cluster the engine knows; else an error at `path` (`field` in words).
    fn known_cluster(
        &self,
        id: &str,
        text: &str,
        path: &[Seg],
        field: &str,
    ) -> Result<(), DocError> {
        if self.clusters.iter().any(|c| c.id == id) {
            return Ok(());
        }
        let known: Vec<&str> = self.clusters.iter().map(|c| c.id.as_str()).collect();
        let (line, column) = entity_field_at(text, path);
        Err(DocError {
            message: format!(
                "{field}: unknown cluster `{id}` (known: {})",
                known.join(", ")
            ),
            line,
            column,
        })
    }

    /// Which cluster a SpotDeployment goes to: its `oceancd.spot.io/cluster-id` annotation, else
    /// the cluster of the RolloutSpec naming it, else the only cluster, else where it already runs.
    fn spot_deployment_cluster(
        &self,
        sd: &SpotDeploymentInfo,
        stream_specs: &[validate::RolloutSpecInfo],
        text: &str,
    ) -> Result<String, DocError> {
        if let Some(c) = &sd.cluster_annotation {
            self.known_cluster(
                c,
                text,
                ANNOTATION_CLUSTER,
                "metadata.annotations.oceancd.spot.io/cluster-id",
            )?;
            return Ok(c.clone());
        }
        let mut candidates: Vec<String> = stream_specs
            .iter()
            .filter(|s| s.namespace == sd.namespace && s.spot_deployment == sd.name)
            .map(|s| s.cluster_id.clone())
            .collect();
        for (_, p) in self.entities_of_kind(Kind::RolloutSpec) {
            if let Parsed::RolloutSpec(s) = p {
                if s.namespace == sd.namespace && s.spot_deployment == sd.name {
                    candidates.push(s.cluster_id.clone());
                }
            }
        }
        candidates.sort();
        candidates.dedup();
        match candidates.len() {
            1 => return Ok(candidates.remove(0)),
            0 => {}
            _ => {
                let (line, column) = entity_field_at(text, &[Seg::Key("metadata")]);
                return Err(DocError {
                    message: format!(
                        "metadata: RolloutSpecs on several clusters ({}) name SpotDeployment {}/{}: add the annotation oceancd.spot.io/cluster-id",
                        candidates.join(", "),
                        sd.namespace,
                        sd.name
                    ),
                    line,
                    column,
                });
            }
        }
        if self.clusters.len() == 1 {
            return Ok(self.clusters[0].id.clone());
        }
        let existing: Vec<&WorkloadRecord> = self
            .workloads
            .iter()
            .filter(|w| w.namespace == sd.namespace && w.name == sd.name)
            .collect();
        if existing.len() == 1 {
            return Ok(existing[0].cluster_id.clone());
        }
        let (line, column) = entity_field_at(text, &[Seg::Key("metadata")]);
        Err(DocError {
            message: format!(
                "metadata: cannot tell which cluster SpotDeployment {}/{} runs in: apply a RolloutSpec naming it (spotDeployment.clusterId) or add the annotation oceancd.spot.io/cluster-id",
                sd.namespace, sd.name
            ),
            line,
            column,
        })
    }

    /// What a message says: what was done, or in a dry run what would be.
    fn say(&self, done: String, would: String) -> String {
        if self.dry_run {
            would
        } else {
            done
        }
    }

    /// The stored entity a document would replace.
    pub(crate) fn existing_entity(
        &self,
        parsed: &Parsed,
        cluster_id: Option<&str>,
    ) -> Option<usize> {
        let namespace = parsed.namespace();
        self.catalog
            .named(parsed.kind().name(), parsed.name())
            .iter()
            .copied()
            .find(|&i| {
                let e = &self.entities[i];
                e.namespace.as_deref() == namespace && e.cluster_id.as_deref() == cluster_id
            })
    }

    fn upsert_entity(
        &mut self,
        parsed: &Parsed,
        cluster_id: Option<&str>,
        text: &str,
    ) -> ApplyOutcome {
        let now = self.now;
        let (kind, name, namespace) = (parsed.kind(), parsed.name(), parsed.namespace());
        let kind_name = kind.name();
        let existing = self.existing_entity(parsed, cluster_id);
        match existing {
            Some(i) if self.entities[i].yaml.trim() == text.trim() => ApplyOutcome::Unchanged,
            Some(i) => {
                let e = &mut self.entities[i];
                e.yaml = text.to_string();
                e.applied_at = now;
                let key = crate::Keyed::key(&*e);
                self.touched.entities.insert(key);
                self.catalog.replace(i, Some(Arc::new(parsed.clone())));
                ApplyOutcome::Configured
            }
            None => {
                let record = EntityRecord {
                    kind: kind_name.into(),
                    name: name.into(),
                    namespace: namespace.map(str::to_string),
                    cluster_id: cluster_id.map(str::to_string),
                    yaml: text.to_string(),
                    applied_at: now,
                };
                let i = self.entities.len();
                self.catalog
                    .insert(i, &record, Some(Arc::new(parsed.clone())));
                self.touched.entities.insert(crate::Keyed::key(&record));
                self.entities.push(record);
                ApplyOutcome::Created
            }
        }
    }

    fn next_revision(&self, w: &WorkloadRecord) -> u32 {
        self.manifests
            .iter()
            .filter(|m| {
                m.cluster_id == w.cluster_id && m.namespace == w.namespace && m.name == w.name
            })
            .map(|m| m.revision)
            .max()
            .unwrap_or(0)
            + 1
    }

    fn apply_spot_deployment(
        &mut self,
        text: &str,
        sd: &SpotDeploymentInfo,
        cluster_id: &str,
        resp: &mut api::ApplyResponse,
    ) -> ApplyOutcome {
        let now = self.now;
        self.upsert_entity(&Parsed::SpotDeployment(sd.clone()), Some(cluster_id), text);
        let (ns, name) = (sd.namespace.clone(), sd.name.clone());
        let manifest = |revision: u32| ManifestRevision {
            cluster_id: cluster_id.into(),
            namespace: ns.clone(),
            name: name.clone(),
            revision,
            yaml: sd.manifest.clone(),
            image: sd.image.clone(),
            template_hash: sd.template_hash.clone(),
            replicas: sd.replicas,
            applied_at: now,
            rollout_id: None,
        };
        let Some(wi) = self.workload_index(cluster_id, &ns, &name) else {
            // First version: live at once, no rollout.
            let m = manifest(1);
            self.touch_manifest(cluster_id, &ns, &name, 1);
            self.manifests.push(m.clone());
            self.workloads.push(WorkloadRecord {
                cluster_id: cluster_id.into(),
                namespace: ns.clone(),
                name: name.clone(),
                desired_revision: 1,
                live_revision: 1,
                degraded: false,
                stable_replica_set: String::new(),
                active_rollout: None,
                last_rollout: None,
            });
            let wi = self.workloads.len() - 1;
            self.go_live(wi, &m, sd);
            self.workload_changed(wi);
            resp.messages.push(self.say(
                format!(
                    "SpotDeployment {ns}/{name} created: revision 1 ({}) is live",
                    sd.image
                ),
                format!(
                    "SpotDeployment {ns}/{name} would be created: revision 1 ({}) live at once",
                    sd.image
                ),
            ));
            return ApplyOutcome::Created;
        };
        // Whatever happens below may change the workload.
        self.touch_workload(wi);
        let w = self.workloads[wi].clone();
        let desired = self.revision(&w, w.desired_revision).cloned();
        let live = self.revision(&w, w.live_revision).cloned();
        let same_as = |m: &Option<ManifestRevision>| {
            m.as_ref()
                .is_some_and(|m| m.template_hash == sd.template_hash)
        };

        if same_as(&desired) {
            if w.degraded && w.desired_revision != w.live_revision {
                // Applying the rolled-back version again runs it again.
                self.workloads[wi].degraded = false;
                self.degraded_removed(
                    wi,
                    "the rolled-back version was applied again and rolls out anew",
                    resp,
                );
                self.update_manifest(wi, w.desired_revision, sd);
                let id = self.create_rollout(wi, w.desired_revision, w.last_rollout.clone());
                self.started(id, &ns, &name, w.desired_revision, resp);
                return ApplyOutcome::Configured;
            }
            if desired.as_ref().is_some_and(|m| m.yaml == sd.manifest) {
                return ApplyOutcome::Unchanged;
            }
            self.update_manifest(wi, w.desired_revision, sd);
            if w.active_rollout.is_none() {
                self.rescale_live(wi, sd.replicas);
            }
            self.workload_changed(wi);
            return ApplyOutcome::Configured;
        }
        if same_as(&live) {
            // Back to the live version: the rollout in flight stops, Degraded goes.
            if let Some(active) = w.active_rollout.clone() {
                if let Some(&ai) = self.rollout_index.get(&active) {
                    self.cancel(ai, None);
                    resp.rollouts_canceled.push(active.clone());
                    resp.messages.push(self.say(
                        format!(
                            "Rollout {active} canceled: the live version of {ns}/{name} was applied"
                        ),
                        format!(
                            "Rollout {active} would be canceled: the live version of {ns}/{name} is applied"
                        ),
                    ));
                }
            }
            self.workloads[wi].desired_revision = w.live_revision;
            self.update_manifest(wi, w.live_revision, sd);
            if w.degraded {
                self.workloads[wi].degraded = false;
                self.degraded_removed(wi, "the live version was applied again", resp);
            }
            self.rescale_live(wi, sd.replicas);
            self.workload_changed(wi);
            return ApplyOutcome::Configured;
        }
        // A new version: a new revision and its rollout.
        let revision = self.next_revision(&w);
        self.touch_manifest(cluster_id, &ns, &name, revision);
        self.manifests.push(manifest(revision));
        if w.degraded {
            self.workloads[wi].degraded = false;
            self.degraded_removed(wi, "a new version was applied", resp);
        }
        if let Some(active) = w.active_rollout.clone() {
            resp.rollouts_canceled.push(active);
        }
        let id = self.create_rollout(wi, revision, None);
        if let Some(active) = &w.active_rollout {
            resp.messages.push(self.say(
                format!("Rollout {active} canceled: replaced by {id}"),
                format!("Rollout {active} would be canceled: replaced by a new rollout"),
            ));
        }
        self.started(id, &ns, &name, revision, resp);
        ApplyOutcome::Configured
    }

    fn started(
        &mut self,
        id: String,
        ns: &str,
        name: &str,
        revision: u32,
        resp: &mut api::ApplyResponse,
    ) {
        let status = self.find(&id).map(|r| r.status);
        let note = match status {
            Some(RolloutStatus::InvalidSpec) => " (invalidSpec: see its conditions)",
            Some(RolloutStatus::Pending) => " (pending: the operator is not running)",
            _ => "",
        };
        if self.dry_run {
            // The rollout has no id before it exists: name its SpotDeployment.
            let cluster = self
                .find(&id)
                .map(|r| r.cluster_id.clone())
                .unwrap_or_default();
            resp.messages.push(format!(
                "A rollout of {ns}/{name} revision {revision} would start{note}"
            ));
            resp.rollouts_started.push(format!("{cluster}/{ns}/{name}"));
            return;
        }
        resp.messages.push(format!(
            "Rollout {id} started for {ns}/{name} revision {revision}{note}"
        ));
        resp.rollouts_started.push(id);
    }

    fn update_manifest(&mut self, wi: usize, revision: u32, sd: &SpotDeploymentInfo) {
        let w = &self.workloads[wi];
        if let Some(m) = self.manifests.iter_mut().find(|m| {
            m.revision == revision
                && m.name == w.name
                && m.namespace == w.namespace
                && m.cluster_id == w.cluster_id
        }) {
            m.yaml = sd.manifest.clone();
            m.replicas = sd.replicas;
            let key = crate::Keyed::key(&*m);
            self.touched.manifests.insert(key);
        }
    }

    fn degraded_removed(&mut self, wi: usize, why: &str, resp: &mut api::ApplyResponse) {
        let w = self.workloads[wi].clone();
        let message = self.say(
            format!("Degraded removed from {}/{}", w.namespace, w.name),
            format!("Degraded would be removed from {}/{}", w.namespace, w.name),
        );
        self.record_event(
            w.last_rollout.clone(),
            &w.cluster_id,
            &w.namespace,
            Some(&w.name),
            EventType::Normal,
            "DegradedRemoved",
            format!("SpotDeployment/{}", w.name),
            format!("{message}: {why}"),
        );
        if let Some(id) = &w.last_rollout {
            self.mark(id);
        }
        self.workload_changed(wi);
        resp.messages.push(message);
    }
}
