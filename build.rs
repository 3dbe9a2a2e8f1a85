//! Fingerprints the rule files at build time, so that `--incremental` runs know when the
//! rules changed (a changed rule reprocesses every document).

use std::path::{Path, PathBuf};

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            files(&path, out);
        } else {
            out.push(path);
        }
    }
}

fn main() {
    println!("cargo:rerun-if-changed=rules");
    let mut paths = Vec::new();
    files(Path::new("rules"), &mut paths);
    paths.sort();
    // FNV-1a over names and contents: stable across platforms and needs no dependency.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for path in &paths {
        println!("cargo:rerun-if-changed={}", path.display());
        let name = path.to_string_lossy().replace('\\', "/");
        let bytes = std::fs::read(path).unwrap_or_default();
        for b in name.bytes().chain([0u8]).chain(bytes).chain([0u8]) {
            hash ^= u64::from(b);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    println!("cargo:rustc-env=DOCFACTS_RULES_HASH={hash:016x}");
}
