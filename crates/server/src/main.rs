//! `rollout-server`: the rollout engine behind a JSON API, with the console served beside it.

use clap::{Args, Parser, Subcommand};
use rollout_engine::Retention;
use rollout_server::client::{self, Client};
use rollout_server::{boot, snapshot, ClockMode, Source};
use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "rollout-server",
    version,
    about = "Canary rollout engine, JSON API and console server",
    long_about = "Runs the rollout engine (Ocean CD semantics over a simulated cluster) behind a JSON \
                  API with a live stream, stores it in SQLite, and serves the built console. \
                  `apply` and `set-image` talk to a running server."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the API and the built console.
    Serve(ServeArgs),
    /// Apply a multi-document YAML file to a running server (like `kubectl apply -f`).
    Apply(ApplyArgs),
    /// Change one container's image of a SpotDeployment on a running server (starts a rollout).
    SetImage(SetImageArgs),
}

#[derive(Args)]
struct ServeArgs {
    /// Address to listen on. Stays on loopback unless you say otherwise; port 0 picks a free
    /// port (the URL printed says which).
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: SocketAddr,
    /// Folder of the SQLite database; state survives restarts there.
    #[arg(long, default_value = "data")]
    data_dir: PathBuf,
    /// The built console (Trunk's dist/ folder with index.html).
    #[arg(long, default_value = "dist")]
    dist: PathBuf,
    /// When the data dir is empty: seed two clusters, a week of history and the live demo
    /// rollouts of docs/contract.md.
    #[arg(long)]
    demo: bool,
    /// How fast simulated time runs compared to real time (e.g. 10 = ten times faster).
    #[arg(long, default_value_t = 1.0, value_parser = parse_speed)]
    speed: f64,
    /// Stop the clock: time moves only on `POST /api/v1/sim/advance {"seconds": N}`
    /// (deterministic tests).
    #[arg(long)]
    manual_clock: bool,
    /// Require this token (at least 32 characters) on every request but health: as
    /// `Authorization: Bearer TOKEN`, or the session cookie the console gets for it. The printed
    /// console URL carries it in its fragment (`#token=`), which browsers never send.
    #[arg(long, env = "ROLLOUT_TOKEN", hide_env_values = true)]
    token: Option<String>,
    /// With --token, let reads (lists, rollouts, the stream) through without it.
    #[arg(long)]
    public_reads: bool,
    /// Also answer to this host name (`name` or `name:port`; repeatable). Loopback names on
    /// the bound port are always answered; any other Host gets 421 (DNS rebinding).
    #[arg(long = "allowed-host", value_name = "HOST")]
    allowed_hosts: Vec<String>,
    /// Serve a non-loopback --addr without a token (anyone who reaches it can change things).
    #[arg(long)]
    insecure_no_auth: bool,
    /// Refuse every change with 403 (the console hides its actions).
    #[arg(long)]
    read_only: bool,
    /// Every action needs a reason: the console's confirm dialog requires one, and an action
    /// without one answers 422.
    #[arg(long)]
    require_reason: bool,
    /// Show Kubernetes objects instead of the simulator: a file or a folder of files as
    /// `kubectl get … -o yaml` (or `-o json`) writes them (Argo Rollouts' Rollout,
    /// AnalysisRun, AnalysisTemplate, Experiment; ReplicaSet, Pod, Service, Event). Read-only:
    /// every action answers 409. No data dir is used.
    #[arg(long, value_name = "PATH", conflicts_with_all = ["demo", "manual_clock", "kubeconfig"])]
    snapshot: Option<PathBuf>,
    /// Show live clusters through their API servers (Argo Rollouts): the kubeconfig at PATH,
    /// or without PATH `$KUBECONFIG`, `~/.kube/config`, or the service account of the pod the
    /// server runs in. Actions patch the Rollouts as the kubeconfig's user. The data dir keeps
    /// the revisions the clusters no longer have.
    #[arg(long, value_name = "PATH", num_args = 0..=1, conflicts_with_all = ["demo", "manual_clock"])]
    kubeconfig: Option<Option<PathBuf>>,
    /// With --kubeconfig: a context to show, each one a cluster (repeatable; default: the
    /// current context).
    #[arg(long = "context", value_name = "NAME", requires = "kubeconfig")]
    contexts: Vec<String>,
    /// With --kubeconfig: watch only this namespace (repeatable; default: all namespaces).
    #[arg(
        long = "namespace",
        short = 'n',
        value_name = "NS",
        requires = "kubeconfig"
    )]
    namespaces: Vec<String>,
    /// Events kept per rollout (the newest), and per cluster of its events that belong to no
    /// rollout (`/clusters/{id}/events`); the API and the console say how many older ones were
    /// removed.
    #[arg(long, value_name = "N", default_value_t = Retention::DEFAULT_MAX_EVENTS, value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..=1_000_000))]
    max_events_per_rollout: usize,
    /// Actions kept per rollout (the newest); the rollout says how many older ones were removed.
    #[arg(long, value_name = "N", default_value_t = Retention::DEFAULT_MAX_ACTIONS, value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..=1_000_000))]
    max_actions_per_rollout: usize,
}

