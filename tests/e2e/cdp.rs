//! Just enough of the Chrome DevTools Protocol to drive a real headless Chromium: open a
//! page, run script in it, hand it files, watch every network request it makes.

use std::collections::VecDeque;
use std::io::{BufRead, BufReader};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use tungstenite::stream::MaybeTlsStream;
use tungstenite::{Message, WebSocket};

/// A headless Chromium with a fresh profile, closed (and its profile removed) on drop.
pub struct Chromium {
    child: Child,
    socket: WebSocket<MaybeTlsStream<TcpStream>>,
    next_id: u64,
    /// Events that arrived while waiting for a reply, oldest first.
    events: VecDeque<Value>,
    profile: PathBuf,
}

/// One tab, attached through a flat session.
pub struct Page {
    browser: Chromium,
    session: String,
    /// The URL of every request the page made, in order.
    requests: Vec<String>,
    /// Console messages, uncaught exceptions and browser log entries, for failure messages.
    console: Vec<String>,
}

impl Chromium {
    pub fn launch() -> Chromium {
        Chromium::launch_with(&[])
    }

    /// Launches with extra command-line switches (a UI language, say).
    pub fn launch_with(extra: &[&str]) -> Chromium {
        let binary = std::env::var_os("CHROMIUM").unwrap_or_else(|| "chromium".into());
        let profile = std::env::temp_dir().join(format!(
            "clerk-dev2prod-e2e-{}-{}",
            std::process::id(),
            unique()
        ));
        std::fs::create_dir_all(&profile).expect("create a browser profile folder");
        let mut child = Command::new(&binary)
            .args([
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-extensions",
                "--no-first-run",
                "--no-default-browser-check",
                "--remote-debugging-port=0",
                "--window-size=1280,900",
            ])
            .args(extra)
            .arg(format!("--user-data-dir={}", profile.display()))
            .arg("about:blank")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {binary:?}: {e} (set CHROMIUM)"));

        // Chromium names its DevTools endpoint on stderr; keep draining stderr afterwards so
        // the browser never blocks on a full pipe.
        let stderr = child.stderr.take().expect("piped stderr");
        let (found, endpoint) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if let Some(at) = line.find("ws://") {
                    let _ = found.send(line[at..].trim().to_string());
                }
            }
        });
        let url = endpoint
            .recv_timeout(Duration::from_secs(30))
            .expect("Chromium did not print its DevTools endpoint within 30 s");
        let (socket, _) = tungstenite::connect(url.as_str()).expect("connect to DevTools");
        Chromium {
            child,
            socket,
            next_id: 0,
            events: VecDeque::new(),
            profile,
        }
    }

    /// Sends a command and waits for its reply, queueing the events that come first.
    fn call(
        &mut self,
        session: Option<&str>,
        method: &str,
        params: Value,
    ) -> Result<Value, String> {
        self.next_id += 1;
        let id = self.next_id;
        let mut message = json!({ "id": id, "method": method, "params": params });
        if let Some(session) = session {
            message["sessionId"] = json!(session);
        }
        self.socket
            .send(Message::text(message.to_string()))
            .map_err(|e| format!("{method}: {e}"))?;
        loop {
            let reply = self.read()?;
            if reply.get("id").and_then(Value::as_u64) == Some(id) {
                if let Some(error) = reply.get("error") {
                    return Err(format!("{method}: {error}"));
                }
                return Ok(reply.get("result").cloned().unwrap_or(Value::Null));
            }
            self.events.push_back(reply);
        }
    }

    fn read(&mut self) -> Result<Value, String> {
        loop {
            match self
                .socket
                .read()
                .map_err(|e| format!("DevTools socket: {e}"))?
            {
                Message::Text(text) => {
                    return serde_json::from_str(text.as_str()).map_err(|e| e.to_string())
                }
                Message::Close(_) => return Err("DevTools closed the connection".into()),
                _ => continue,
            }
        }
    }

    /// Opens a new tab with network tracking on, before anything is loaded in it.
    pub fn new_page(mut self) -> Page {
        let target = self
            .call(None, "Target.createTarget", json!({ "url": "about:blank" }))
            .expect("create a tab");
        let target_id = target["targetId"].as_str().expect("targetId").to_string();
        let attached = self
            .call(
                None,
                "Target.attachToTarget",
                json!({ "targetId": target_id, "flatten": true }),
            )
            .expect("attach to the tab");
        let session = attached["sessionId"]
            .as_str()
            .expect("sessionId")
            .to_string();
        let mut page = Page {
            browser: self,
            session,
            requests: Vec::new(),
            console: Vec::new(),
        };
        for domain in [
            "Page.enable",
            "Runtime.enable",
            "Network.enable",
            "Log.enable",
        ] {
            page.call(domain, json!({})).expect(domain);
        }
        page
    }
}

