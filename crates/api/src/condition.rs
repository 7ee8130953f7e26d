//! Verification conditions such as `result[0] <= 0.95` or `result >= 1 && result < 3`: one
//! parser for the engine (which judges measurements with it) and the console (which draws the
//! thresholds and says why a measurement failed).

/// A parsed condition: `||` of `&&` of comparisons.
#[derive(Debug, Clone, PartialEq)]
pub struct Condition(Vec<Vec<Comparison>>);

/// One comparison with `result` on the left: `result >= 0.95`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Comparison {
    pub op: Op,
    pub threshold: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Le,
    Ge,
    Lt,
    Gt,
    Eq,
    Ne,
}

impl Op {
    pub fn symbol(self) -> &'static str {
        match self {
            Op::Le => "<=",
            Op::Ge => ">=",
            Op::Lt => "<",
            Op::Gt => ">",
            Op::Eq => "==",
            Op::Ne => "!=",
        }
    }

    /// The comparison that holds exactly when this one does not.
    pub fn negated(self) -> Op {
        match self {
            Op::Le => Op::Gt,
            Op::Ge => Op::Lt,
            Op::Lt => Op::Ge,
            Op::Gt => Op::Le,
            Op::Eq => Op::Ne,
            Op::Ne => Op::Eq,
        }
    }

    /// `threshold OP result` read as `result OP' threshold`.
    fn mirrored(self) -> Op {
        match self {
            Op::Le => Op::Ge,
            Op::Ge => Op::Le,
            Op::Lt => Op::Gt,
            Op::Gt => Op::Lt,
            other => other,
        }
    }
}

impl Comparison {
    pub fn eval(&self, value: f64) -> bool {
        let t = self.threshold;
        match self.op {
            Op::Le => value <= t,
            Op::Ge => value >= t,
            Op::Lt => value < t,
            Op::Gt => value > t,
            Op::Eq => (value - t).abs() < 1e-9,
            Op::Ne => (value - t).abs() >= 1e-9,
        }
    }
}

impl Condition {
    pub fn parse(text: &str) -> Result<Condition, String> {
        let alternatives = text
            .split("||")
            .map(|alt| {
                alt.split("&&")
                    .map(parse_comparison)
                    .collect::<Result<Vec<_>, _>>()
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Condition(alternatives))
    }

    pub fn eval(&self, value: f64) -> bool {
        self.0.iter().any(|all| all.iter().all(|c| c.eval(value)))
    }

    /// Every comparison, in the order written.
    pub fn comparisons(&self) -> impl Iterator<Item = &Comparison> {
        self.0.iter().flatten()
    }

    /// The numbers the condition compares against, in the order written.
    pub fn thresholds(&self) -> Vec<f64> {
        self.comparisons().map(|c| c.threshold).collect()
    }

    /// The comparisons of the alternative a value fails hardest on: for `result >= 0.95` and 0.78,
    /// the one comparison `>= 0.95`; for an `&&`, those of its comparisons that do not hold.
    /// Empty when the value meets the condition.
    pub fn unmet(&self, value: f64) -> Vec<Comparison> {
        if self.eval(value) {
            return Vec::new();
        }
        self.0
            .iter()
            .map(|all| {
                all.iter()
                    .filter(|c| !c.eval(value))
                    .copied()
                    .collect::<Vec<_>>()
            })
            .min_by_key(|unmet| unmet.len())
            .unwrap_or_default()
    }

    /// The comparisons of an alternative that a value meets (why a failure condition fired).
    pub fn met(&self, value: f64) -> Vec<Comparison> {
        self.0
            .iter()
            .find(|all| all.iter().all(|c| c.eval(value)))
            .cloned()
            .unwrap_or_default()
    }
}

fn parse_comparison(text: &str) -> Result<Comparison, String> {
    let t = text
        .trim()
        .trim_start_matches('(')
        .trim_end_matches(')')
        .trim();
    for (symbol, op) in [
        ("<=", Op::Le),
        (">=", Op::Ge),
        ("==", Op::Eq),
        ("!=", Op::Ne),
        ("<", Op::Lt),
        (">", Op::Gt),
    ] {
        if let Some((l, r)) = t.split_once(symbol) {
            return match (parse_operand(l)?, parse_operand(r)?) {
                (Operand::Result, Operand::Number(n)) => Ok(Comparison { op, threshold: n }),
                (Operand::Number(n), Operand::Result) => Ok(Comparison {
                    op: op.mirrored(),
                    threshold: n,
                }),
                _ => Err(format!("`{t}` must compare result with a number")),
            };
        }
    }
    // A bare reference is a truth test (`result.ok`, `!result.failed`), as a web provider's
    // JSON answer is used in Ocean CD's examples: true when the value is not 0.
    let (negated, reference) = match t.strip_prefix('!') {
        Some(rest) => (true, rest.trim()),
        None => (false, t),
    };
    if is_result_reference(reference) {
        return Ok(Comparison {
            op: if negated { Op::Eq } else { Op::Ne },
            threshold: 0.0,
        });
    }
    Err(format!(
        "`{t}` is not a comparison (expected e.g. `result[0] <= 0.95` or `result.ok`)"
    ))
}

/// `result`, `result[0]`, `result.successPercent`, `result.data[1].value`: every reference to
/// the measurement reads its one value.
fn is_result_reference(t: &str) -> bool {
    t.strip_prefix("result").is_some_and(|rest| {
        rest.is_empty()
            || (rest.starts_with(['.', '['])
                && rest
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '[' | ']' | '_')))
    })
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Operand {
    Result,
    Number(f64),
}

