//! Charts drawn as SVG by the console: pure layout (scales, ticks, thresholds, paths) with unit
//! tests; the components in `components/` only turn these into markup.

pub mod scale;
pub mod timeline;
#[cfg(test)]
mod timeline_tests;
pub mod trend;
pub mod verification;

/// The drawing area inside a `width`×`height` SVG box, leaving room for the axis labels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Frame {
    pub width: f64,
    pub height: f64,
    pub left: f64,
    pub right: f64,
    pub top: f64,
    pub bottom: f64,
}

impl Frame {
    pub fn new(width: f64, height: f64) -> Frame {
        Frame {
            width,
            height,
            left: 44.0,
            right: width - 12.0,
            top: 10.0,
            bottom: height - 22.0,
        }
    }
}

/// A tick on an axis: where it sits and what it says.
#[derive(Debug, Clone, PartialEq)]
pub struct Tick {
    pub pos: f64,
    pub label: String,
}
