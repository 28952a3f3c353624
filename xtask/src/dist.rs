//! The release build: Trunk's multi-file page in `dist/`, then the same page folded into one
//! self-contained `dist/clerk-dev2prod.html` that runs from `file://` under a strict CSP.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use base64::Engine as _;
use sha2::{Digest, Sha256};

use crate::{shell, tools};

pub const SINGLE_FILE: &str = "clerk-dev2prod.html";

/// The page's optimisation level; `WASM_OPT_LEVEL` overrides it, for measuring.
fn wasm_opt_level() -> String {
    std::env::var("WASM_OPT_LEVEL").unwrap_or_else(|_| "s".into())
}

/// What `dist` produced.
pub struct Dist {
    pub dir: PathBuf,
    pub single_file: PathBuf,
}

pub fn run() -> Result<Dist, String> {
    let root = crate::root();
    tools::ensure_rust_version()?;
    tools::ensure_wasm_target()?;
    tools::ensure_trunk()?;
    tools::ensure_wasm_bindgen(&root)?;
    let wasm_opt = tools::ensure_wasm_opt(&root)?;
    let version = build_version(&root);

    let dir = root.join("dist");
    // SRI is off because wasm-opt rewrites the wasm after Trunk hashed it; every file is
    // served from the same origin (or inlined), so integrity attributes would add nothing.
    shell::run(
        Command::new("trunk")
            .current_dir(&root)
            // The release page targets the WebAssembly MVP feature set. With the profile's
            // `strip`, wasm-bindgen then keeps JS values in a JS-side slab instead of an
            // externref table (older wasm-opt releases broke that table; the page also runs
            // in older browsers).
            //
            // The checkout's folder and CARGO_HOME (where the dependencies' sources are) are
            // remapped to fixed names, so panic locations in the wasm never say where it was
            // built: the same source gives the same bytes on any machine.
            .env(
                "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS",
                format!(
                    "-C target-cpu=mvp --remap-path-prefix={}=/clerk-dev2prod \
                     --remap-path-prefix={}=/cargo",
                    root.display(),
                    tools::cargo_home().display()
                ),
            )
            // What the privacy panel says the page was built from: a tag or commit from git,
            // never the clock.
            .env("CLERK_DEV2PROD_BUILD", &version)
            // The release profile favours speed for the command line; the page trades a
            // little speed for a file small enough to share.
            .env("CARGO_PROFILE_RELEASE_OPT_LEVEL", wasm_opt_level())
            .args(["build", "--release", "--no-sri", "--dist"])
            .arg(&dir),
    )?;
    let files = TrunkOutput::find(&dir)?;
    optimise_wasm(&wasm_opt, &files.wasm)?;
    let html = fold_into_one_file(&files)?;
    let single_file = dir.join(SINGLE_FILE);
    fs::write(&single_file, &html).map_err(|e| format!("cannot write {single_file:?}: {e}"))?;

    let wasm_size = fs::metadata(&files.wasm).map(|m| m.len()).unwrap_or(0);
    println!("wasm: {} ({} bytes)", files.wasm.display(), wasm_size);
    println!(
        "single file: {}\n  built from: {version}\n  size: {} bytes\n  sha256: {}",
        single_file.display(),
        html.len(),
        hex(&Sha256::digest(html.as_bytes()))
    );
    Ok(Dist { dir, single_file })
}

/// The files Trunk wrote: the page, its loader glue, its wasm and its stylesheet.
struct TrunkOutput {
    index: PathBuf,
    glue: PathBuf,
    wasm: PathBuf,
    css: PathBuf,
}

impl TrunkOutput {
    fn find(dir: &Path) -> Result<TrunkOutput, String> {
        let mut glue = None;
        let mut wasm = None;
        let mut css = None;
        for entry in fs::read_dir(dir).map_err(|e| format!("cannot list {dir:?}: {e}"))? {
            let path = entry.map_err(|e| e.to_string())?.path();
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            if name.ends_with("_bg.wasm") {
                wasm = Some(path);
            } else if name.starts_with("clerk-dev2prod") && name.ends_with(".js") {
                glue = Some(path);
            } else if name.ends_with(".css") {
                css = Some(path);
            }
        }
        let missing = |what: &str| format!("Trunk's output in {dir:?} has no {what}");
        Ok(TrunkOutput {
            index: dir.join("index.html"),
            glue: glue.ok_or_else(|| missing("wasm-bindgen glue (.js)"))?,
            wasm: wasm.ok_or_else(|| missing("wasm module (_bg.wasm)"))?,
            css: css.ok_or_else(|| missing("stylesheet (.css)"))?,
        })
    }
}

