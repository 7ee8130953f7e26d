//! Starting the engine: restore it from the data dir, or seed the demo, or start empty.

use crate::core::{ClockMode, Core};
use crate::store::Store;
use crate::stream::Hub;
use crate::{demo, CLUSTERS};
use rollout_engine::Engine;
use std::path::PathBuf;
use std::sync::Arc;

/// Messages the live stream remembers for reconnecting clients.
pub const REPLAY_CAPACITY: usize = 4096;

pub struct Options {
    /// Where the SQLite database lives; None keeps everything in memory (tests).
    pub data_dir: Option<PathBuf>,
    /// Seed the demo catalogue when there is nothing stored yet.
    pub demo: bool,
    pub mode: ClockMode,
}

/// How the engine came to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    Restored,
    Seeded,
    Fresh,
}

pub struct Opened {
    pub core: Arc<Core>,
    pub origin: Origin,
}

/// Opens the store, restores or creates the engine and writes a fresh one down.
pub async fn open(opts: &Options) -> Result<Opened, String> {
    let (store, loaded) = match &opts.data_dir {
        Some(dir) => {
            let dir = dir.clone();
            let (store, loaded) = tokio::task::spawn_blocking(move || Store::open(&dir))
                .await
                .map_err(|e| e.to_string())??;
            (Some(store), loaded.state)
        }
        None => (None, None),
    };
    let (engine, origin) = match loaded {
        Some(state) => (Engine::restore(state), Origin::Restored),
        None if opts.demo => {
            let now = chrono::Utc::now();
            let engine = tokio::task::spawn_blocking(move || demo::seed(now))
                .await
                .map_err(|e| e.to_string())??;
            (engine, Origin::Seeded)
        }
        None => (Engine::new(chrono::Utc::now(), CLUSTERS), Origin::Fresh),
    };
    let core = Arc::new(Core::new(
        engine,
        store,
        opts.mode,
        Hub::new(REPLAY_CAPACITY),
    ));
    if origin != Origin::Restored {
        let meta = vec![
            ("created_at".to_string(), chrono::Utc::now().to_rfc3339()),
            ("demo".to_string(), (origin == Origin::Seeded).to_string()),
        ];
        core.persist_all(meta).await.map_err(|e| e.0)?;
    }
    Ok(Opened { core, origin })
}
