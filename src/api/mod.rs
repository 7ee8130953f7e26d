//! The only code that talks to the server: JSON over HTTP, the live event stream, and
//! [`follow::follow`], the one way pages keep up with that stream.

pub mod brief;
pub mod client;
pub mod follow;
pub mod session;
pub mod stream;