impl Drop for Chromium {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

impl Page {
    pub fn call(&mut self, method: &str, params: Value) -> Result<Value, String> {
        let result = self.browser.call(Some(&self.session), method, params);
        self.collect_events();
        result
    }

    fn collect_events(&mut self) {
        while let Some(event) = self.browser.events.pop_front() {
            let params = &event["params"];
            match event["method"].as_str().unwrap_or("") {
                "Network.requestWillBeSent" => {
                    if let Some(url) = params["request"]["url"].as_str() {
                        self.requests.push(url.to_string());
                    }
                }
                "Runtime.consoleAPICalled" => self.console.push(format!(
                    "console.{}: {}",
                    params["type"].as_str().unwrap_or("log"),
                    params["args"]
                )),
                "Runtime.exceptionThrown" => self
                    .console
                    .push(format!("exception: {}", params["exceptionDetails"])),
                "Log.entryAdded" => self
                    .console
                    .push(format!("log: {}", params["entry"]["text"])),
                _ => {}
            }
        }
    }

    /// Every request the page has made so far, by URL.
    pub fn requests(&mut self) -> Vec<String> {
        // A no-op round trip flushes events still in flight.
        let _ = self.call("Runtime.evaluate", json!({ "expression": "0" }));
        self.requests.clone()
    }

    /// Loads a URL and waits until the app has mounted.
    pub fn open(&mut self, url: &str) {
        self.call("Page.navigate", json!({ "url": url }))
            .expect("navigate");
        self.wait_for(
            "document.readyState === 'complete' && !!document.querySelector('#drop-zone')",
        );
    }

    /// Evaluates an expression (awaiting a promise) and returns its JSON value.
    pub fn eval(&mut self, expression: &str) -> Result<Value, String> {
        let reply = self.call(
            "Runtime.evaluate",
            json!({ "expression": expression, "awaitPromise": true, "returnByValue": true }),
        )?;
        if let Some(details) = reply.get("exceptionDetails") {
            return Err(format!("script threw: {details}"));
        }
        Ok(reply["result"]["value"].clone())
    }

