//! Strategies: canary (at least one step, each setting a weight from 1 to 100 that rises
//! strictly) or rolling (weights spread evenly over its steps), the cap on steps, each step's pause
//! and verification templates. Canary steps with no weight at all read as rolling.

use super::document::typed;
use super::fields::{at_most, duration_within, field_at, ocean_name};
use super::DocError;
use crate::entities::{self as e, Kind};
use crate::limits;
use crate::position::Seg;
use crate::verification::parse_duration;

#[derive(Debug, Clone, PartialEq)]
pub struct PhaseSpec {
    pub name: String,
    pub weight: u32,
    pub pause: Option<Option<u64>>,
    pub templates: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct StrategyInfo {
    pub name: String,
    pub kind: rollout_api::StrategyType,
    pub phases: Vec<PhaseSpec>,
    pub background: Vec<String>,
}

/// The step's parts a phase is made of, canary and rolling alike: its index, name, pause and
/// verification.
type StepParts<'a> = (
    usize,
    &'a Option<String>,
    &'a Option<e::Pause>,
    &'a Option<e::TemplateNames>,
);

/// One phase of a strategy from its step at `at_step` (named `phase-N` when it has no name).
fn phase_spec(
    text: &str,
    (i, name, pause, verification): StepParts,
    weight: u32,
    at_step: &[Seg],
) -> Result<PhaseSpec, DocError> {
    Ok(PhaseSpec {
        name: name.clone().unwrap_or_else(|| format!("phase-{}", i + 1)),
        weight,
        pause: pause_of(text, pause, at_step)?,
        templates: templates_of(
            text,
            verification,
            &[at_step, &[Seg::Key("verification")]].concat(),
        )?,
    })
}

/// The template names of a step or of the background verification, written at `path`.
fn templates_of(
    text: &str,
    t: &Option<e::TemplateNames>,
    path: &[Seg],
) -> Result<Vec<String>, DocError> {
    let names = t
        .as_ref()
        .map(|t| t.template_names.clone())
        .unwrap_or_default();
    let path = [path, &[Seg::Key("templateNames")]].concat();
    at_most(
        text,
        "templateNames",
        &path,
        names.len() as u64,
        limits::MAX_METRICS as u64,
        " templates",
    )?;
    Ok(names)
}

/// The pause of a step, written at `step` (`canary.steps[i]`).
fn pause_of(
    text: &str,
    p: &Option<e::Pause>,
    step: &[Seg],
) -> Result<Option<Option<u64>>, DocError> {
    let Some(p) = p else {
        return Ok(None);
    };
    match &p.duration {
        None => Ok(Some(None)),
        Some(d) => {
            let at = field_at(
                text,
                &[step, &[Seg::Key("pause"), Seg::Key("duration")]].concat(),
            );
            let s = parse_duration(&d.text())
                .map_err(|m| DocError::at(format!("pause.duration: {m}"), at))?;
            Ok(Some(Some(duration_within(s, "pause.duration", at)?)))
        }
    }
}

pub(super) fn strategy(text: &str) -> Result<StrategyInfo, DocError> {
    let s: e::Strategy = typed(text)?;
    let name = ocean_name(text, Kind::Strategy, &s.name, &s.metadata)?;
    let (steps, block) = match (&s.canary, &s.rolling) {
        (Some(c), _) => (c.steps.len(), "canary"),
        (None, Some(r)) => (r.steps.len(), "rolling"),
        (None, None) => (0, "canary"),
    };
    at_most(
        text,
        &format!("{block}.steps"),
        &[Seg::Key(block), Seg::Key("steps")],
        steps as u64,
        limits::MAX_STEPS as u64,
        " steps",
    )?;
    // Ocean CD's own rolling-update examples write `canary:` steps without any setWeight.
    let rolling_as_canary = s
        .canary
        .as_ref()
        .filter(|c| !c.steps.is_empty() && c.steps.iter().all(|step| step.set_weight.is_none()));
    let converted;
    let (canary, rolling) = match rolling_as_canary {
        Some(c) => {
            converted = e::RollingStrategy {
                background_verification: c.background_verification.clone(),
                steps: c
                    .steps
                    .iter()
                    .map(|step| e::RollingStep {
                        name: step.name.clone(),
                        verification: step.verification.clone(),
                        pause: step.pause.clone(),
                    })
                    .collect(),
            };
            (None, Some(&converted))
        }
        None => (s.canary.as_ref(), s.rolling.as_ref()),
    };
    match (canary, rolling) {
        (Some(_), Some(_)) => Err(DocError::at(
            "rolling: a Strategy has either canary or rolling, not both",
            field_at(text, &[Seg::Key("rolling")]),
        )),
        (None, None) => Err(DocError::at(
            "a Strategy needs a canary or a rolling block",
            field_at(text, &[]),
        )),
        (Some(c), None) => {
            if c.steps.is_empty() {
                return Err(DocError::at(
                    "canary.steps: at least one step is needed",
                    field_at(text, &[Seg::Key(block), Seg::Key("steps")]),
                ));
            }
            let mut phases = Vec::new();
            let mut previous = 0;
            for (i, step) in c.steps.iter().enumerate() {
                let at_step = [Seg::Key(block), Seg::Key("steps"), Seg::Index(i)];
                let weight = step.set_weight.ok_or_else(|| {
                    DocError::at(
                        format!("canary.steps[{i}].setWeight is missing (a canary step sets the canary weight; a rolling strategy has none)"),
                        field_at(text, &at_step),
                    )
                })?;
                let at = field_at(text, &[&at_step[..], &[Seg::Key("setWeight")]].concat());
                if weight == 0 || weight > 100 {
                    return Err(DocError::at(
                        format!("canary.steps[{i}].setWeight: {weight} is out of range (1 to 100)"),
                        at,
                    ));
                }
                if weight <= previous {
                    return Err(DocError::at(
                        format!("canary.steps[{i}].setWeight: {weight} must be greater than the previous step's {previous} (weights rise strictly)"),
                        at,
                    ));
                }
                previous = weight;
                phases.push(phase_spec(
                    text,
                    (i, &step.name, &step.pause, &step.verification),
                    weight,
                    &at_step,
                )?);
            }
            Ok(StrategyInfo {
                name,
                kind: rollout_api::StrategyType::Canary,
                phases,
                background: templates_of(
                    text,
                    &c.background_verification,
                    &[Seg::Key(block), Seg::Key("backgroundVerification")],
                )?,
            })
        }
        (None, Some(r)) => {
            if r.steps.is_empty() {
                return Err(DocError::at(
                    "rolling.steps: at least one step is needed",
                    field_at(text, &[Seg::Key(block), Seg::Key("steps")]),
                ));
            }
            let n = r.steps.len() as u32;
            let mut phases = Vec::new();
            for (i, step) in r.steps.iter().enumerate() {
                let at_step = [Seg::Key(block), Seg::Key("steps"), Seg::Index(i)];
                let weight = (100 * (i as u32 + 1)).div_ceil(n);
                phases.push(phase_spec(
                    text,
                    (i, &step.name, &step.pause, &step.verification),
                    weight,
                    &at_step,
                )?);
            }
            Ok(StrategyInfo {
                name,
                kind: rollout_api::StrategyType::Rolling,
                phases,
                background: templates_of(
                    text,
                    &r.background_verification,
                    &[Seg::Key(block), Seg::Key("backgroundVerification")],
                )?,
            })
        }
    }
}
