//! Image names and counts as people read them.

/// An image split where it may be shortened: the registry and path (which may be cut with an
/// ellipsis) and the name with its tag or digest (which is always shown whole).
/// `registry.example.com/payments/checkout:1.42.0` -> (`registry.example.com/payments/`, `checkout:1.42.0`).
pub fn image_parts(image: &str) -> (&str, &str) {
    // The path ends at the last '/' before any '@' digest.
    let before_digest = image.split('@').next().unwrap_or(image);
    match before_digest.rfind('/') {
        Some(i) => image.split_at(i + 1),
        None => ("", image),
    }
}

/// "checkout:1.4.2" from "registry.example.com/payments/checkout:1.4.2": the part people read.
pub fn short_image(image: &str) -> &str {
    image_parts(image).1
}

/// "10,000".
pub fn group_digits(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// "12 of 52 rollouts in the last 7 days" (or "52 rollouts …" when nothing is filtered out);
/// `phrase` is the date range's, e.g. [`Preset::phrase`].
pub fn count_text(shown: usize, loaded: usize, phrase: &str) -> String {
    let noun = |n: usize| if n == 1 { "rollout" } else { "rollouts" };
    if shown == loaded {
        format!("{} {} {phrase}", group_digits(loaded), noun(loaded))
    } else {
        format!(
            "{} of {} {} {phrase}",
            group_digits(shown),
            group_digits(loaded),
            noun(loaded),
        )
    }
}
