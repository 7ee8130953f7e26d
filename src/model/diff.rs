//! The CRD diff: line diff with word-level marks (`similar`), folding of unchanged stretches,
//! side-by-side pairing, and the unified diff text that `patch` applies.
//!
//! Every diff runs under a time budget (`similar`'s deadline): past it, `similar` settles for a
//! correct but less minimal diff, so a huge manifest never freezes the page.
//!
//! Lines and words alike are numbered (`intern`) and diffed as `u32` slices: one compiled copy
//! of `similar`'s algorithms serves both, instead of one per piece type and one for its text
//! layer (measured: `similar` took 162 KB of the wasm's 2.1 MB that way).

use similar::{capture_diff_slices_deadline, group_diff_ops, Algorithm, DiffOp, DiffTag, Instant};
use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::time::Duration;

/// Time budget for the line diff and, separately, for the word marks.
pub const BUDGET: Duration = Duration::from_millis(250);
/// Unchanged lines kept visible on each side of a change.
pub const CONTEXT: usize = 3;
/// A stretch of unchanged lines is folded only when it hides at least this many.
pub const MIN_FOLD: usize = 4;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineKind {
    Context,
    Removed,
    Added,
}

/// A piece of a line; `marked` pieces are the words that changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    pub text: String,
    pub marked: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiffLine {
    pub kind: LineKind,
    /// 1-based line numbers on each side.
    pub old_no: Option<usize>,
    pub new_no: Option<usize>,
    /// The text without its line end.
    pub segments: Vec<Segment>,
    /// The last line of a side that ends without a newline.
    pub no_newline: bool,
}

impl DiffLine {
    #[cfg(test)]
    pub fn text(&self) -> String {
        self.segments.iter().map(|s| s.text.as_str()).collect()
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LineDiff {
    pub lines: Vec<DiffLine>,
    pub added: usize,
    pub removed: usize,
}

impl LineDiff {
    pub fn is_unchanged(&self) -> bool {
        self.added == 0 && self.removed == 0
    }
}

/// A text's lines with their line ends: a last line without one differs from the same line
/// with one, as in `diff`.
fn split_lines(text: &str) -> Vec<&str> {
    text.split_inclusive('\n').collect()
}

/// Each distinct piece of either side as a small number, so that the diff compares `u32`s.
fn intern<'a>(old: &[&'a str], new: &[&'a str]) -> (Vec<u32>, Vec<u32>) {
    let mut ids: HashMap<&'a str, u32> = HashMap::new();
    let mut id = |piece: &'a str| {
        let next = ids.len() as u32;
        *ids.entry(piece).or_insert(next)
    };
    let old = old.iter().map(|p| id(p)).collect();
    let new = new.iter().map(|p| id(p)).collect();
    (old, new)
}

/// The diff of two sequences of pieces, within `deadline`.
fn diff_pieces(
    algorithm: Algorithm,
    old: &[&str],
    new: &[&str],
    deadline: Option<Instant>,
) -> Vec<DiffOp> {
    let (old, new) = intern(old, new);
    capture_diff_slices_deadline(algorithm, &old, &new, deadline)
}

/// The line diff (patience, within [`BUDGET`]).
fn line_ops(old: &[&str], new: &[&str]) -> Vec<DiffOp> {
    diff_pieces(
        Algorithm::Patience,
        old,
        new,
        Instant::now().checked_add(BUDGET),
    )
}

