//! Clients for the clusters to watch: one per kubeconfig context, or the pod's own service
//! account when the server runs in a cluster and no kubeconfig is found.

use kube::config::{KubeConfigOptions, Kubeconfig};
use std::path::Path;

/// One cluster to watch.
#[derive(Clone)]
pub struct Target {
    /// The console's cluster id: the context name, lower-cased, with anything but letters,
    /// digits, `-` and `.` turned into `-` (it appears in URLs).
    pub id: String,
    /// The context name as the kubeconfig writes it (`in-cluster` in a pod).
    pub name: String,
    pub client: kube::Client,
    /// The namespaces to watch; empty = all of them.
    pub namespaces: Vec<String>,
}

impl std::fmt::Debug for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Target")
            .field("id", &self.id)
            .field("name", &self.name)
            .field("namespaces", &self.namespaces)
            .finish()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    #[error("kubeconfig {path}: {message}")]
    Kubeconfig { path: String, message: String },
    #[error(
        "no kubeconfig ($KUBECONFIG or ~/.kube/config: {kubeconfig}) and not running in a pod \
         ({in_cluster}); pass --kubeconfig PATH"
    )]
    Nothing {
        kubeconfig: String,
        in_cluster: String,
    },
    #[error("context `{context}` is not in {path} (it has: {known})")]
    NoContext {
        context: String,
        path: String,
        known: String,
    },
    #[error("{path} names no current-context: pass --context NAME (it has: {known})")]
    NoCurrentContext { path: String, known: String },
    #[error("context `{context}`: {message}")]
    Config { context: String, message: String },
    #[error("a client for `{context}`: {message}")]
    Client { context: String, message: String },
}

/// The console id of a context name.
pub fn cluster_id(context: &str) -> String {
    let id: String = context
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '.' {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    let id = id.trim_matches('-').to_string();
    if id.is_empty() {
        "cluster".into()
    } else {
        id
    }
}

/// The clusters to watch: from `path`, else `$KUBECONFIG` or `~/.kube/config`, else the pod's
/// service account. `contexts` empty = the kubeconfig's current context.
pub async fn connect(
    path: Option<&Path>,
    contexts: &[String],
    namespaces: &[String],
) -> Result<Vec<Target>, ConnectError> {
    let (kubeconfig, shown) = match path {
        Some(p) => {
            let kc = Kubeconfig::read_from(p).map_err(|e| ConnectError::Kubeconfig {
                path: p.display().to_string(),
                message: e.to_string(),
            })?;
            (kc, p.display().to_string())
        }
        None => match Kubeconfig::read() {
            Ok(kc) => (kc, "$KUBECONFIG or ~/.kube/config".to_string()),
            Err(kc_err) => {
                // No kubeconfig: the service account of the pod the server runs in.
                let config = kube::Config::incluster().map_err(|e| ConnectError::Nothing {
                    kubeconfig: kc_err.to_string(),
                    in_cluster: e.to_string(),
                })?;
                let client = kube::Client::try_from(config).map_err(|e| ConnectError::Client {
                    context: "in-cluster".into(),
                    message: e.to_string(),
                })?;
                return Ok(vec![Target {
                    id: "in-cluster".into(),
                    name: "in-cluster".into(),
                    client,
                    namespaces: namespaces.to_vec(),
                }]);
            }
        },
    };
    let known = kubeconfig
        .contexts
        .iter()
        .map(|c| c.name.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    let wanted: Vec<String> = if contexts.is_empty() {
        vec![kubeconfig
            .current_context
            .clone()
            .filter(|c| !c.is_empty())
            .ok_or_else(|| ConnectError::NoCurrentContext {
                path: shown.clone(),
                known: known.clone(),
            })?]
    } else {
        contexts.to_vec()
    };
    let mut out: Vec<Target> = Vec::new();
    for context in wanted {
        if !kubeconfig.contexts.iter().any(|c| c.name == context) {
            return Err(ConnectError::NoContext {
                context,
                path: shown,
                known,
            });
        }
        let options = KubeConfigOptions {
            context: Some(context.clone()),
            ..KubeConfigOptions::default()
        };
        let config = kube::Config::from_custom_kubeconfig(kubeconfig.clone(), &options)
            .await
            .map_err(|e| ConnectError::Config {
                context: context.clone(),
                message: e.to_string(),
            })?;
        let client = kube::Client::try_from(config).map_err(|e| ConnectError::Client {
            context: context.clone(),
            message: e.to_string(),
        })?;
        let mut id = cluster_id(&context);
        // Two contexts that read the same: keep both, apart.
        let base = id.clone();
        let mut n = 2;
        while out.iter().any(|t| t.id == id) {
            id = format!("{base}-{n}");
            n += 1;
        }
        out.push(Target {
            id,
            name: context,
            client,
            namespaces: namespaces.to_vec(),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cluster_ids_are_url_safe() {
        assert_eq!(cluster_id("kind-rollouts"), "kind-rollouts");
        assert_eq!(
            cluster_id("arn:aws:eks:us-east-1:1234:cluster/Prod"),
            "arn-aws-eks-us-east-1-1234-cluster-prod"
        );
        assert_eq!(cluster_id("::"), "cluster");
    }
}