/// The tag (or commit) the checkout is at, as `git describe` names it; `-modified` when the
/// work tree differs from it, so such a build is never mistaken for a release.
fn build_version(root: &Path) -> String {
    let describe = Command::new("git")
        .current_dir(root)
        .args(["describe", "--tags", "--always", "--dirty=-modified"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string());
    describe
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| "unknown".into())
}

fn optimise_wasm(wasm_opt: &Path, wasm: &Path) -> Result<(), String> {
    let before = fs::metadata(wasm).map(|m| m.len()).unwrap_or(0);
    let optimised = wasm.with_extension("opt.wasm");
    // The features the MVP-targeted module may still use, stated so wasm-opt never guesses.
    shell::run(
        Command::new(wasm_opt)
            .arg(wasm)
            .args([
                "-Oz",
                "--enable-bulk-memory",
                "--enable-mutable-globals",
                "--enable-nontrapping-float-to-int",
                "--enable-sign-ext",
                "--enable-reference-types",
                "--enable-multivalue",
                "--strip-debug",
                "--strip-producers",
                "-o",
            ])
            .arg(&optimised),
    )?;
    fs::rename(&optimised, wasm).map_err(|e| format!("cannot replace {wasm:?}: {e}"))?;
    let after = fs::metadata(wasm).map(|m| m.len()).unwrap_or(0);
    println!("wasm-opt -Oz: {before} -> {after} bytes");
    Ok(())
}

/// The policy the single file runs under. Scripts and styles are allowed only by the hash of
/// the exact inline text; nothing may be fetched, submitted or framed.
pub fn single_file_policy(script_hash: &str, style_hash: &str) -> String {
    format!(
        "default-src 'none'; script-src '{script_hash}' 'wasm-unsafe-eval'; \
         style-src '{style_hash}'; img-src data:; connect-src 'none'; \
         form-action 'none'; base-uri 'none'"
    )
}

/// `sha256-<base64>` of a text, as a CSP hash source.
pub fn csp_hash(text: &str) -> String {
    format!(
        "sha256-{}",
        base64::engine::general_purpose::STANDARD.encode(Sha256::digest(text.as_bytes()))
    )
}

fn fold_into_one_file(files: &TrunkOutput) -> Result<String, String> {
    let read = |p: &Path| fs::read_to_string(p).map_err(|e| format!("cannot read {p:?}: {e}"));
    let index = read(&files.index)?;
    let glue = read(&files.glue)?;
    let css = read(&files.css)?;
    let wasm = fs::read(&files.wasm).map_err(|e| format!("cannot read {:?}: {e}", files.wasm))?;

    let init = default_export(&glue).ok_or(
        "the wasm-bindgen glue has no `export default <init>;` (was wasm-bindgen's --target changed?)",
    )?;
    // The wasm travels gzipped and in base64, in a data block the browser never executes
    // (a third of the size of plain base64); the module script decodes it, inflates it with
    // the browser's own DecompressionStream and hands the bytes to wasm-bindgen, so nothing
    // is fetched.
    let script = format!(
        "{glue}\n\
         const wasmBase64 = document.getElementById('app-wasm').textContent.trim();\n\
         const wasmGzip = Uint8Array.from(atob(wasmBase64), (c) => c.charCodeAt(0));\n\
         const inflated = new Blob([wasmGzip]).stream().pipeThrough(new DecompressionStream('gzip'));\n\
         const wasmBytes = new Uint8Array(await new Response(inflated).arrayBuffer());\n\
         await {init}({{ module_or_path: wasmBytes }});\n"
    );
    let policy = single_file_policy(&csp_hash(&script), &csp_hash(&css));

    let head_end = index
        .find("</head>")
        .ok_or("Trunk's index.html has no </head>")?;
    let body_start = index
        .find("<body")
        .ok_or("Trunk's index.html has no <body>")?;
    let body_end = index
        .rfind("</body>")
        .ok_or("Trunk's index.html has no </body>")?;
    let head = strip_trunk_tags(&index[..head_end]);
    let body = strip_trunk_tags(&index[body_start..body_end]);

    let charset = "<meta charset=\"utf-8\">";
    let head = head.replacen(
        charset,
        &format!("{charset}\n  <meta http-equiv=\"Content-Security-Policy\" content=\"{policy}\">"),
        1,
    );
    if !head.contains("Content-Security-Policy") {
        return Err(format!(
            "index.html must start its <head> with `{charset}` so the policy can follow it"
        ));
    }
    let html = format!(
        "{head}  <style>{css}</style>\n</head>\n{body}\n\
         <script type=\"application/gzip;base64\" id=\"app-wasm\">{}</script>\n\
         <script type=\"module\">{script}</script>\n</body>\n</html>\n",
        base64::engine::general_purpose::STANDARD.encode(gzip(&wasm)?)
    );
    check_self_contained(&html)?;
    Ok(html)
}

