//! Reading an applied YAML stream: splitting it into documents (to know each one's first line),
//! deserialising each into its kind and checking what serde cannot (rising weights, durations,
//! conditions, one provider block, annotations). Errors carry the line and column in the stream.
//!
//! - `stream`: the stream as a whole (splitting, the document cap, per-document results).
//! - `document`: one document (its kind and apiVersion, string lengths) and what it holds.
//! - `cli_form`: the Ocean CD CLI's wrapped form (`strategy: {name: …}`).
//! - `fields`: checks shared by every kind (names, caps, durations) and where a field is.
//! - `spot_deployment`, `strategy`, `rollout_spec`, `verification`, `service`: each
//!   kind's own checks.

mod cli_form;
mod document;
mod fields;
mod rollout_spec;
mod service;
mod spot_deployment;
mod strategy;
mod stream;
mod verification;

pub(crate) use cli_form::entity_field_at;
pub use document::{parse_document, Parsed};
pub use rollout_spec::RolloutSpecInfo;
pub use service::ServiceInfo;
pub use spot_deployment::SpotDeploymentInfo;
pub use strategy::{PhaseSpec, StrategyInfo};
pub use stream::{check_stream, identity, parse_stream, split_stream};
pub use stream::{CheckedStream, ParsedStream, SplitDoc};
pub use verification::{MetricSpec, ProviderInfo, TemplateInfo};

pub const ANN_STRATEGY: &str = "oceancd.spot.io/strategy";
pub const ANN_CLUSTER: &str = "oceancd.spot.io/cluster-id";

/// A problem in one document; `line` is 1-based within the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocError {
    pub message: String,
    pub line: usize,
    pub column: usize,
}

impl DocError {
    fn at(message: impl Into<String>, (line, column): (usize, usize)) -> DocError {
        DocError {
            message: message.into(),
            line,
            column,
        }
    }
}
