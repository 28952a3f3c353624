//! A throwaway PostgreSQL cluster for the database tests and benchmarks: Debian's
//! `postgresql` package, a data directory under target/, 127.0.0.1 on a free port, password
//! logins over TCP. It is stopped and removed when dropped, so also when a step fails.
//!
//! PostgreSQL refuses to run as root; as root the cluster runs as the `postgres` user the
//! package creates (through `runuser`), otherwise as whoever runs xtask.
//!
//! [`Cluster::start_tls`] starts one with `ssl = on` and a certificate for `localhost` signed
//! by a root made for the run (openssl), plus a second root that signed nothing, so the
//! tests can check each sslmode against a real server.

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
    /// The roots the tests check the server against (a TLS cluster only).
    pub tls: Option<Roots>,
}

/// Where a TLS cluster's roots are: `root` signed the server's certificate (for
/// `localhost` only), `other` signed nothing.
pub struct Roots {
    pub dir: PathBuf,
    pub root: PathBuf,
    pub other: PathBuf,
}

impl Cluster {
    /// initdb, then pg_ctl start, waiting until it accepts connections.
    pub fn start(root: &Path) -> Result<Cluster, String> {
        Cluster::start_with(root, false)
    }

    /// The same with `ssl = on`: TLS offered, plain connections still accepted.
    pub fn start_tls(root: &Path) -> Result<Cluster, String> {
        Cluster::start_with(root, true)
    }

    fn start_with(root: &Path, tls: bool) -> Result<Cluster, String> {
        let bin = tools::ensure_postgres()?;
        let openssl = if tls {
            Some(tools::ensure_openssl()?)
        } else {
            None
        };
        let run_as = tools::is_root().then_some("postgres");
        let port = free_port()?;
        let name = format!(
            "cluster-{}{}",
            std::process::id(),
            if tls { "-tls" } else { "" }
        );
        let data = root.join("target/postgres").join(&name);
        let _ = std::fs::remove_dir_all(&data);
        std::fs::create_dir_all(&data).map_err(|e| format!("cannot create {data:?}: {e}"))?;
        let pwfile = data.with_extension("pw");
        std::fs::write(&pwfile, PASSWORD).map_err(|e| format!("cannot write {pwfile:?}: {e}"))?;
        if let Some(user) = run_as {
            for path in [&data, &pwfile] {
                shell::run(Command::new("chown").args(["-R", user]).arg(path))?;
            }
        }
        let mut cluster = Cluster {
            bin,
            data,
            run_as,
            port,
            tls: None,
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
        let mut options = format!(
            "-p {port} -c listen_addresses=127.0.0.1 -k {} -c fsync=off -c synchronous_commit=off -c full_page_writes=off",
            cluster.data.display()
        );
        if let Some(openssl) = openssl {
            let roots = cluster.make_certificates(&openssl, &root.join("target/postgres"))?;
            // Relative to the data directory, where the certificate and key were written.
            options.push_str(" -c ssl=on -c ssl_cert_file=server.crt -c ssl_key_file=server.key");
            cluster.tls = Some(roots);
        }
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

    /// A root, a server certificate for `localhost` it signed (in the data directory, the
    /// key readable by the server only), and another root that signed nothing.
    fn make_certificates(&self, openssl: &Path, parent: &Path) -> Result<Roots, String> {
        let dir = parent.join(format!(
            "{}-roots",
            self.data.file_name().unwrap().to_string_lossy()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {dir:?}: {e}"))?;
        let ec = [
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
        ];
        for (name, subject) in [
            ("root", "clerk-dev2prod test root"),
            ("other", "unrelated root"),
        ] {
            shell::run(
                Command::new(openssl)
                    .current_dir(&dir)
                    .args(["req", "-x509", "-new", "-days", "2"])
                    .args(ec)
                    .args([
                        "-keyout",
                        &format!("{name}.key"),
                        "-out",
                        &format!("{name}.crt"),
                    ])
                    .args(["-subj", &format!("/CN={subject}")]),
            )?;
        }
        std::fs::write(
            dir.join("server.ext"),
            "subjectAltName=DNS:localhost\nbasicConstraints=critical,CA:FALSE\n\
             keyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n",
        )
        .map_err(|e| format!("cannot write in {dir:?}: {e}"))?;
        shell::run(
            Command::new(openssl)
                .current_dir(&dir)
                .args(["req", "-new"])
                .args(ec)
                .args([
                    "-keyout",
                    "server.key",
                    "-out",
                    "server.csr",
                    "-subj",
                    "/CN=localhost",
                ]),
        )?;
        shell::run(Command::new(openssl).current_dir(&dir).args([
            "x509",
            "-req",
            "-in",
            "server.csr",
            "-CA",
            "root.crt",
            "-CAkey",
            "root.key",
            "-CAcreateserial",
            "-days",
            "2",
            "-extfile",
            "server.ext",
            "-out",
            "server.crt",
        ]))?;
        for file in ["server.crt", "server.key"] {
            let to = self.data.join(file);
            std::fs::copy(dir.join(file), &to).map_err(|e| format!("cannot copy {file}: {e}"))?;
            if let Some(user) = self.run_as {
                shell::run(Command::new("chown").arg(user).arg(&to))?;
            }
            shell::run(Command::new("chmod").arg("600").arg(&to))?;
        }
        Ok(Roots {
            root: dir.join("root.crt"),
            other: dir.join("other.crt"),
            dir,
        })
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
        if let Some(roots) = &self.tls {
            let _ = std::fs::remove_dir_all(&roots.dir);
        }
    }
}

/// A port nothing listens on now (the kernel's pick, released for PostgreSQL to take).
fn free_port() -> Result<u16, String> {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .map_err(|e| format!("no free port on 127.0.0.1: {e}"))
}