/// The bytes gzipped at the best level. flate2 writes no file name and a zero modification
/// time into the header, so the same bytes always give the same output.
fn gzip(bytes: &[u8]) -> Result<Vec<u8>, String> {
    use std::io::Write as _;
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder
        .write_all(bytes)
        .and_then(|()| encoder.finish())
        .map_err(|e| format!("cannot gzip the wasm: {e}"))
}

/// Drops what Trunk added to load files (preload links, stylesheet links, its loader script),
/// and the lines they leave empty.
fn strip_trunk_tags(html: &str) -> String {
    let mut kept = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest
        .find("<link")
        .into_iter()
        .chain(rest.find("<script"))
        .min()
    {
        let close = if rest[start..].starts_with("<link") {
            ">"
        } else {
            "</script>"
        };
        let end = rest[start..]
            .find(close)
            .map_or(rest.len(), |e| start + e + close.len());
        kept.push_str(&rest[..start]);
        rest = &rest[end..];
    }
    kept.push_str(rest);
    kept.lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| format!("{line}\n"))
        .collect()
}

/// The name of the glue's default export (its init function), written either
/// `export default init;` or `export { …, init as default };`.
fn default_export(glue: &str) -> Option<&str> {
    let name = if let Some(at) = glue.rfind("export default ") {
        glue[at + "export default ".len()..].split(';').next()?
    } else {
        let at = glue.rfind(" as default")?;
        glue[..at].rsplit(['{', ',', ' ']).next()?
    };
    let name = name.trim();
    let is_identifier = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$');
    is_identifier.then_some(name)
}

/// The single file must not reference anything outside itself.
fn check_self_contained(html: &str) -> Result<(), String> {
    let wasm_block_start = html.find("id=\"app-wasm\">").unwrap_or(html.len());
    let wasm_block_end = html[wasm_block_start..]
        .find("</script>")
        .map(|e| wasm_block_start + e)
        .unwrap_or(html.len());
    let outside_wasm = [&html[..wasm_block_start], &html[wasm_block_end..]];
    for needle in ["<link", " src=", "href=", "url(", "@import"] {
        for part in outside_wasm {
            if let Some(at) = part.find(needle) {
                let from = at.saturating_sub(60);
                let to = (at + 60).min(part.len());
                return Err(format!(
                    "the single file would reference something outside itself (`{needle}`): …{}…",
                    part.get(from..to).unwrap_or(needle)
                ));
            }
        }
    }
    Ok(())
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_init_function_in_both_export_styles() {
        assert_eq!(
            default_export("function a(){}\nexport default a;\n"),
            Some("a")
        );
        assert_eq!(
            default_export("export { initSync, __wbg_init as default };"),
            Some("__wbg_init")
        );
        assert_eq!(default_export("export { x };"), None);
    }

    #[test]
    fn removes_loader_tags_and_their_empty_lines() {
        let head = "<head>\n  <link rel=\"stylesheet\" href=\"./a.css\"/>\n  \n<script type=\"module\">\nimport x from './x.js';\n</script>\n<link rel=\"preload\" href=\"./x.wasm\"><title>t</title>\n";
        assert_eq!(strip_trunk_tags(head), "<head>\n<title>t</title>\n");
    }

    #[test]
    fn refuses_a_page_that_points_outside_itself() {
        assert!(check_self_contained("<img src=\"https://x\">").is_err());
        assert!(check_self_contained("<style>a{background:url(x.png)}</style>").is_err());
        let inlined = "<script type=\"application/gzip;base64\" id=\"app-wasm\">AAA://</script>";
        assert!(check_self_contained(inlined).is_ok());
    }

    #[test]
    fn hashes_as_csp_expects() {
        // echo -n 'alert(1)' | openssl dgst -sha256 -binary | base64
        assert_eq!(
            csp_hash("alert(1)"),
            "sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI="
        );
    }
}