#[derive(Args)]
struct ClientArgs {
    /// The running server.
    #[arg(long, default_value = "http://127.0.0.1:8080", env = "ROLLOUT_SERVER")]
    server: String,
    /// The server's token, when it has one.
    #[arg(long, env = "ROLLOUT_TOKEN", hide_env_values = true)]
    token: Option<String>,
}

#[derive(Args)]
struct ApplyArgs {
    /// The YAML file to apply (`-` reads standard input).
    #[arg(short = 'f', long = "filename")]
    file: PathBuf,
    /// Change nothing: print what the apply would do (each document created, configured,
    /// unchanged or invalid with its line; rollouts that would start, be canceled or resume;
    /// a unified diff of each changed document against what is stored). Exits with an error
    /// when a document is invalid.
    #[arg(long)]
    dry_run: bool,
    #[command(flatten)]
    client: ClientArgs,
}

#[derive(Args)]
struct SetImageArgs {
    /// The SpotDeployment, as NAMESPACE/NAME.
    target: String,
    /// The new image of one container, as CONTAINER=IMAGE.
    image: String,
    /// The cluster, when the SpotDeployment exists in more than one.
    #[arg(long)]
    cluster: Option<String>,
    #[command(flatten)]
    client: ClientArgs,
}

fn parse_speed(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(v) if v.is_finite() && v > 0.0 && v <= 100_000.0 => Ok(v),
        _ => Err("a number above 0 and at most 100000".into()),
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Serve(args) => serve(args),
        Command::Apply(args) => apply(args),
        Command::SetImage(args) => set_image(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn apply(args: ApplyArgs) -> Result<(), String> {
    let (yaml, source) = if args.file.as_os_str() == "-" {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin(), &mut s)
            .map_err(|e| format!("stdin: {e}"))?;
        (s, "stdin".to_string())
    } else {
        let s = std::fs::read_to_string(&args.file)
            .map_err(|e| format!("{}: {e}", args.file.display()))?;
        (s, args.file.display().to_string())
    };
    let client = Client::new(&args.client.server, args.client.token);
    if args.dry_run {
        let plan = client::plan_text(&client, &yaml, &source).map_err(|e| e.0)?;
        println!("{}", plan.text);
        if !plan.valid {
            return Err(format!(
                "{source}: {} invalid document{}",
                plan.invalid,
                if plan.invalid == 1 { "" } else { "s" }
            ));
        }
        return Ok(());
    }
    let out = client::apply_text(&client, &yaml, &source).map_err(|e| e.0)?;
    println!("{out}");
    Ok(())
}

fn set_image(args: SetImageArgs) -> Result<(), String> {
    let client = Client::new(&args.client.server, args.client.token);
    let out = client::set_image(&client, args.cluster.as_deref(), &args.target, &args.image)
        .map_err(|e| e.0)?;
    println!("{out}");
    Ok(())
}

fn serve(args: ServeArgs) -> Result<(), String> {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .init();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    runtime.block_on(run(args))
}

/// The snapshot, live clusters, or the engine restored from the data dir (or seeded, or
/// fresh).
async fn open_source(args: &ServeArgs) -> Result<Source, String> {
    let started = std::time::Instant::now();
    if let Some(kubeconfig) = args.kubeconfig.clone() {
        let source = rollout_server::live::open(rollout_server::live::Options {
            kubeconfig,
            contexts: args.contexts.clone(),
            namespaces: args.namespaces.clone(),
            data_dir: Some(args.data_dir.clone()),
        })
        .await?;
        if let rollout_server::source::KubeMode::Live(live) = source.mode() {
            for t in live.targets() {
                tracing::info!(
                    "watching cluster {} ({}) in {}",
                    t.name,
                    t.id,
                    if t.namespaces.is_empty() {
                        "all namespaces".to_string()
                    } else {
                        t.namespaces.join(", ")
                    }
                );
            }
        }
        return Ok(Source::Kube(source));
    }
    if let Some(path) = args.snapshot.clone() {
        let shown = path.display().to_string();
        let kube = tokio::task::spawn_blocking(move || snapshot::open(&path))
            .await
            .map_err(|e| e.to_string())?
            .map_err(|e| e.to_string())?;
        let source = Source::Kube(std::sync::Arc::new(kube));
        if let Some(info) = source.snapshot() {
            let skipped: Vec<String> = info
                .skipped
                .iter()
                .map(|s| format!("{} {}", s.count, s.kind))
                .collect();
            tracing::info!(
                "snapshot {shown} in {:.1?}: {} objects, {} rollouts, taken at {}; skipped: {}",
                started.elapsed(),
                info.objects,
                source.rollouts().len(),
                info.taken_at.to_rfc3339(),
                if skipped.is_empty() {
                    "none".to_string()
                } else {
                    skipped.join(", ")
                }
            );
        }
        return Ok(source);
    }
    let mode = if args.manual_clock {
        ClockMode::Manual
    } else {
        ClockMode::Real { speed: args.speed }
    };
    let opened = boot::open(&boot::Options {
        data_dir: Some(args.data_dir.clone()),
        demo: args.demo,
        mode,
    })
    .await?;
    let retention = Retention {
        max_events: args.max_events_per_rollout,
        max_actions: args.max_actions_per_rollout,
    };
    opened
        .core
        .set_retention(retention)
        .await
        .map_err(|e| format!("cannot apply the retention limits: {}", e.0))?;
    tracing::info!(
        "{:?} engine from {} in {:.1?}: {} rollouts, clock {:?}",
        opened.origin,
        args.data_dir.display(),
        started.elapsed(),
        opened.core.rollouts().len(),
        mode
    );
    Ok(Source::Engine(opened.core))
}

async fn run(args: ServeArgs) -> Result<(), String> {
    let token = args.token.clone().filter(|t| !t.is_empty());
    if let Some(t) = &token {
        rollout_server::security::check_token(t).map_err(|e| format!("--token: {e}"))?;
    }
    rollout_server::security::check_exposure(args.addr, token.as_deref(), args.insecure_no_auth)?;
    let source = open_source(&args).await?;
    let listener = tokio::net::TcpListener::bind(args.addr)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", args.addr))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    let state = rollout_server::AppState::with_source(
        rollout_server::Config {
            dist: args.dist,
            token: token.clone(),
            read_only: args.read_only,
            require_reason: args.require_reason,
            public_reads: args.public_reads,
            allowed_hosts: args.allowed_hosts,
            bound: Some(addr),
        },
        source.clone(),
    );
    // The token rides in the fragment: never sent to the server, never in its logs.
    let fragment = token.map(|t| format!("#token={t}")).unwrap_or_default();
    {
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "Rollout Console: http://{addr}/{fragment}");
        let _ = out.flush();
    }
    let _ticker = match &source {
        Source::Engine(core) => core.spawn_ticker(),
        Source::Kube(_) => None,
    };
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let server =
        axum::serve(listener, rollout_server::app(state)).with_graceful_shutdown(async move {
            let mut rx = stop_rx;
            let _ = rx.wait_for(|s| *s).await;
        });
    let server = tokio::spawn(async move { server.await });
    shutdown_signal().await;
    tracing::info!("shutting down");
    let _ = stop_tx.send(true);
    // Live streams never end by themselves: give requests a moment, then go.
    let _ = tokio::time::timeout(std::time::Duration::from_secs(2), server).await;
    if let Some(store) = source.engine().ok().and_then(|c| c.store()) {
        // Every queued write is committed before this answers.
        let _ = store.counts().await;
    }
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}
