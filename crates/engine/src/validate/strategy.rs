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
    // Each step's weight, read before its pause and templates: a canary step sets it (1 to 100,
    // rising strictly); rolling steps spread it evenly, the last at 100.
    type WeightOf<'a> = Box<dyn FnMut(usize, &[Seg]) -> Result<u32, DocError> + 'a>;
    let (kind, steps, background, mut weight_of): (_, Vec<StepParts>, _, WeightOf) = match (
        canary, rolling,
    ) {
        (Some(_), Some(_)) => {
            return Err(DocError::at(
                "rolling: a Strategy has either canary or rolling, not both",
                field_at(text, &[Seg::Key("rolling")]),
            ))
        }
        (None, None) => {
            return Err(DocError::at(
                "a Strategy needs a canary or a rolling block",
                field_at(text, &[]),
            ))
        }
        (Some(c), None) => {
            let mut previous = 0;
            let weight_of = move |i: usize, at_step: &[Seg]| {
                let weight = c.steps[i].set_weight.ok_or_else(|| {
                    DocError::at(
                        format!("canary.steps[{i}].setWeight is missing (a canary step sets the canary weight; a rolling strategy has none)"),
                        field_at(text, at_step),
                    )
                })?;
                let at = field_at(text, &[at_step, &[Seg::Key("setWeight")]].concat());
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
                Ok(weight)
            };
            let steps = c.steps.iter().enumerate();
            (
                rollout_api::StrategyType::Canary,
                steps
                    .map(|(i, step)| (i, &step.name, &step.pause, &step.verification))
                    .collect(),
                &c.background_verification,
                Box::new(weight_of),
            )
        }
        (None, Some(r)) => {
            let n = r.steps.len() as u32;
            let steps = r.steps.iter().enumerate();
            (
                rollout_api::StrategyType::Rolling,
                steps
                    .map(|(i, step)| (i, &step.name, &step.pause, &step.verification))
                    .collect(),
                &r.background_verification,
                Box::new(move |i, _| Ok((100 * (i as u32 + 1)).div_ceil(n))),
            )
        }
    };
    if steps.is_empty() {
        // `canary` or `rolling`, as the block is named in YAML.
        let label = kind.label().to_lowercase();
        return Err(DocError::at(
            format!("{label}.steps: at least one step is needed"),
            field_at(text, &[Seg::Key(block), Seg::Key("steps")]),
        ));
    }
    let mut phases = Vec::with_capacity(steps.len());
    for parts in steps {
        let at_step = [Seg::Key(block), Seg::Key("steps"), Seg::Index(parts.0)];
        let weight = weight_of(parts.0, &at_step)?;
        phases.push(phase_spec(text, parts, weight, &at_step)?);
    }
    Ok(StrategyInfo {
        name,
        kind,
        phases,
        background: templates_of(
            text,
            background,
            &[Seg::Key(block), Seg::Key("backgroundVerification")],
        )?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn weights(text: &str) -> Result<(rollout_api::StrategyType, Vec<u32>), DocError> {
        let s = strategy(text)?;
        Ok((s.kind, s.phases.iter().map(|p| p.weight).collect()))
    }

    fn message(text: &str) -> String {
        strategy(text).unwrap_err().message
    }

    #[test]
    fn canary_weights_are_read_and_rolling_ones_spread() {
        use rollout_api::StrategyType::{Canary, Rolling};
        let canary = "name: s\ncanary:\n  steps:\n    - setWeight: 20\n    - setWeight: 100\n";
        assert_eq!(weights(canary), Ok((Canary, vec![20, 100])));
        let rolling = "name: s\nrolling:\n  steps:\n    - pause: {}\n    - pause: {}\n    - {}\n";
        assert_eq!(weights(rolling), Ok((Rolling, vec![34, 67, 100])));
        // Canary steps without any weight read as rolling.
        let unweighted = "name: s\ncanary:\n  steps:\n    - pause: {}\n    - pause: {}\n";
        assert_eq!(weights(unweighted), Ok((Rolling, vec![50, 100])));
    }

    #[test]
    fn a_step_is_checked_whole_before_the_next() {
        let text = "name: s\ncanary:\n  steps:\n    - setWeight: 20\n      pause: {duration: nope}\n    - setWeight: 10\n";
        assert!(message(text).starts_with("pause.duration: "));
        let text = "name: s\ncanary:\n  steps:\n    - setWeight: 20\n    - setWeight: 10\n";
        let err = strategy(text).unwrap_err();
        assert_eq!(
            err.message,
            "canary.steps[1].setWeight: 10 must be greater than the previous step's 20 (weights rise strictly)"
        );
        assert_eq!((err.line, err.column), (5, 7));
        let text = "name: s\ncanary:\n  steps:\n    - setWeight: 20\n    - pause: {}\n";
        assert!(message(text).starts_with("canary.steps[1].setWeight is missing"));
        let text = "name: s\ncanary:\n  steps:\n    - setWeight: 101\n";
        assert_eq!(
            message(text),
            "canary.steps[0].setWeight: 101 is out of range (1 to 100)"
        );
    }

    #[test]
    fn a_block_without_steps_is_refused() {
        assert_eq!(
            message("name: s\ncanary:\n  steps: []\n"),
            "canary.steps: at least one step is needed"
        );
        assert_eq!(
            message("name: s\nrolling:\n  steps: []\n"),
            "rolling.steps: at least one step is needed"
        );
    }
}
