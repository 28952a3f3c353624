//! The drop zone: the whole page takes a dropped file, and a button opens the file picker so
//! the same works from the keyboard alone.

use wasm_bindgen::JsCast;
use web_sys::{DragEvent, File, FileList, HtmlInputElement};
use yew::prelude::*;

use super::i18n::{text, Lang};

#[derive(Properties, PartialEq)]
pub struct PageDropTargetProps {
    /// Every file of the drop, however many.
    pub on_files: Callback<FileList>,
    pub children: Html,
}

/// Wraps the page so files dropped anywhere on it are taken, not opened by the browser.
#[function_component(PageDropTarget)]
pub fn page_drop_target(props: &PageDropTargetProps) -> Html {
    let dragging = use_state_eq(|| false);
    let ondragover = {
        let dragging = dragging.clone();
        Callback::from(move |e: DragEvent| {
            // Without this the browser refuses the drop, or navigates to the file.
            e.prevent_default();
            dragging.set(true);
        })
    };
    let ondragleave = {
        let dragging = dragging.clone();
        Callback::from(move |e: DragEvent| {
            // Leaving a child element also fires dragleave; only leaving the page counts.
            if e.related_target().is_none() {
                dragging.set(false);
            }
        })
    };
    let ondrop = {
        let dragging = dragging.clone();
        let on_files = props.on_files.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            dragging.set(false);
            if let Some(files) = e.data_transfer().and_then(|dt| dt.files()) {
                on_files.emit(files);
            }
        })
    };
    html! {
        <div class={classes!("page", dragging.then_some("dragging"))}
             {ondragover} {ondragleave} {ondrop}>
            { props.children.clone() }
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct DropZoneProps {
    pub lang: Lang,
    /// The export step's picker: a user export chosen here replaces the prepared one.
    pub on_files: Callback<FileList>,
    /// Loads the built-in sample export.
    pub on_sample: Callback<()>,
}

/// The visible target: what to drop, and a keyboard-reachable picker.
#[function_component(DropZone)]
pub fn drop_zone(props: &DropZoneProps) -> Html {
    let on_files = props.on_files.clone();
    let t = text(props.lang);
    html! {
        <section id="drop-zone" class="drop-zone" role="region" aria-label={t.drop_zone_label}>
            <p>
                { t.drop_here }{ " " }
                <FilePicker input_id="file-input" button_id="choose-file" label={t.choose_file}
                            name={t.choose_file_for(props.lang, t.export_file_name)}
                            multiple={true} primary={true} {on_files} />
                { "." }
            </p>
            <p class="hint">{ t.never_leaves }</p>
            <p>
                <button type="button" id="try-sample" class="secondary"
                        onclick={props.on_sample.reform(|_: MouseEvent| ())}>{ t.try_sample }</button>
            </p>
        </section>
    }
}

#[derive(Properties, PartialEq)]
pub struct FilePickerProps {
    pub input_id: &'static str,
    pub button_id: &'static str,
    pub label: &'static str,
    /// The accessible name when the visible label alone does not say which file: it starts
    /// with the label, so speech input still finds the button by what it shows.
    #[prop_or_default]
    pub name: Option<AttrValue>,
    pub multiple: bool,
    #[prop_or_default]
    pub accept: &'static str,
    /// The step's main action: a filled button, not a link.
    #[prop_or_default]
    pub primary: bool,
    pub on_files: Callback<FileList>,
}

/// A button that opens the file picker: a real button, so the keyboard reaches it, in front
/// of the hidden `<input type=file>` it drives.
#[function_component(FilePicker)]
pub fn file_picker(props: &FilePickerProps) -> Html {
    let input = use_node_ref();
    let open_picker = {
        let input = input.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(input) = input.cast::<HtmlInputElement>() {
                input.click();
            }
        })
    };
    let onchange = {
        let on_files = props.on_files.clone();
        Callback::from(move |e: Event| {
            let Some(input) = e
                .target()
                .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
            else {
                return;
            };
            if let Some(files) = input.files() {
                on_files.emit(files);
            }
            // Picking the same file again must read it again.
            input.set_value("");
        })
    };
    html! {
        <>
            <button type="button" id={props.button_id} class={if props.primary { "primary" } else { "link-button" }}
                    aria-label={props.name.clone()} onclick={open_picker}>
                { props.label }
            </button>
            <input ref={input} id={props.input_id} type="file" hidden=true tabindex="-1"
                   multiple={props.multiple} accept={props.accept} {onchange} />
        </>
    }
}

/// Reads every file of a list without blocking the page, then hands over (name, bytes) pairs
/// in order; a file that cannot be read arrives empty, and the engine says so.
pub fn read_files(files: FileList, then: impl FnOnce(Vec<(String, Vec<u8>)>) + 'static) {
    let files: Vec<File> = (0..files.length()).filter_map(|i| files.get(i)).collect();
    wasm_bindgen_futures::spawn_local(async move {
        let mut read = Vec::with_capacity(files.len());
        for file in files {
            let buffer = wasm_bindgen_futures::JsFuture::from(file.array_buffer()).await;
            let bytes = buffer
                .map(|b| js_sys::Uint8Array::new(&b).to_vec())
                .unwrap_or_default();
            read.push((file.name(), bytes));
        }
        then(read);
    });
}

#[derive(Properties, PartialEq)]
pub struct SmallDropProps {
    #[prop_or_default]
    pub id: &'static str,
    /// Which file the box takes, for its accessible name.
    pub label: AttrValue,
    pub on_files: Callback<FileList>,
    pub children: Html,
}

/// A drop target inside the page for files that are not the export (configs, the production
/// export, logs): it takes the drop itself, so the page's own drop never sees it.
#[function_component(SmallDrop)]
pub fn small_drop(props: &SmallDropProps) -> Html {
    let over = use_state_eq(|| false);
    let ondragover = {
        let over = over.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            e.stop_propagation();
            over.set(true);
        })
    };
    let ondragleave = {
        let over = over.clone();
        Callback::from(move |_: DragEvent| over.set(false))
    };
    let ondrop = {
        let (over, on_files) = (over.clone(), props.on_files.clone());
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            e.stop_propagation();
            over.set(false);
            if let Some(files) = e.data_transfer().and_then(|d| d.files()) {
                on_files.emit(files);
            }
        })
    };
    html! {
        <div id={(!props.id.is_empty()).then_some(props.id)} class={classes!("small-drop", over.then_some("dragging"))}
             role="group" aria-label={props.label.clone()}
             {ondragover} {ondragleave} {ondrop}>
            { props.children.clone() }
        </div>
    }
}
