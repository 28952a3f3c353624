//! Running commands, echoing them first so a log shows exactly what happened.

use std::process::{Command, Stdio};

/// Runs a command with inherited output; fails with the command line when it fails.
pub fn run(cmd: &mut Command) -> Result<(), String> {
    eprintln!("$ {}", describe(cmd));
    let status = cmd
        .status()
        .map_err(|e| format!("cannot start `{}`: {e}", describe(cmd)))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{}` failed ({status})", describe(cmd)))
    }
}

/// Runs a command, passing its output through while keeping a copy to read counts from.
pub fn run_tee(cmd: &mut Command) -> Result<String, (String, String)> {
    use std::io::{BufRead, BufReader, Write};
    eprintln!("$ {}", describe(cmd));
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| {
            (
                format!("cannot start `{}`: {e}", describe(cmd)),
                String::new(),
            )
        })?;
    let stderr = child.stderr.take().expect("piped stderr");
    let stderr_thread = std::thread::spawn(move || {
        let mut copy = String::new();
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            eprintln!("{line}");
            copy.push_str(&line);
            copy.push('\n');
        }
        copy
    });
    let mut copy = String::new();
    let stdout = child.stdout.take().expect("piped stdout");
    for line in BufReader::new(stdout).lines().map_while(Result::ok) {
        println!("{line}");
        copy.push_str(&line);
        copy.push('\n');
    }
    let _ = std::io::stdout().flush();
    copy.push_str(&stderr_thread.join().unwrap_or_default());
    let status = child.wait().map_err(|e| {
        (
            format!("`{}` did not finish: {e}", describe(cmd)),
            copy.clone(),
        )
    })?;
    if status.success() {
        Ok(copy)
    } else {
        Err((format!("`{}` failed ({status})", describe(cmd)), copy))
    }
}

/// The first line a command prints, or None when it cannot run.
pub fn output_line(program: &str, args: &[&str]) -> Option<String> {
    let out = Command::new(program).args(args).output().ok()?;
    if !out.status.success() {
        return None;
    }
    let text = String::from_utf8_lossy(&out.stdout);
    Some(text.lines().next().unwrap_or("").trim().to_string())
}

pub fn describe(cmd: &Command) -> String {
    let mut line = cmd.get_program().to_string_lossy().into_owned();
    for arg in cmd.get_args() {
        line.push(' ');
        line.push_str(&arg.to_string_lossy());
    }
    line
}
