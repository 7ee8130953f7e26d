//! The only code that talks to the server: JSON over HTTP and the live event stream.

pub mod client;
pub mod stream;
