//! The Apply page's logic: what a dry run says, in words, and where its problems are.

use rollout_api::{ApplyPlan, PlannedDocument, PlannedOutcome};

/// The outcome as the page says it, and its BEM modifier (`badge--…`).
pub fn outcome_label(o: PlannedOutcome) -> (&'static str, &'static str) {
    match o {
        PlannedOutcome::Created => ("created", "success"),
        PlannedOutcome::Configured => ("changed", "running"),
        PlannedOutcome::Unchanged => ("unchanged", "neutral"),
        PlannedOutcome::Invalid => ("invalid", "danger"),
    }
}

/// "Strategy canary-20-50-100", "Service payments/checkout-stable"; "Document 3" when the
/// document is too broken to name.
pub fn document_title(d: &PlannedDocument) -> String {
    let name = match &d.namespace {
        Some(ns) if !ns.is_empty() => format!("{ns}/{}", d.name),
        _ => d.name.clone(),
    };
    match (d.kind.is_empty(), name.is_empty()) {
        (true, true) => format!("Document {}", d.index),
        (true, false) => name,
        (false, true) => d.kind.clone(),
        (false, false) => format!("{} {name}", d.kind),
    }
}

/// A problem at a line of the editor (1-based, in the whole text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineMark {
    pub line: usize,
    pub column: Option<usize>,
    pub message: String,
}

/// The invalid documents' problems, by line.
pub fn line_marks(plan: &ApplyPlan) -> Vec<LineMark> {
    let mut marks: Vec<LineMark> = plan
        .documents
        .iter()
        .filter(|d| d.outcome == PlannedOutcome::Invalid)
        .map(|d| LineMark {
            line: d.line.unwrap_or(1).max(1),
            column: d.column,
            message: d
                .message
                .clone()
                .unwrap_or_else(|| "invalid document".into()),
        })
        .collect();
    marks.sort_by_key(|m| m.line);
    marks
}

/// "4 documents: 1 created, 2 changed, 1 unchanged" (only the outcomes present).
pub fn plan_summary(plan: &ApplyPlan) -> String {
    let n = plan.documents.len();
    let mut parts = Vec::new();
    for o in [
        PlannedOutcome::Created,
        PlannedOutcome::Configured,
        PlannedOutcome::Unchanged,
        PlannedOutcome::Invalid,
    ] {
        let count = plan.documents.iter().filter(|d| d.outcome == o).count();
        if count > 0 {
            parts.push(format!("{count} {}", outcome_label(o).0));
        }
    }
    let docs = if n == 1 {
        "1 document".to_string()
    } else {
        format!("{n} documents")
    };
    if parts.is_empty() {
        docs
    } else {
        format!("{docs}: {}", parts.join(", "))
    }
}

/// Lines of the editor's text (at least one, as the gutter shows).
pub fn line_count(text: &str) -> usize {
    text.split('\n').count().max(1)
}

/// Where line `line` (1-based) starts and ends in `text`, in UTF-16 units (what a textarea's
/// selection counts); the end of the text past the last line.
pub fn line_range_utf16(text: &str, line: usize) -> (u32, u32) {
    let mut start = 0u32;
    for (i, l) in text.split('\n').enumerate() {
        let len = l.encode_utf16().count() as u32;
        if i + 1 == line {
            return (start, start + len);
        }
        start += len + 1;
    }
    let end = text.encode_utf16().count() as u32;
    (end, end)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(
        index: usize,
        kind: &str,
        outcome: PlannedOutcome,
        line: Option<usize>,
    ) -> PlannedDocument {
        PlannedDocument {
            index,
            kind: kind.into(),
            name: if kind.is_empty() {
                String::new()
            } else {
                "checkout".into()
            },
            namespace: (kind == "SpotDeployment").then(|| "payments".into()),
            outcome,
            line,
            column: line.map(|_| 3),
            message: line.map(|_| "unknown field `replica`".into()),
            before: None,
            after: None,
        }
    }

    #[test]
    fn a_plan_is_summed_up_and_its_problems_are_marked_at_their_lines() {
        let plan = ApplyPlan {
            documents: vec![
                doc(1, "SpotDeployment", PlannedOutcome::Configured, None),
                doc(2, "", PlannedOutcome::Invalid, Some(14)),
                doc(3, "Strategy", PlannedOutcome::Invalid, Some(9)),
                doc(4, "Strategy", PlannedOutcome::Unchanged, None),
            ],
            ..Default::default()
        };
        assert_eq!(
            plan_summary(&plan),
            "4 documents: 1 changed, 1 unchanged, 2 invalid"
        );
        let marks = line_marks(&plan);
        assert_eq!(marks.iter().map(|m| m.line).collect::<Vec<_>>(), [9, 14]);
        assert_eq!(marks[0].message, "unknown field `replica`");
        assert_eq!(
            document_title(&plan.documents[0]),
            "SpotDeployment payments/checkout"
        );
        assert_eq!(document_title(&plan.documents[1]), "Document 2");
        assert_eq!(document_title(&plan.documents[2]), "Strategy checkout");
        assert_eq!(
            outcome_label(PlannedOutcome::Configured),
            ("changed", "running")
        );
        assert_eq!(line_count(""), 1);
        assert_eq!(line_count("a\nb\n"), 3);
        assert_eq!(line_range_utf16("ab\né€x\nc", 2), (3, 6));
        assert_eq!(line_range_utf16("ab", 9), (2, 2));
    }
}