/// The line diff of two texts with word marks inside changed lines.
pub fn compute(old: &str, new: &str) -> LineDiff {
    let (old_lines, new_lines) = (split_lines(old), split_lines(new));
    let ops = line_ops(&old_lines, &new_lines);
    let deadline = Instant::now().checked_add(BUDGET);
    let mut out = LineDiff::default();
    for op in ops {
        // (kind, old index, new index, line): a changed stretch's removed lines, then its added
        // ones, as `diff` prints them.
        let changes: Vec<(LineKind, Option<usize>, Option<usize>, &str)> = match op.tag() {
            DiffTag::Equal => op
                .old_range()
                .zip(op.new_range())
                .map(|(o, n)| (LineKind::Context, Some(o), Some(n), old_lines[o]))
                .collect(),
            _ => op
                .old_range()
                .map(|o| (LineKind::Removed, Some(o), None, old_lines[o]))
                .chain(
                    op.new_range()
                        .map(|n| (LineKind::Added, None, Some(n), new_lines[n])),
                )
                .collect(),
        };
        let lines: Vec<&str> = changes
            .iter()
            .map(|c| c.3.trim_end_matches(['\n', '\r']))
            .collect();
        let marks = (op.tag() == DiffTag::Replace).then(|| {
            let kinds: Vec<bool> = changes.iter().map(|c| c.0 == LineKind::Removed).collect();
            word_marks(&lines, &kinds, deadline)
        });
        for (i, &(kind, old_index, new_index, line)) in changes.iter().enumerate() {
            match kind {
                LineKind::Removed => out.removed += 1,
                LineKind::Added => out.added += 1,
                LineKind::Context => {}
            }
            let segments = match &marks {
                Some(m) => m[i].clone(),
                None if lines[i].is_empty() => Vec::new(),
                None => vec![Segment {
                    text: lines[i].to_owned(),
                    marked: false,
                }],
            };
            out.lines.push(DiffLine {
                kind,
                old_no: old_index.map(|i| i + 1),
                new_no: new_index.map(|i| i + 1),
                segments,
                no_newline: !line.ends_with('\n'),
            });
        }
    }
    out
}

/// Pieces of a line for the word diff: runs of letters and digits, runs of spaces, and every
/// other character alone, so `1.41.0` → `1.42.0` marks `42`, not the whole image reference.
fn tokens(line: &str) -> Vec<&str> {
    let class = |c: char| {
        if c.is_alphanumeric() || c == '_' {
            0
        } else if c.is_whitespace() {
            1
        } else {
            2
        }
    };
    let mut out = Vec::new();
    let mut start = 0;
    let mut prev: Option<u8> = None;
    for (i, c) in line.char_indices() {
        let k = class(c);
        if prev.is_some_and(|p| p != k || k == 2) {
            out.push(&line[start..i]);
            start = i;
        }
        prev = Some(k);
    }
    if start < line.len() {
        out.push(&line[start..]);
    }
    out
}

/// Above this many bytes a replaced block is marked line pair by line pair (the k-th removed
/// line against the k-th added one) instead of as a whole: linear, so a manifest rewritten
/// from top to bottom costs little more than reading it.
const JOINT_MARKS_MAX_BYTES: usize = 16 * 1024;

/// Word marks for a run of removed lines followed by added lines (`removed[i]` says which).
fn word_marks(lines: &[&str], removed: &[bool], deadline: Option<Instant>) -> Vec<Vec<Segment>> {
    if lines.iter().map(|l| l.len()).sum::<usize>() <= JOINT_MARKS_MAX_BYTES {
        return joint_word_marks(lines, removed, deadline);
    }
    let old: Vec<usize> = (0..lines.len()).filter(|&i| removed[i]).collect();
    let new: Vec<usize> = (0..lines.len()).filter(|&i| !removed[i]).collect();
    let mut out = vec![Vec::new(); lines.len()];
    for k in 0..old.len().max(new.len()) {
        match (old.get(k), new.get(k)) {
            (Some(&a), Some(&b)) => {
                let mut pair = joint_word_marks(&[lines[a], lines[b]], &[true, false], deadline);
                out[b] = pair.pop().unwrap_or_default();
                out[a] = pair.pop().unwrap_or_default();
            }
            (Some(&a), None) | (None, Some(&a)) => {
                out[a] = joint_word_marks(&[lines[a]], &[removed[a]], deadline)
                    .pop()
                    .unwrap_or_default();
            }
            (None, None) => {}
        }
    }
    out
}

