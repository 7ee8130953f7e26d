//! App-wide state, one small module each: the struct, its `provide_…()` (called once by the
//! app) and its `expect_…()` accessor (called by pages and widgets).

pub mod fleet;
pub mod live;
pub mod palette;
pub mod server_info;
