//! Build-time work on the rule files:
//! - fingerprints them, so that `--incremental` runs know when the rules changed (a changed rule
//!   reprocesses every document);
//! - turns the gzip'd word and frequency lists of `rules/lexicon/` into FSTs that the binary
//!   embeds as they are: building them at every start cost about a second of CPU per process
//!   (each test, each Spark partition), and the embedded FSTs are read in place, not copied to
//!   the heap.

use flate2::read::GzDecoder;
use fst::{MapBuilder, SetBuilder};
use std::io::Read;
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

    let out = PathBuf::from(std::env::var_os("OUT_DIR").unwrap_or_default());
    for lang in ["fr", "en"] {
        if let Err(e) = lexicon_fsts(lang, &out) {
            panic!("building the {lang} lexicon FSTs: {e}");
        }
    }
}

fn gunzip(path: &str) -> Result<String, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{path}: {e}"))?;
    let mut text = String::new();
    GzDecoder::new(bytes.as_slice())
        .read_to_string(&mut text)
        .map_err(|e| format!("{path}: {e}"))?;
    Ok(text)
}

/// `OUT_DIR/<lang>.words.fst` (a set of forms, one a line in `<lang>.words.gz`) and
/// `OUT_DIR/<lang>.freq.fst` (form -> Zipf frequency × 100, `form<TAB>zipf×100` lines).
fn lexicon_fsts(lang: &str, out: &Path) -> Result<(), String> {
    let err = |e: fst::Error| e.to_string();
    let words_text = gunzip(&format!("rules/lexicon/{lang}.words.gz"))?;
    let mut words: Vec<&str> = words_text.lines().filter(|l| !l.is_empty()).collect();
    words.sort_unstable();
    words.dedup();
    let mut set = SetBuilder::memory();
    for w in &words {
        set.insert(w).map_err(err)?;
    }
    let set = set.into_inner().map_err(err)?;
    std::fs::write(out.join(format!("{lang}.words.fst")), set).map_err(|e| e.to_string())?;

    let freq_text = gunzip(&format!("rules/lexicon/{lang}.freq.gz"))?;
    let mut pairs: Vec<(&str, u64)> = freq_text
        .lines()
        .filter_map(|l| {
            let (w, f) = l.split_once('\t')?;
            Some((w, f.trim().parse::<u64>().ok()?))
        })
        .collect();
    pairs.sort_unstable();
    pairs.dedup_by(|a, b| a.0 == b.0);
    let mut map = MapBuilder::memory();
    for (w, f) in pairs {
        map.insert(w, f).map_err(err)?;
    }
    let map = map.into_inner().map_err(err)?;
    std::fs::write(out.join(format!("{lang}.freq.fst")), map).map_err(|e| e.to_string())
}
