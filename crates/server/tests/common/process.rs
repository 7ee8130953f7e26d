//! The real `rollout-server` binary, started on 127.0.0.1 with a port of its choosing.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

pub const BIN: &str = env!("CARGO_BIN_EXE_rollout-server");

/// A running server; dropping it kills the process (SIGKILL on Unix).
pub struct Served {
    pub child: Child,
    pub url: String,
}

impl Served {
    /// `http://127.0.0.1:PORT`, without the trailing slash.
    pub fn base(&self) -> String {
        self.url.trim_end_matches('/').to_string()
    }

    /// SIGKILL: no shutdown code runs.
    pub fn kill_9(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `rollout-server serve` (manual clock, no console) on `data` and waits for the line
/// with its URL.
pub fn serve(data: &std::path::Path, extra: &[&str]) -> Served {
    let mut child = Command::new(BIN)
        .args([
            "serve",
            "--addr",
            "127.0.0.1:0",
            "--manual-clock",
            "--dist",
            "/nonexistent",
        ])
        .arg("--data-dir")
        .arg(data)
        .args(extra)
        .env_remove("ROLLOUT_TOKEN")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the server starts");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let line = line.trim_end().to_string();
    let rest = line
        .strip_prefix("Rollout Console: http://127.0.0.1:")
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"));
    let (port, tail) = rest.split_once('/').unwrap();
    assert!(port.parse::<u16>().unwrap() > 0, "{line}");
    Served {
        child,
        url: format!("http://127.0.0.1:{port}/{tail}"),
    }
}
