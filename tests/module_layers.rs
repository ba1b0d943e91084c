//! The top-level modules import downwards only, as docs/ARCHITECTURE.md draws them: a
//! module may use its own layer's modules (with no circle among them) and the layers
//! below. A new module must be given a layer here.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Bottom first.
const LAYERS: &[&[&str]] = &[
    &["contract", "net", "words", "keymap", "cli", "document"],
    &["kinds"],
    &["config"],
    &["view", "test_support"],
    &["event"],
    &[
        "log",
        "state_dir",
        "system",
        "jobs",
        "sources",
        "state",
        "alert",
        "notify",
        "probe",
    ],
    &["reload", "view_form", "core", "engine"],
    &["tui", "report", "server", "demo", "attach", "headless"],
];

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|layer| layer.contains(&module))
}

/// Every `.rs` file under `dir`.
fn files(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("a readable source folder") {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            files(&path, found);
        } else if path.extension().is_some_and(|e| e == "rs") {
            found.push(path);
        }
    }
}

/// The top-level modules of `src` and, for each, the other top-level modules its files
/// name as `crate::<module>`.
fn imports() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut modules = BTreeSet::new();
    for entry in std::fs::read_dir(&src).expect("src") {
        let path = entry.expect("an entry").path();
        let name = path
            .file_stem()
            .expect("a name")
            .to_string_lossy()
            .into_owned();
        // `report_tests_queries.rs` is `report`'s (`#[path]`), not a module of its own.
        if !matches!(name.as_str(), "lib" | "main") && !name.contains("_tests") {
            modules.insert(name);
        }
    }
    let mut imports: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for module in &modules {
        let mut found = Vec::new();
        let folder = src.join(module);
        if folder.is_dir() {
            files(&folder, &mut found);
        } else {
            found.push(src.join(format!("{module}.rs")));
        }
        for entry in std::fs::read_dir(&src).expect("src") {
            let path = entry.expect("an entry").path();
            let stem = path.file_stem().expect("a name").to_string_lossy();
            if stem.starts_with(&format!("{module}_tests")) {
                found.push(path);
            }
        }
        let uses = imports.entry(module.clone()).or_default();
        for file in found {
            let text = std::fs::read_to_string(&file).expect("a readable file");
            for (at, _) in text.match_indices("crate::") {
                let rest = &text[at + "crate::".len()..];
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                // Items of the crate root (`crate::start_server`) are not modules.
                if name != *module && modules.contains(&name) {
                    uses.insert(name);
                }
            }
        }
    }
    imports
}

#[test]
fn every_module_imports_only_its_own_layer_and_those_below() {
    let imports = imports();
    let unplaced: Vec<&String> = imports.keys().filter(|m| layer_of(m).is_none()).collect();
    assert!(
        unplaced.is_empty(),
        "give these modules a layer: {unplaced:?}"
    );
    let mut upwards = Vec::new();
    for (module, uses) in &imports {
        for used in uses {
            if layer_of(used) > layer_of(module) {
                upwards.push(format!("{module} → {used}"));
            }
        }
    }
    assert!(upwards.is_empty(), "imports upwards: {upwards:?}");
}

#[test]
fn no_modules_import_each_other_in_a_circle() {
    let imports = imports();
    // Depth-first from each module: reaching it again is a circle.
    for start in imports.keys() {
        let mut path = vec![start.clone()];
        let mut seen = BTreeSet::new();
        if let Some(circle) = circle_from(start, &imports, &mut path, &mut seen) {
            panic!(
                "modules import each other in a circle: {}",
                circle.join(" → ")
            );
        }
    }
}

fn circle_from(
    start: &str,
    imports: &BTreeMap<String, BTreeSet<String>>,
    path: &mut Vec<String>,
    seen: &mut BTreeSet<String>,
) -> Option<Vec<String>> {
    let last = path.last().expect("a path").clone();
    for next in imports.get(&last).into_iter().flatten() {
        if next == start {
            let mut circle = path.clone();
            circle.push(start.to_string());
            return Some(circle);
        }
        if seen.insert(next.clone()) {
            path.push(next.clone());
            if let Some(circle) = circle_from(start, imports, path, seen) {
                return Some(circle);
            }
            path.pop();
        }
    }
    None
}