/// The two sides of a replaced block diffed token by token, lines kept apart by a separator
/// token. A line whose every visible piece changed gets no marks (the line colour says it all),
/// and a lone punctuation mark between two marks joins them (`1.[5.0]`, not `1.[5].[0]`).
fn joint_word_marks(
    lines: &[&str],
    removed: &[bool],
    deadline: Option<Instant>,
) -> Vec<Vec<Segment>> {
    // (line index, token) per side, with "\n" between lines.
    let side = |want: bool| -> Vec<(usize, &str)> {
        let mut out = Vec::new();
        for (i, line) in lines
            .iter()
            .enumerate()
            .filter(|(i, _)| removed[*i] == want)
        {
            if !out.is_empty() {
                out.push((usize::MAX, "\n"));
            }
            out.extend(tokens(line).into_iter().map(|t| (i, t)));
        }
        out
    };
    let (old, new) = (side(true), side(false));
    let old_text: Vec<&str> = old.iter().map(|t| t.1).collect();
    let new_text: Vec<&str> = new.iter().map(|t| t.1).collect();
    let mut old_marked = vec![false; old.len()];
    let mut new_marked = vec![false; new.len()];
    for op in diff_pieces(Algorithm::Myers, &old_text, &new_text, deadline) {
        let (tag, o, n) = op.as_tag_tuple();
        if tag != DiffTag::Equal {
            old_marked[o].iter_mut().for_each(|m| *m = true);
            new_marked[n].iter_mut().for_each(|m| *m = true);
        }
    }
    let mut out = vec![Vec::new(); lines.len()];
    for (toks, marked) in [(&old, &old_marked), (&new, &new_marked)] {
        let mut at = 0;
        while at < toks.len() {
            let line = toks[at].0;
            let end = (at..toks.len())
                .find(|&k| toks[k].0 != line)
                .unwrap_or(toks.len());
            if line != usize::MAX {
                out[line] = line_segments(&toks[at..end], &marked[at..end]);
            }
            at = end;
        }
    }
    out
}

fn line_segments(toks: &[(usize, &str)], marked: &[bool]) -> Vec<Segment> {
    let mut marked = marked.to_vec();
    for i in 1..toks.len().saturating_sub(1) {
        let t = toks[i].1;
        if !marked[i] && marked[i - 1] && marked[i + 1] && t.chars().count() == 1 {
            marked[i] = !t.chars().all(char::is_alphanumeric);
        }
    }
    let visible = |i: &usize| !toks[*i].1.trim().is_empty();
    if (0..toks.len()).filter(visible).all(|i| marked[i]) {
        marked.iter_mut().for_each(|m| *m = false);
    }
    let mut segments: Vec<Segment> = Vec::new();
    for ((_, text), marked) in toks.iter().zip(marked) {
        match segments.last_mut() {
            Some(last) if last.marked == marked => last.text.push_str(text),
            _ => segments.push(Segment {
                text: (*text).to_owned(),
                marked,
            }),
        }
    }
    segments
}

/// A stretch of the diff as displayed: lines shown, or unchanged lines folded away.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    Shown(Range<usize>),
    /// Identified by its first line index, which is what `expanded` holds.
    Folded(Range<usize>),
}

impl Block {
    #[cfg(test)]
    pub fn range(&self) -> Range<usize> {
        match self {
            Block::Shown(r) | Block::Folded(r) => r.clone(),
        }
    }
}

/// Shown and folded stretches: each run of unchanged lines keeps `context` lines next to the
/// changes around it; the rest is folded unless its first index is in `expanded`.
pub fn blocks(lines: &[DiffLine], context: usize, expanded: &HashSet<usize>) -> Vec<Block> {
    let mut out: Vec<Block> = Vec::new();
    let push_shown = |out: &mut Vec<Block>, r: Range<usize>| {
        if r.is_empty() {
            return;
        }
        if let Some(Block::Shown(last)) = out.last_mut() {
            if last.end == r.start {
                last.end = r.end;
                return;
            }
        }
        out.push(Block::Shown(r));
    };
    let mut i = 0;
    while i < lines.len() {
        let start = i;
        let is_context = lines[i].kind == LineKind::Context;
        while i < lines.len() && (lines[i].kind == LineKind::Context) == is_context {
            i += 1;
        }
        if !is_context {
            push_shown(&mut out, start..i);
            continue;
        }
        let keep_head = if start > 0 { context } else { 0 };
        let keep_tail = if i < lines.len() { context } else { 0 };
        let fold = (start + keep_head)..i.saturating_sub(keep_tail);
        if fold.len() >= MIN_FOLD && !expanded.contains(&fold.start) {
            push_shown(&mut out, start..fold.start);
            out.push(Block::Folded(fold.clone()));
            push_shown(&mut out, fold.end..i);
        } else {
            push_shown(&mut out, start..i);
        }
    }
    out
}