fn parse_operand(text: &str) -> Result<Operand, String> {
    let t = text.trim();
    if is_result_reference(t) {
        return Ok(Operand::Result);
    }
    t.parse::<f64>()
        .ok()
        .filter(|n| n.is_finite())
        .map(Operand::Number)
        .ok_or_else(|| format!("`{t}` is neither a result reference (result[0]) nor a number"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_evaluates() {
        let c = Condition::parse("result[0] <= 0.95").unwrap();
        assert!(c.eval(0.9) && !c.eval(0.97));
        let c = Condition::parse("result[0] > 1 && result[0] < 5 || result == 10").unwrap();
        assert!(c.eval(3.0) && c.eval(10.0) && !c.eval(6.0));
        assert!(Condition::parse("result[0] <> 3").is_err());
        assert!(Condition::parse("len(result) > 0").is_err());
        assert!(Condition::parse("1 < 2").is_err());
        assert!(Condition::parse("result < NaN").is_err());
    }

    #[test]
    fn references_and_truth_tests_as_ocean_cd_examples_write_them() {
        let c = Condition::parse("result.ok && result.successPercent > 0.94").unwrap();
        assert!(c.eval(0.95) && !c.eval(0.5) && !c.eval(0.0));
        let c = Condition::parse("!result.failed").unwrap();
        assert!(c.eval(0.0) && !c.eval(1.0));
        assert!(Condition::parse("results.ok").is_err());
    }

    #[test]
    fn a_number_on_the_left_reads_as_result_on_the_left() {
        let c = Condition::parse("0.5 < result").unwrap();
        assert_eq!(
            c.comparisons().copied().collect::<Vec<_>>(),
            vec![Comparison {
                op: Op::Gt,
                threshold: 0.5
            }]
        );
        assert!(c.eval(0.6) && !c.eval(0.5));
    }

    #[test]
    fn says_which_comparisons_a_value_misses_or_meets() {
        let c = Condition::parse("result >= 1 && result < 3").unwrap();
        assert_eq!(
            c.unmet(3.5),
            vec![Comparison {
                op: Op::Lt,
                threshold: 3.0
            }]
        );
        assert!(c.unmet(2.0).is_empty());
        assert_eq!(c.met(2.0).len(), 2);
        assert!(c.met(0.5).is_empty());
        assert_eq!(c.thresholds(), vec![1.0, 3.0]);
        assert_eq!(Op::Ge.negated(), Op::Lt);
    }
}
