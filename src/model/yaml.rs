//! A small YAML tokenizer for syntax colouring (not a parser: it only has to colour what a
//! person reads: keys, strings, numbers, booleans, comments, list dashes, document markers).

/// Kind of a piece of a line; the CSS class is `yaml__{modifier}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    Key,
    Punct,
    String,
    Number,
    Literal,
    Comment,
    Marker,
    Plain,
}

impl TokenKind {
    pub fn modifier(self) -> &'static str {
        match self {
            TokenKind::Key => "key",
            TokenKind::Punct => "punct",
            TokenKind::String => "string",
            TokenKind::Number => "number",
            TokenKind::Literal => "literal",
            TokenKind::Comment => "comment",
            TokenKind::Marker => "marker",
            TokenKind::Plain => "plain",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub kind: TokenKind,
    pub text: String,
}

fn tok(kind: TokenKind, text: &str) -> Token {
    Token {
        kind,
        text: text.to_string(),
    }
}

/// Index of a `#` that starts a comment (outside quotes, at the start or after a space).
fn comment_start(s: &str) -> Option<usize> {
    let mut quote: Option<char> = None;
    let mut prev = ' ';
    for (i, c) in s.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') if prev == ' ' || prev == ':' || i == 0 => quote = Some(c),
            (None, '#') if prev.is_whitespace() || i == 0 => return Some(i),
            _ => {}
        }
        prev = c;
    }
    None
}

/// Index of the `:` ending a mapping key (followed by a space or the end of the line).
fn key_colon(s: &str) -> Option<usize> {
    if s.starts_with('"') || s.starts_with('\'') {
        let q = s.chars().next()?;
        let close = s[1..].find(q)? + 1;
        return s[close + 1..].starts_with(':').then_some(close + 1);
    }
    let bytes = s.as_bytes();
    (0..bytes.len())
        .find(|&i| bytes[i] == b':' && (i + 1 == bytes.len() || bytes[i + 1] == b' '))
        .filter(|&i| !s[..i].contains(['{', '[', '"']))
}

fn scalar_kind(v: &str) -> TokenKind {
    let t = v.trim();
    if t.starts_with('"') || t.starts_with('\'') {
        TokenKind::String
    } else if matches!(
        t,
        "true" | "false" | "null" | "~" | "yes" | "no" | "True" | "False"
    ) {
        TokenKind::Literal
    } else if t.parse::<f64>().is_ok() {
        TokenKind::Number
    } else if t.starts_with('|') || t.starts_with('>') || t.starts_with('&') || t.starts_with('*') {
        TokenKind::Punct
    } else {
        TokenKind::String
    }
}

/// One line as tokens; concatenating their texts gives the line back.
pub fn tokenize_line(line: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let (code, comment) = match comment_start(line) {
        Some(i) => (&line[..i], Some(&line[i..])),
        None => (line, None),
    };
    let trimmed = code.trim_start();
    let indent = &code[..code.len() - trimmed.len()];
    if !indent.is_empty() {
        out.push(tok(TokenKind::Plain, indent));
    }
    let mut rest = trimmed;
    if rest.trim_end() == "---" || rest.trim_end() == "..." {
        out.push(tok(TokenKind::Marker, rest));
        rest = "";
    }
    while let Some(after) = rest
        .strip_prefix("- ")
        .or(if rest == "-" { Some("") } else { None })
    {
        out.push(tok(TokenKind::Punct, &rest[..rest.len() - after.len()]));
        rest = after;
    }
    if let Some(i) = key_colon(rest) {
        out.push(tok(TokenKind::Key, &rest[..i]));
        out.push(tok(TokenKind::Punct, ":"));
        rest = &rest[i + 1..];
    }
    if !rest.is_empty() {
        let value = rest.trim_start();
        let lead = &rest[..rest.len() - value.len()];
        if !lead.is_empty() {
            out.push(tok(TokenKind::Plain, lead));
        }
        if !value.is_empty() {
            out.push(tok(scalar_kind(value), value));
        }
    }
    if let Some(c) = comment {
        out.push(tok(TokenKind::Comment, c));
    }
    out
}

/// Every line of a document, tokenized.
pub fn tokenize(text: &str) -> Vec<Vec<Token>> {
    text.lines().map(tokenize_line).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use TokenKind::*;

    fn kinds(line: &str) -> Vec<(TokenKind, std::string::String)> {
        tokenize_line(line)
            .into_iter()
            .map(|t| (t.kind, t.text))
            .collect()
    }

    #[test]
    fn keys_values_and_indentation() {
        assert_eq!(
            kinds("  name: canary-3"),
            vec![
                (Plain, "  ".into()),
                (Key, "name".into()),
                (Punct, ":".into()),
                (Plain, " ".into()),
                (String, "canary-3".into())
            ]
        );
        assert_eq!(kinds("setWeight: 20")[3], (Number, "20".into()));
        assert_eq!(kinds("dryRun: false")[3], (Literal, "false".into()));
        assert_eq!(
            kinds("spec:"),
            vec![(Key, "spec".into()), (Punct, ":".into())]
        );
    }

    #[test]
    fn list_items_comments_and_markers() {
        assert_eq!(
            kinds("  - setWeight: 20 # first"),
            vec![
                (Plain, "  ".into()),
                (Punct, "- ".into()),
                (Key, "setWeight".into()),
                (Punct, ":".into()),
                (Plain, " ".into()),
                (Number, "20 ".into()),
                (Comment, "# first".into())
            ]
        );
        assert_eq!(kinds("---"), vec![(Marker, "---".into())]);
        assert_eq!(
            kinds("- web"),
            vec![(Punct, "- ".into()), (String, "web".into())]
        );
    }

    #[test]
    fn quoted_values_keep_their_hash_and_colons() {
        let line = r#"successCondition: "result[0] >= 0.95 # not a comment""#;
        let toks = kinds(line);
        assert_eq!(toks.last().unwrap().0, String);
        assert!(toks.iter().all(|(k, _)| *k != Comment));
        assert_eq!(kinds("image: nginx:1.25")[3], (String, "nginx:1.25".into()));
        assert_eq!(kinds("query: up{job=\"a\"}")[0], (Key, "query".into()));
    }

    #[test]
    fn tokens_give_the_text_back() {
        let doc = "kind: Strategy\nspec:\n  canary:\n    steps:\n      - pause: {}\n";
        let back: Vec<std::string::String> = tokenize(doc)
            .iter()
            .map(|l| l.iter().map(|t| t.text.as_str()).collect())
            .collect();
        assert_eq!(back.join("\n") + "\n", doc);
    }
}
