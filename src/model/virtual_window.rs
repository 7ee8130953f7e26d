//! Which rows of a long list to render: the visible slice plus some overscan, and the empty space
//! above and below it, for rows of one fixed height inside a scroll container.

/// A slice `first..end` of the rows, and the spacer heights (px) that stand in for the others.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RowWindow {
    pub first: usize,
    pub end: usize,
    pub pad_top: f64,
    pub pad_bottom: f64,
}

/// The geometry of the scroll container the rows live in.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Viewport {
    pub scroll_top: f64,
    /// Visible height of the container.
    pub height: f64,
    /// Height of whatever sits above the first row inside the container (a sticky header).
    pub header: f64,
}

impl Viewport {
    pub fn new(height: f64) -> Viewport {
        Viewport {
            scroll_top: 0.0,
            height,
            header: 0.0,
        }
    }
}

/// Rows to render for `total` rows of `row_height` px, with `overscan` extra rows either side.
pub fn row_window(total: usize, row_height: f64, vp: Viewport, overscan: usize) -> RowWindow {
    let row_height = row_height.max(1.0);
    let top = (vp.scroll_top - vp.header).max(0.0);
    let first_visible = (top / row_height).floor() as usize;
    let visible = (vp.height / row_height).ceil() as usize + 1;
    let first = first_visible.saturating_sub(overscan).min(total);
    let end = (first_visible + visible + overscan).min(total);
    RowWindow {
        first,
        end,
        pad_top: first as f64 * row_height,
        pad_bottom: (total - end) as f64 * row_height,
    }
}

/// The scroll position that brings row `index` fully into view, or None when it already is.
pub fn reveal(index: usize, row_height: f64, vp: Viewport) -> Option<f64> {
    let row_top = vp.header + index as f64 * row_height;
    let row_bottom = row_top + row_height;
    if row_top < vp.scroll_top + vp.header {
        Some(row_top - vp.header)
    } else if row_bottom > vp.scroll_top + vp.height {
        Some(row_bottom - vp.height)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_top_of_the_list_renders_the_first_screen_and_overscan() {
        let w = row_window(10_000, 34.0, Viewport::new(680.0), 8);
        assert_eq!((w.first, w.end), (0, 29));
        assert_eq!(w.pad_top, 0.0);
        assert_eq!(w.pad_bottom, (10_000 - 29) as f64 * 34.0);
    }

    #[test]
    fn scrolling_moves_the_window_and_keeps_the_total_height() {
        let vp = Viewport {
            scroll_top: 34.0 * 5_000.0 + 10.0,
            height: 680.0,
            header: 0.0,
        };
        let w = row_window(10_000, 34.0, vp, 8);
        assert_eq!(w.first, 4_992);
        assert_eq!(w.end, 5_000 + 21 + 8);
        let rendered = (w.end - w.first) as f64 * 34.0;
        assert_eq!(w.pad_top + rendered + w.pad_bottom, 10_000.0 * 34.0);
    }

    #[test]
    fn the_end_and_tiny_lists_are_clamped() {
        let vp = Viewport {
            scroll_top: 1e9,
            height: 680.0,
            header: 36.0,
        };
        let w = row_window(100, 34.0, vp, 8);
        assert_eq!((w.first, w.end, w.pad_bottom), (100, 100, 0.0));
        let w = row_window(3, 34.0, Viewport::new(680.0), 8);
        assert_eq!((w.first, w.end), (0, 3));
        let w = row_window(0, 34.0, Viewport::new(680.0), 8);
        assert_eq!((w.first, w.end, w.pad_top, w.pad_bottom), (0, 0, 0.0, 0.0));
    }

    #[test]
    fn revealing_a_row_scrolls_only_when_needed() {
        let vp = Viewport {
            scroll_top: 340.0,
            height: 376.0,
            header: 36.0,
        };
        assert_eq!(reveal(12, 34.0, vp), None);
        assert_eq!(reveal(9, 34.0, vp), Some(306.0), "above: scroll up to it");
        // Row 20 spans 716..750 below the header; the view shows up to 716.
        assert_eq!(reveal(20, 34.0, vp), Some(750.0 - 376.0));
    }
}