/// At most `budget` shown lines (folds cost nothing); also returns how many shown lines were
/// left out, for a "show more" control.
pub fn take_lines(blocks: &[Block], budget: usize) -> (Vec<Block>, usize) {
    let mut left = budget;
    let mut out = Vec::new();
    let mut hidden = 0;
    for b in blocks {
        match b {
            Block::Folded(_) if left > 0 => out.push(b.clone()),
            Block::Folded(_) => {}
            Block::Shown(r) => {
                let n = r.len().min(left);
                if n > 0 {
                    out.push(Block::Shown(r.start..r.start + n));
                }
                hidden += r.len() - n;
                left -= n;
            }
        }
    }
    (out, hidden)
}

/// Side-by-side rows for a shown range: unchanged lines face themselves; a run of removed lines
/// followed by added lines is paired up line by line, the longer side facing blanks.
pub fn side_by_side(
    lines: &[DiffLine],
    range: Range<usize>,
) -> Vec<(Option<usize>, Option<usize>)> {
    let mut rows = Vec::new();
    let mut i = range.start;
    while i < range.end {
        if lines[i].kind == LineKind::Context {
            rows.push((Some(i), Some(i)));
            i += 1;
            continue;
        }
        let mut removed = Vec::new();
        let mut added = Vec::new();
        while i < range.end && lines[i].kind != LineKind::Context {
            match lines[i].kind {
                LineKind::Removed => removed.push(i),
                _ => added.push(i),
            }
            i += 1;
        }
        for k in 0..removed.len().max(added.len()) {
            rows.push((removed.get(k).copied(), added.get(k).copied()));
        }
    }
    rows
}

/// A unified diff `patch -p1` applies to `<name>.yaml`: `--- a/…` / `+++ b/…` headers, hunks
/// with three lines of context, "\ No newline at end of file" where a side lacks one.
/// Empty when the texts are equal.
pub fn unified(old: &str, new: &str, name: &str) -> String {
    let (old_lines, new_lines) = (split_lines(old), split_lines(new));
    let mut out = String::new();
    for hunk in group_diff_ops(line_ops(&old_lines, &new_lines), CONTEXT) {
        let (Some(first), Some(last)) = (hunk.first(), hunk.last()) else {
            continue;
        };
        if out.is_empty() {
            out.push_str(&format!("--- a/{name}.yaml\n+++ b/{name}.yaml\n"));
        }
        out.push_str(&format!(
            "@@ -{} +{} @@\n",
            hunk_range(first.old_range().start, last.old_range().end),
            hunk_range(first.new_range().start, last.new_range().end)
        ));
        for op in &hunk {
            let (old_tag, new_tag) = match op.tag() {
                DiffTag::Equal => (' ', None),
                _ => ('-', Some('+')),
            };
            for line in &old_lines[op.old_range()] {
                push_patch_line(&mut out, old_tag, line);
            }
            if let Some(tag) = new_tag {
                for line in &new_lines[op.new_range()] {
                    push_patch_line(&mut out, tag, line);
                }
            }
        }
    }
    out
}

/// A hunk header's range: `start,len` from 1, just `start` for one line, and for none the line
/// before (`diff`'s convention).
fn hunk_range(start: usize, end: usize) -> String {
    match end - start {
        0 => format!("{start},0"),
        1 => format!("{}", start + 1),
        len => format!("{},{len}", start + 1),
    }
}

fn push_patch_line(out: &mut String, tag: char, line: &str) {
    out.push(tag);
    out.push_str(line);
    if !line.ends_with('\n') {
        out.push_str("\n\\ No newline at end of file\n");
    }
}