    /// Polls a condition until it holds; panics with the condition after 20 s.
    pub fn wait_for(&mut self, condition: &str) {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if self.eval(condition).ok() == Some(Value::Bool(true)) {
                return;
            }
            if Instant::now() > deadline {
                let body = self
                    .eval("document.body ? document.body.innerText : '(no body)'")
                    .unwrap_or_default();
                panic!(
                    "timed out waiting for `{condition}`; the page shows: {body}\n\
                     console:\n{}",
                    self.console.join("\n")
                );
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Saves a PNG of the whole page.
    pub fn screenshot(&mut self, path: &Path) {
        use base64::Engine as _;
        let shot = self
            .call(
                "Page.captureScreenshot",
                json!({ "format": "png", "captureBeyondViewport": true }),
            )
            .expect("Page.captureScreenshot");
        let png = base64::engine::general_purpose::STANDARD
            .decode(shot["data"].as_str().expect("image data"))
            .expect("base64 image");
        std::fs::create_dir_all(path.parent().expect("a folder")).expect("screenshot folder");
        std::fs::write(path, png).expect("write the screenshot");
    }

    /// Makes the page see a light or dark system theme.
    pub fn prefer_color_scheme(&mut self, scheme: &str) {
        self.call(
            "Emulation.setEmulatedMedia",
            json!({ "features": [{ "name": "prefers-color-scheme", "value": scheme }] }),
        )
        .expect("Emulation.setEmulatedMedia");
    }

    /// Gives the page a viewport of this size in CSS pixels; a narrow one is a phone's, with
    /// the page's meta viewport honoured and touch input.
    pub fn set_viewport(&mut self, width: u32, height: u32) {
        let phone = width < 600;
        self.call(
            "Emulation.setDeviceMetricsOverride",
            json!({ "width": width, "height": height, "deviceScaleFactor": 1, "mobile": phone }),
        )
        .expect("Emulation.setDeviceMetricsOverride");
        self.call(
            "Emulation.setTouchEmulationEnabled",
            json!({ "enabled": phone }),
        )
        .expect("Emulation.setTouchEmulationEnabled");
    }

    /// Saves a PNG of one element, all of it even where it runs below the viewport.
    pub fn screenshot_of(&mut self, selector: &str, path: &Path) {
        use base64::Engine as _;
        let rect = self
            .eval(&format!(
                "(() => {{ const e = document.querySelector({}); if (!e) return null; \
                 const r = e.getBoundingClientRect(); \
                 return [r.left + scrollX, r.top + scrollY, r.width, r.height]; }})()",
                json!(selector)
            ))
            .unwrap_or_else(|e| panic!("no element {selector}: {e}"));
        let [x, y, width, height] = [0, 1, 2, 3].map(|i| {
            rect[i]
                .as_f64()
                .unwrap_or_else(|| panic!("no element {selector}"))
        });
        let shot = self
            .call(
                "Page.captureScreenshot",
                json!({
                    "format": "png",
                    "captureBeyondViewport": true,
                    "clip": { "x": x, "y": y, "width": width, "height": height, "scale": 1 }
                }),
            )
            .expect("Page.captureScreenshot");
        let png = base64::engine::general_purpose::STANDARD
            .decode(shot["data"].as_str().expect("image data"))
            .expect("base64 image");
        std::fs::create_dir_all(path.parent().expect("a folder")).expect("screenshot folder");
        std::fs::write(path, png).expect("write the screenshot");
    }

    /// Lets the page's downloads land in `dir`.
    pub fn allow_downloads(&mut self, dir: &Path) {
        self.browser
            .call(
                None,
                "Browser.setDownloadBehavior",
                json!({ "behavior": "allow", "downloadPath": dir.to_str().expect("UTF-8 path") }),
            )
            .expect("Browser.setDownloadBehavior");
    }

    /// The text of the first element matching a selector.
    pub fn text(&mut self, selector: &str) -> String {
        let expression = format!(
            "(() => {{ const e = document.querySelector({}); return e ? e.innerText : null; }})()",
            json!(selector)
        );
        match self.eval(&expression) {
            Ok(Value::String(text)) => text,
            other => panic!("no element {selector}: {other:?}"),
        }
    }

    /// Puts a file into an `<input type=file>`, as the picker would.
    pub fn set_input_file(&mut self, selector: &str, file: &Path) {
        self.set_input_files(selector, &[file]);
    }

    /// Puts several files into an `<input type=file multiple>`.
    pub fn set_input_files(&mut self, selector: &str, files: &[&Path]) {
        let document = self
            .call("DOM.getDocument", json!({}))
            .expect("DOM.getDocument");
        let node = self
            .call(
                "DOM.querySelector",
                json!({ "nodeId": document["root"]["nodeId"], "selector": selector }),
            )
            .expect("DOM.querySelector");
        let files: Vec<&str> = files
            .iter()
            .map(|f| f.to_str().expect("UTF-8 path"))
            .collect();
        self.call(
            "DOM.setFileInputFiles",
            json!({ "nodeId": node["nodeId"], "files": files }),
        )
        .expect("DOM.setFileInputFiles");
    }

    /// Drags a file from outside the browser and drops it on the centre of an element (scrolled
    /// into view first), through the browser's own input pipeline: the page receives trusted
    /// drag events carrying a File.
    pub fn drop_file_on(&mut self, selector: &str, file: &Path) {
        self.drop_files_on(selector, &[file]);
    }

    /// [`Page::drop_file_on`] with several files in one drag.
    pub fn drop_files_on(&mut self, selector: &str, files: &[&Path]) {
        let point = self
            .eval(&format!(
                "(() => {{ const e = document.querySelector({}); e.scrollIntoView({{ block: 'center' }}); \
                 const r = e.getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; }})()",
                json!(selector)
            ))
            .unwrap_or_else(|e| panic!("no element {selector}: {e}"));
        let (x, y) = (point[0].as_f64().expect("x"), point[1].as_f64().expect("y"));
        let data = json!({
            "items": [],
            "files": files.iter().map(|f| f.to_str().expect("UTF-8 path")).collect::<Vec<_>>(),
            "dragOperationsMask": 1
        });
        for kind in ["dragEnter", "dragOver", "drop"] {
            self.call(
                "Input.dispatchDragEvent",
                json!({ "type": kind, "x": x, "y": y, "data": data }),
            )
            .unwrap_or_else(|e| panic!("{kind}: {e}"));
        }
    }
}

fn unique() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0)
}
