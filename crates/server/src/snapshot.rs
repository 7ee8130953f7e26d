//! `serve --snapshot PATH`: Kubernetes objects read from a file or a folder of files, as
//! `kubectl get … -o yaml|json` wrote them, mapped once and served read-only.

use crate::source::{KubeMode, KubeSource};
use crate::stream::Hub;
use rollout_api as api;
use rollout_kube::{ClusterRef, LoadError, Loaded};
use std::path::{Path, PathBuf};

/// The cluster id every snapshot rollout carries.
pub const SNAPSHOT_CLUSTER: &str = "snapshot";

#[derive(Debug, thiserror::Error)]
pub enum SnapshotError {
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(transparent)]
    Load(#[from] LoadError),
    #[error("{}: no .yaml, .yml or .json file to read", .0.display())]
    NoFiles(PathBuf),
}

/// The files a snapshot path stands for: itself, or every YAML/JSON file under it, in name
/// order.
pub fn files(path: &Path) -> Result<Vec<PathBuf>, SnapshotError> {
    let io = |source| SnapshotError::Io {
        path: path.to_path_buf(),
        source,
    };
    let meta = std::fs::metadata(path).map_err(io)?;
    if !meta.is_dir() {
        return Ok(vec![path.to_path_buf()]);
    }
    let mut out = Vec::new();
    let mut dirs = vec![path.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        let entries = std::fs::read_dir(&dir).map_err(|source| SnapshotError::Io {
            path: dir.clone(),
            source,
        })?;
        for entry in entries {
            let p = entry
                .map_err(|source| SnapshotError::Io {
                    path: dir.clone(),
                    source,
                })?
                .path();
            if p.is_dir() {
                dirs.push(p);
            } else if p
                .extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| matches!(e, "yaml" | "yml" | "json"))
            {
                out.push(p);
            }
        }
    }
    out.sort();
    if out.is_empty() {
        return Err(SnapshotError::NoFiles(path.to_path_buf()));
    }
    Ok(out)
}

/// Reads and maps a snapshot.
pub fn open(path: &Path) -> Result<KubeSource, SnapshotError> {
    let mut loaded = Loaded::default();
    for file in files(path)? {
        let text = std::fs::read_to_string(&file).map_err(|source| SnapshotError::Io {
            path: file.clone(),
            source,
        })?;
        loaded.add(&file.display().to_string(), &text)?;
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| path.display().to_string());
    let cluster = ClusterRef {
        id: SNAPSHOT_CLUSTER.into(),
        name: format!("Snapshot {name}"),
    };
    // Taken at the newest moment the objects record (now, when they record none).
    let taken_at = rollout_kube::newest_timestamp(&loaded.objects).unwrap_or_else(chrono::Utc::now);
    let view = rollout_kube::build(&loaded.objects, &cluster, taken_at);
    let info = api::SnapshotInfo {
        taken_at,
        objects: loaded.objects.len(),
        skipped: loaded
            .skipped
            .iter()
            .map(|(kind, count)| api::SkippedKind {
                kind: kind.clone(),
                count: *count,
            })
            .collect(),
    };
    Ok(KubeSource::new(
        view,
        KubeMode::Snapshot(info),
        taken_at,
        Hub::new(crate::boot::REPLAY_CAPACITY),
    ))
}
