//! A throwaway PostgreSQL cluster for the database tests and benchmarks: Debian's
//! `postgresql` package, a data directory under target/, 127.0.0.1 on a free port, password
//! logins over TCP. It is stopped and removed when dropped, so also when a step fails.
//!
//! PostgreSQL refuses to run as root; as root the cluster runs as the `postgres` user the
//! package creates (through `runuser`), otherwise as whoever runs xtask.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::{shell, tools};

/// The superuser the tests log in as, and its password (the cluster lives for one run and
/// listens on 127.0.0.1 only).
pub const USER: &str = "clerk_test";
pub const PASSWORD: &str = "throwaway-7Jq2";

pub struct Cluster {
    bin: PathBuf,
    data: PathBuf,
    run_as: Option<&'static str>,
    pub port: u16,
}

impl Cluster {
    /// initdb, then pg_ctl start, waiting until it accepts connections.
    pub fn start(root: &Path) -> Result<Cluster, String> {
        let bin = tools::ensure_postgres()?;
        let run_as = tools::is_root().then_some("postgres");
        let port = free_port()?;
        let data = root
            .join("target/postgres")
            .join(format!("cluster-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&data);
        std::fs::create_dir_all(&data).map_err(|e| format!("cannot create {data:?}: {e}"))?;
        let pwfile = data.with_extension("pw");
        std::fs::write(&pwfile, PASSWORD).map_err(|e| format!("cannot write {pwfile:?}: {e}"))?;
        if let Some(user) = run_as {
            for path in [&data, &pwfile] {
                shell::run(Command::new("chown").args(["-R", user]).arg(path))?;
            }
        }
        let cluster = Cluster {
            bin,
            data,
            run_as,
            port,
        };
        let initdb = cluster
            .command("initdb")
            .arg("-D")
            .arg(&cluster.data)
            .args([
                "-U",
                USER,
                "--auth-host=scram-sha-256",
                "--auth-local=trust",
            ])
            .args(["--encoding=UTF8", "--locale=C.UTF-8", "--no-sync"])
            .arg(format!("--pwfile={}", pwfile.display()))
            .output()
            .map_err(|e| format!("cannot run initdb: {e}"))?;
        let _ = std::fs::remove_file(&pwfile);
        if !initdb.status.success() {
            return Err(format!(
                "initdb failed: {}",
                String::from_utf8_lossy(&initdb.stderr)
            ));
        }
        let options = format!(
            "-p {port} -c listen_addresses=127.0.0.1 -k {} -c fsync=off -c synchronous_commit=off -c full_page_writes=off",
            cluster.data.display()
        );
        shell::run(
            cluster
                .command("pg_ctl")
                .arg("-D")
                .arg(&cluster.data)
                .args(["-o", &options, "-l"])
                .arg(cluster.data.join("server.log"))
                .args(["-w", "-t", "60", "start"]),
        )?;
        eprintln!(
            "PostgreSQL on 127.0.0.1:{port}, data in {}",
            cluster.data.display()
        );
        Ok(cluster)
    }

    /// The superuser's address, password included (for the tests only).
    pub fn url(&self) -> String {
        format!(
            "postgres://{USER}:{PASSWORD}@127.0.0.1:{}/postgres",
            self.port
        )
    }

    fn command(&self, program: &str) -> Command {
        let path = self.bin.join(program);
        match self.run_as {
            Some(user) => {
                let mut cmd = Command::new("runuser");
                cmd.args(["-u", user, "--"]).arg(path);
                cmd
            }
            None => Command::new(path),
        }
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = self
            .command("pg_ctl")
            .arg("-D")
            .arg(&self.data)
            .args(["-m", "immediate", "-w", "stop"])
            .output();
        let _ = std::fs::remove_dir_all(&self.data);
    }
}

/// A port nothing listens on now (the kernel's pick, released for PostgreSQL to take).
fn free_port() -> Result<u16, String> {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .map_err(|e| format!("no free port on 127.0.0.1: {e}"))
}
