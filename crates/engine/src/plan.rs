//! The dry run of an apply: what `apply` would do with a stream, leaving the engine as it is.
//!
//! The plan is made by the very code that applies (`engine_checks`, then `apply_stream`) run on
//! a copy of the engine, so a plan and the apply that follows cannot disagree. Unlike the apply,
//! which stops at the first wrong document, the plan reports every wrong document: the rest are
//! planned without them (and a stream with a wrong document would apply nothing).

use crate::validate::{self, CheckedStream, Parsed, ParsedStream, SplitDoc};
use crate::{api, ApplyError, Engine};
use std::collections::{HashMap, HashSet};

use api::{ApplyOutcome, PlannedDocument, PlannedOutcome};

impl Engine {
    /// What applying `stream` now would do: each document's outcome (with the stored and the
    /// submitted YAML to diff), every invalid document with its line, and the rollouts that
    /// would start, be canceled or resume. `self` is not changed.
    pub fn plan_apply(&self, stream: CheckedStream) -> api::ApplyPlan {
        let CheckedStream { docs, results } = stream;
        let mut documents: Vec<Option<PlannedDocument>> = vec![None; docs.len()];
        // Documents that parse, by position in the stream.
        let mut kept: Vec<(usize, Parsed)> = Vec::new();
        for (i, (d, r)) in docs.iter().zip(results).enumerate() {
            match r {
                Ok(p) => kept.push((i, p)),
                Err(e) => documents[i] = Some(invalid(d, None, e)),
            }
        }
        // Refused by the engine's checks: invalid too. The rest may then refer to a document
        // left out (a SpotDeployment to the RolloutSpec naming its cluster): checked again until
        // every one left passes.
        let (resp, clusters) = loop {
            let (kept_docs, kept_parsed): (Vec<SplitDoc>, Vec<Parsed>) = kept
                .iter()
                .map(|(i, p)| (docs[*i].clone(), p.clone()))
                .unzip();
            let checks = self.engine_checks(&kept_docs, &kept_parsed);
            let refused: HashMap<usize, ApplyError> = checks
                .iter()
                .zip(&kept)
                .filter_map(|(c, (i, _))| c.as_ref().err().map(|e| (*i, e.clone())))
                .collect();
            if refused.is_empty() {
                let clusters: Vec<Option<String>> =
                    checks.into_iter().map(|c| c.unwrap_or(None)).collect();
                let mut copy = self.plan_copy();
                match copy.apply_stream(ParsedStream {
                    docs: kept_docs,
                    parsed: kept_parsed,
                }) {
                    Ok(resp) => break (resp, clusters),
                    // Not reached (the same checks passed), but never loop on it.
                    Err(e) => {
                        let Some(pos) = kept.iter().position(|(i, _)| docs[*i].index == e.document)
                        else {
                            break (api::ApplyResponse::default(), clusters);
                        };
                        let (i, p) = kept.remove(pos);
                        documents[i] = Some(invalid(&docs[i], Some(&p), e));
                        continue;
                    }
                }
            }
            let mut left = Vec::new();
            for (i, p) in kept {
                match refused.get(&i) {
                    Some(e) => documents[i] = Some(invalid(&docs[i], Some(&p), e.clone())),
                    None => left.push((i, p)),
                }
            }
            kept = left;
        };
        for (((i, p), applied), cluster) in kept.iter().zip(&resp.applied).zip(&clusters) {
            let before = self
                .existing_entity(p, cluster.as_deref())
                .map(|e| self.entities[e].yaml.clone());
            let outcome = match applied.outcome {
                ApplyOutcome::Created => PlannedOutcome::Created,
                ApplyOutcome::Configured => PlannedOutcome::Configured,
                ApplyOutcome::Unchanged => PlannedOutcome::Unchanged,
            };
            documents[*i] = Some(PlannedDocument {
                index: docs[*i].index,
                kind: applied.kind.clone(),
                name: applied.name.clone(),
                namespace: applied.namespace.clone(),
                outcome,
                line: None,
                column: None,
                message: None,
                before: if outcome == PlannedOutcome::Created {
                    None
                } else {
                    before
                },
                after: if outcome == PlannedOutcome::Unchanged {
                    None
                } else {
                    Some(docs[*i].text.clone())
                },
            });
        }
        let documents: Vec<PlannedDocument> = documents.into_iter().flatten().collect();
        let invalid_count = documents
            .iter()
            .filter(|d| d.outcome == PlannedOutcome::Invalid)
            .count();
        if invalid_count > 0 {
            return api::ApplyPlan {
                messages: vec![format!(
                    "{invalid_count} of {} documents {} invalid: nothing would be applied until \
                     {} fixed",
                    documents.len(),
                    if invalid_count == 1 { "is" } else { "are" },
                    if invalid_count == 1 {
                        "it is"
                    } else {
                        "they are"
                    },
                )],
                documents,
                ..Default::default()
            };
        }
        api::ApplyPlan {
            documents,
            rollouts_started: resp.rollouts_started,
            rollouts_canceled: resp.rollouts_canceled,
            rollouts_resumed: resp.rollouts_resumed,
            messages: resp.messages,
        }
    }

    /// A copy to apply a dry run to: everything an apply reads, without the logs it does not
    /// (events, actions, applies), so a plan costs what the apply would.
    fn plan_copy(&self) -> Engine {
        Engine {
            now: self.now,
            rng: self.rng,
            next_event_id: self.next_event_id,
            clusters: self.clusters.clone(),
            entities: self.entities.clone(),
            workloads: self.workloads.clone(),
            manifests: self.manifests.clone(),
            rollouts: self.rollouts.clone(),
            events: Vec::new(),
            actions: Vec::new(),
            applies: Vec::new(),
            sim: self.sim.clone(),
            rollout_index: self.rollout_index.clone(),
            catalog: self.catalog.clone(),
            event_index: HashMap::new(),
            event_counts: HashMap::new(),
            prune_pending: Vec::new(),
            retention: self.retention,
            changes: Vec::new(),
            dirty: Vec::new(),
            dirty_set: HashSet::new(),
            faults: Vec::new(),
            panic_on: None,
            panic_outside: false,
            outside_fault: None,
            dry_run: true,
            // Thrown away after the plan: nothing of it is stored or checked.
            touched: Default::default(),
            #[cfg(debug_assertions)]
            shadow: None,
        }
    }
}

/// An invalid document: where and why, and what it says it is.
fn invalid(d: &SplitDoc, parsed: Option<&Parsed>, e: ApplyError) -> PlannedDocument {
    let (kind, name, namespace) = match parsed {
        Some(p) => (
            p.kind().name().to_string(),
            p.name().to_string(),
            p.namespace().map(str::to_string),
        ),
        None => validate::identity(&d.text),
    };
    PlannedDocument {
        index: d.index,
        kind,
        name,
        namespace,
        outcome: PlannedOutcome::Invalid,
        line: Some(e.line),
        column: Some(e.column),
        message: Some(e.message),
        before: None,
        after: None,
    }
}
