//! A small static file server for `dist/` on loopback, sending the page's Content-Security-
//! Policy as a header. Used by `cargo xtask serve` and by the end-to-end tests.

use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};

use crate::dist;

pub fn run(args: &[String]) -> Result<(), String> {
    let port = match args {
        [] => 8080,
        [flag, n] if flag == "--port" => n
            .parse()
            .map_err(|_| format!("--port takes a number, not {n:?}"))?,
        _ => return Err("usage: cargo xtask serve [--port N]".into()),
    };
    let built = dist::run()?;
    let addr = start(&built.dir, port)?;
    println!("\nServing http://{addr}/ (Ctrl-C stops).");
    println!(
        "The single-file page, to open from disk by double-click: {}",
        built.single_file.display()
    );
    loop {
        std::thread::park();
    }
}

/// Serves `dir` on 127.0.0.1:`port` (0 picks a free port) from a background thread.
pub fn start(dir: &Path, port: u16) -> Result<SocketAddr, String> {
    let listener = TcpListener::bind(("127.0.0.1", port)).map_err(|e| {
        format!(
            "cannot listen on 127.0.0.1:{port}: {e} (is another server running there? try --port)"
        )
    })?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    let policy = served_policy(dir)?;
    let dir = dir.to_path_buf();
    std::thread::spawn(move || {
        for stream in listener.incoming().map_while(Result::ok) {
            let (dir, policy) = (dir.clone(), policy.clone());
            std::thread::spawn(move || {
                let _ = respond(stream, &dir, &policy);
            });
        }
    });
    Ok(addr)
}

/// The served page loads its own script, stylesheet and wasm from the same origin; its one
/// inline script (Trunk's loader) is allowed by hash. Nothing else may load or connect.
fn served_policy(dir: &Path) -> Result<String, String> {
    let index = std::fs::read_to_string(dir.join("index.html"))
        .map_err(|e| format!("cannot read {:?}: {e}", dir.join("index.html")))?;
    let open = "<script type=\"module\">";
    let start = index
        .find(open)
        .map(|s| s + open.len())
        .ok_or("dist/index.html has no inline module script (Trunk's loader)")?;
    let end = start
        + index[start..]
            .find("</script>")
            .ok_or("dist/index.html: unterminated loader script")?;
    Ok(format!(
        "default-src 'none'; script-src 'self' '{}' 'wasm-unsafe-eval'; style-src 'self'; \
         img-src data:; connect-src 'self'; form-action 'none'; base-uri 'none'; \
         frame-ancestors 'none'",
        dist::csp_hash(&index[start..end])
    ))
}

fn respond(stream: TcpStream, dir: &Path, policy: &str) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    // Drain the headers; nothing in them changes the answer.
    let mut header = String::new();
    while reader.read_line(&mut header)? > 2 {
        header.clear();
    }
    let mut parts = request_line.split_whitespace();
    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or("/"));
    let mut out = stream;
    if method != "GET" && method != "HEAD" {
        return write_response(&mut out, "405 Method Not Allowed", "text/plain", None, b"");
    }
    let path = target.split(['?', '#']).next().unwrap_or("/");
    match resolve(dir, path).and_then(|p| std::fs::read(&p).ok().map(|b| (p, b))) {
        Some((file, body)) => {
            let body = if method == "HEAD" { Vec::new() } else { body };
            // The single file carries its own policy in a <meta>; a header would add a second
            // policy with other hashes, and a page must satisfy both.
            let policy = (!file.ends_with(dist::SINGLE_FILE)).then_some(policy);
            write_response(&mut out, "200 OK", content_type(&file), policy, &body)
        }
        None => write_response(&mut out, "404 Not Found", "text/plain", None, b"not found"),
    }
}

/// Maps a URL path into `dir`, refusing anything that would leave it.
fn resolve(dir: &Path, url_path: &str) -> Option<PathBuf> {
    let relative = url_path.trim_start_matches('/');
    let relative = if relative.is_empty() {
        "index.html"
    } else {
        relative
    };
    let relative = Path::new(relative);
    if relative
        .components()
        .any(|c| !matches!(c, Component::Normal(_)))
    {
        return None;
    }
    let path = dir.join(relative);
    path.is_file().then_some(path)
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("wasm") => "application/wasm",
        Some("json") => "application/json",
        _ => "application/octet-stream",
    }
}

fn write_response(
    out: &mut TcpStream,
    status: &str,
    content_type: &str,
    policy: Option<&str>,
    body: &[u8],
) -> std::io::Result<()> {
    let policy = policy
        .map(|p| format!("Content-Security-Policy: {p}\r\n"))
        .unwrap_or_default();
    write!(
        out,
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\
         {policy}X-Content-Type-Options: nosniff\r\nCache-Control: no-store\r\n\
         Connection: close\r\n\r\n",
        body.len()
    )?;
    out.write_all(body)?;
    out.flush()
}