/// `metadata.name` of a manifest (the first `name:` indented under `metadata:`).
pub fn manifest_name(yaml: &str) -> Option<String> {
    let mut in_metadata = false;
    for line in yaml.lines() {
        if !line.starts_with([' ', '\t']) {
            in_metadata = line.trim_end() == "metadata:";
            continue;
        }
        if in_metadata {
            if let Some(v) = line.trim_start().strip_prefix("name:") {
                let v = v.trim().trim_matches(['"', '\'']);
                if !v.is_empty() && line.len() - line.trim_start().len() <= 2 {
                    return Some(v.to_owned());
                }
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(d: &LineDiff) -> Vec<(LineKind, Option<usize>, Option<usize>)> {
        d.lines
            .iter()
            .map(|l| (l.kind, l.old_no, l.new_no))
            .collect()
    }

    #[test]
    fn numbers_both_sides_and_counts_changes() {
        let d = compute("a\nb\nc\n", "a\nB\nc\nd\n");
        use LineKind::*;
        assert_eq!(
            kinds(&d),
            vec![
                (Context, Some(1), Some(1)),
                (Removed, Some(2), None),
                (Added, None, Some(2)),
                (Context, Some(3), Some(3)),
                (Added, None, Some(4)),
            ]
        );
        assert_eq!((d.added, d.removed), (2, 1));
        assert_eq!(d.lines[1].text(), "b");
    }

    #[test]
    fn marks_the_changed_word_inside_a_line() {
        let d = compute(
            "spec:\n  image: shop/web:1.4.2\n  replicas: 3\n",
            "spec:\n  image: shop/web:1.5.0\n  replicas: 3\n",
        );
        let removed = &d.lines[1];
        let added = &d.lines[2];
        assert_eq!(removed.kind, LineKind::Removed);
        assert_eq!(added.text(), "  image: shop/web:1.5.0");
        let marked: Vec<&str> = added
            .segments
            .iter()
            .filter(|s| s.marked)
            .map(|s| s.text.as_str())
            .collect();
        assert_eq!(marked, vec!["5.0"]);
        assert!(added
            .segments
            .iter()
            .any(|s| !s.marked && s.text.contains("image:")));
    }

    fn marks(line: &DiffLine) -> Vec<&str> {
        line.segments
            .iter()
            .filter(|s| s.marked)
            .map(|s| s.text.as_str())
            .collect()
    }

    #[test]
    fn tokens_split_words_spaces_and_punctuation() {
        assert_eq!(
            tokens("  image: shop/web:1.41.0"),
            vec!["  ", "image", ":", " ", "shop", "/", "web", ":", "1", ".", "41", ".", "0"]
        );
        assert_eq!(tokens(""), Vec::<&str>::new());
        assert_eq!(tokens("café→crème"), vec!["café", "→", "crème"]);
    }

    #[test]
    fn marks_pair_up_across_several_replaced_lines() {
        let d = compute(
            "a: 1\nreplicas: 3\nport: 8080\nz: 0\n",
            "a: 1\nreplicas: 5\nport: 9090\nz: 0\n",
        );
        let kinds: Vec<LineKind> = d.lines.iter().map(|l| l.kind).collect();
        use LineKind::*;
        assert_eq!(
            kinds,
            vec![Context, Removed, Removed, Added, Added, Context]
        );
        assert_eq!(marks(&d.lines[1]), vec!["3"]);
        assert_eq!(marks(&d.lines[2]), vec!["8080"]);
        assert_eq!(marks(&d.lines[3]), vec!["5"]);
        assert_eq!(marks(&d.lines[4]), vec!["9090"]);
        // The text is intact whatever the marks.
        assert_eq!(d.lines[4].text(), "port: 9090");
    }

    #[test]
    fn a_big_rewrite_is_marked_line_pair_by_line_pair() {
        let old: String = (0..2_000).map(|i| format!("key{i}: value {i}\n")).collect();
        let new: String = (0..2_000)
            .map(|i| format!("key{i}: value {}\n", i + 1))
            .collect();
        let d = compute(&old, &new);
        assert_eq!((d.added, d.removed), (2_000, 2_000));
        let first_added = d
            .lines
            .iter()
            .position(|l| l.kind == LineKind::Added)
            .unwrap();
        assert_eq!(marks(&d.lines[0]), vec!["0"]);
        assert_eq!(marks(&d.lines[first_added]), vec!["1"]);
        assert_eq!(d.lines[first_added].text(), "key0: value 1");
    }

    #[test]
    fn a_line_changed_through_and_through_gets_no_marks() {
        let d = compute("x\nold value\n", "x\nsomething else\n");
        assert!(d.lines.iter().all(|l| marks(l).is_empty()));
        assert_eq!(d.lines[2].text(), "something else");
    }

    #[test]
    fn equal_texts_have_no_changes_and_no_patch() {
        let d = compute("a\nb\n", "a\nb\n");
        assert!(d.is_unchanged());
        assert_eq!(unified("a\nb\n", "a\nb\n", "x"), "");
    }

    #[test]
    fn long_unchanged_stretches_fold_with_context_kept() {
        let old: String = (1..=20).map(|i| format!("line {i}\n")).collect();
        let new = old.replace("line 10\n", "line ten\n");
        let d = compute(&old, &new);
        let b = blocks(&d.lines, CONTEXT, &HashSet::new());
        // 9 unchanged lines before: 6 folded, 3 kept; 10 after: 3 kept, 7 folded.
        assert_eq!(
            b,
            vec![
                Block::Folded(0..6),
                Block::Shown(6..14),
                Block::Folded(14..21)
            ]
        );
        let expanded: HashSet<usize> = [0].into_iter().collect();
        assert_eq!(
            blocks(&d.lines, CONTEXT, &expanded),
            vec![Block::Shown(0..14), Block::Folded(14..21)]
        );
    }

    #[test]
    fn short_stretches_stay_visible() {
        let d = compute("a\nb\nc\nd\ne\n", "a\nb\nX\nd\ne\n");
        assert_eq!(
            blocks(&d.lines, CONTEXT, &HashSet::new()),
            vec![Block::Shown(0..6)]
        );
    }

    #[test]
    fn a_line_budget_truncates_and_reports_the_rest() {
        let b = vec![
            Block::Shown(0..5),
            Block::Folded(5..20),
            Block::Shown(20..30),
        ];
        assert_eq!(
            take_lines(&b, 8),
            (
                vec![
                    Block::Shown(0..5),
                    Block::Folded(5..20),
                    Block::Shown(20..23)
                ],
                7
            )
        );
    }

    #[test]
    fn side_by_side_pairs_replacements() {
        let d = compute("a\nb\nc\nz\n", "a\nB\nz\n");
        let rows = side_by_side(&d.lines, 0..d.lines.len());
        assert_eq!(
            rows,
            vec![
                (Some(0), Some(0)),
                (Some(1), Some(3)),
                (Some(2), None),
                (Some(4), Some(4))
            ]
        );
    }

    #[test]
    fn unified_text_has_headers_hunks_and_newline_notes() {
        let text = unified("a\nb\nc", "a\nb\nd\n", "web");
        assert_eq!(
            text,
            "--- a/web.yaml\n+++ b/web.yaml\n@@ -1,3 +1,3 @@\n a\n b\n-c\n\\ No newline at end of file\n+d\n"
        );
        let from_nothing = unified("", "x\n", "web");
        assert!(
            from_nothing.contains("@@ -0,0 +1 @@\n+x\n"),
            "{from_nothing}"
        );
    }

    #[test]
    fn finds_the_manifest_name() {
        let yaml = "apiVersion: spot.io/v1beta1\nkind: SpotDeployment\nmetadata:\n  labels:\n    name: nope\n  name: checkout\n  namespace: payments\nspec:\n  name: x\n";
        assert_eq!(manifest_name(yaml).as_deref(), Some("checkout"));
        assert_eq!(manifest_name("kind: X\n"), None);
    }

    #[test]
    fn the_last_line_without_newline_is_flagged() {
        let d = compute("a\nb", "a\nc");
        assert!(d.lines.last().unwrap().no_newline);
    }

    /// A SpotDeployment-like manifest of about `lines` lines; `variant` changes some values.
    fn manifest(lines: usize, variant: u32) -> String {
        let mut out = String::from("apiVersion: spot.io/v1beta1\nkind: SpotDeployment\nmetadata:\n  name: web\nspec:\n  containers:\n");
        let mut i = 0;
        while out.lines().count() < lines {
            let tag = if variant > 0 && i % 37 == 0 {
                format!("1.{variant}.{i}")
            } else {
                format!("1.0.{i}")
            };
            out.push_str(&format!(
                "  - name: c{i}\n    image: registry.example.com/shop/c{i}:{tag}\n    env:\n    - name: LEVEL_{i}\n      value: \"{}\"\n",
                if variant > 0 && i % 53 == 0 { "debug" } else { "info" }
            ));
            i += 1;
        }
        out
    }

    /// Applies `diff` to `old` with the system's `patch -p1`; None when `patch` is not installed.
    fn apply_with_patch(old: &str, diff: &str, name: &str) -> Option<String> {
        use std::process::Command;
        if Command::new("patch").arg("--version").output().is_err() {
            eprintln!("skipped: `patch` is not installed");
            return None;
        }
        let dir = std::env::temp_dir().join(format!(
            "console-diff-{}-{}",
            std::process::id(),
            name.replace('/', "_")
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join(format!("{name}.yaml"));
        std::fs::write(&file, old).unwrap();
        std::fs::write(dir.join("change.diff"), diff).unwrap();
        let out = Command::new("patch")
            .args([
                "-p1",
                "--batch",
                "--no-backup-if-mismatch",
                "-i",
                "change.diff",
            ])
            .current_dir(&dir)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "patch failed: {}\n{}\n--- diff ---\n{diff}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        let patched = std::fs::read_to_string(&file).unwrap();
        let _ = std::fs::remove_dir_all(&dir);
        Some(patched)
    }

    #[test]
    fn unified_diffs_round_trip_through_patch() {
        let cases: Vec<(&str, String, String)> = vec![
            ("simple", "a\nb\nc\n".into(), "a\nB\nc\n".into()),
            ("old-no-eol", "a\nb".into(), "a\nb\nc\n".into()),
            ("new-no-eol", "a\nb\n".into(), "a\nc".into()),
            ("both-no-eol", "x\ny".into(), "x\nz".into()),
            ("prepend", "b\nc\n".into(), "a\nb\nc\n".into()),
            ("drop-all-but-one", "a\nb\nc\nd\n".into(), "d\n".into()),
            (
                "unicode",
                "name: café\n# ünïcode ✓\n".into(),
                "name: crème\n# ünïcode ✓\n".into(),
            ),
            ("manifest", manifest(400, 0), manifest(400, 2)),
        ];
        for (name, old, new) in cases {
            let text = unified(&old, &new, name);
            assert!(
                text.starts_with(&format!("--- a/{name}.yaml\n+++ b/{name}.yaml\n@@ -")),
                "{text}"
            );
            match apply_with_patch(&old, &text, name) {
                Some(patched) => assert_eq!(patched, new, "case {name}"),
                None => return,
            }
        }
    }

    /// `cargo test --release -p rollout-console bench_diff -- --ignored --nocapture`
    /// (or `scripts/bench-diff.sh`): prints how long two 5,000-line manifests take.
    #[test]
    #[ignore]
    fn bench_diff() {
        use std::time::Instant as Clock;
        for (label, old, new) in [
            (
                "5,000 lines, ~5% changed",
                manifest(5_000, 0),
                manifest(5_000, 1),
            ),
            (
                "5,000 lines, 2,000 changed",
                manifest(5_000, 0),
                manifest(5_000, 0).replace("c", "k"),
            ),
            (
                "5,000 lines, every line changed",
                manifest(5_000, 0),
                manifest(5_000, 0)
                    .lines()
                    .map(|l| format!("{l} # edited\n"))
                    .collect(),
            ),
        ] {
            let t = Clock::now();
            let d = compute(&old, &new);
            let diff_ms = t.elapsed().as_secs_f64() * 1e3;
            let t = Clock::now();
            let b = blocks(&d.lines, CONTEXT, &HashSet::new());
            let (shown, hidden) = take_lines(&b, 400);
            let fold_ms = t.elapsed().as_secs_f64() * 1e3;
            let t = Clock::now();
            let text = unified(&old, &new, "web");
            let unified_ms = t.elapsed().as_secs_f64() * 1e3;
            println!(
                "{label}: diff+marks {diff_ms:.1} ms ({} lines, +{} -{}), fold {fold_ms:.2} ms \
                 ({} blocks, {} first rendered, {hidden} behind \"show more\"), unified \
                 {unified_ms:.1} ms ({} bytes)",
                d.lines.len(),
                d.added,
                d.removed,
                b.len(),
                shown
                    .iter()
                    .filter(|b| matches!(b, Block::Shown(_)))
                    .map(|b| b.range().len())
                    .sum::<usize>(),
                text.len()
            );
        }
    }
}
