//! A small HTML writer: tag and attribute names are `&'static str` (written by this crate, never
//! from data); every text and attribute value is escaped. There is no way to write raw markup,
//! so a hostile name, namespace, image or id is always text.

use rollout_api::icon::{status_visual, IconKind};
use rollout_api::text::escape_html;
use rollout_api::RolloutStatus;

#[derive(Default)]
pub struct Html(String);

impl Html {
    /// `<tag name="value" …>`; also how a void element (`col`, `input`) is written.
    pub fn open(&mut self, tag: &'static str, attrs: &[(&'static str, &str)]) -> &mut Html {
        self.0.push('<');
        self.0.push_str(tag);
        for (name, value) in attrs {
            self.0.push(' ');
            self.0.push_str(name);
            self.0.push_str("=\"");
            escape_html(&mut self.0, value);
            self.0.push('"');
        }
        self.0.push('>');
        self
    }

    pub fn close(&mut self, tag: &'static str) -> &mut Html {
        self.0.push_str("</");
        self.0.push_str(tag);
        self.0.push('>');
        self
    }

    pub fn text(&mut self, text: &str) -> &mut Html {
        escape_html(&mut self.0, text);
        self
    }

    /// `<tag …>text</tag>`.
    pub fn element(
        &mut self,
        tag: &'static str,
        attrs: &[(&'static str, &str)],
        text: &str,
    ) -> &mut Html {
        self.open(tag, attrs).text(text).close(tag)
    }

    /// The console's `Icon`: a decorative inline SVG.
    pub fn icon(&mut self, kind: IconKind) -> &mut Html {
        self.open(
            "svg",
            &[
                ("class", "icon "),
                ("viewBox", "0 0 24 24"),
                ("fill", "currentColor"),
                ("aria-hidden", "true"),
                ("focusable", "false"),
            ],
        )
        .element("path", &[("d", kind.path())], "")
        .close("svg")
    }

    /// The console's `StatusIcon`: the status as an icon named by `label`.
    pub fn status_icon(&mut self, status: RolloutStatus, label: &str) -> &mut Html {
        let v = status_visual(status);
        let class = format!("status-icon status-icon--{}", v.modifier);
        self.open(
            "span",
            &[
                ("class", &class),
                ("role", "img"),
                ("aria-label", label),
                ("title", label),
            ],
        )
        .icon(v.icon)
        .close("span")
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_and_attribute_values_are_escaped() {
        let mut h = Html::default();
        h.element(
            "td",
            &[("title", "\"><script>alert(1)</script>")],
            "<img src=x onerror=alert(1)> & 'q'",
        );
        assert_eq!(
            h.into_string(),
            "<td title=\"&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;\">\
             &lt;img src=x onerror=alert(1)&gt; &amp; &#39;q&#39;</td>"
        );
    }

    #[test]
    fn void_elements_and_icons_are_written_whole() {
        let mut h = Html::default();
        h.open("col", &[("class", "c")])
            .status_icon(RolloutStatus::Finished, "Successful");
        let s = h.into_string();
        assert!(s.starts_with("<col class=\"c\"><span class=\"status-icon status-icon--success\""));
        assert!(s.contains("role=\"img\" aria-label=\"Successful\""));
        assert!(s.ends_with("</path></svg></span>"));
    }
}
