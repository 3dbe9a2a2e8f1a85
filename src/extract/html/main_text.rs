//! `docfacts html-main`: writes the main text of each page as `<id>.txt` and its metadata as
//! `<id>.json` (`{"title", "author", "date", "lang"}`), the prediction format of
//! `shared/bench/html/score.py`. Pages may be gzip-compressed (`.html.gz`).

use super::extract;
use crate::limits::Limits;
use anyhow::{Context, Result};
use rayon::prelude::*;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// What a run did.
#[derive(Debug, Default)]
pub struct Report {
    pub pages: usize,
    pub failed: Vec<String>,
    /// Wall time of the extraction calls only (no file reading or writing).
    pub extract_wall: Duration,
    /// Sum over pages of the extraction time (CPU-ish time of the extraction calls).
    pub extract_sum: Duration,
    pub threads: usize,
}

/// The page id: the file name without `.html.gz`, `.htm`, `.html`, `.gz`.
pub fn page_id(path: &Path) -> String {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut id = name.as_str();
    for suffix in [".gz", ".html", ".htm", ".xhtml"] {
        if let Some(stripped) = id.strip_suffix(suffix) {
            id = stripped;
        }
    }
    id.to_string()
}

/// Lists the page files of the inputs (folders: their `.html`, `.htm`, `.html.gz` files,
/// sorted).
pub fn discover(inputs: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for input in inputs {
        if input.is_dir() {
            for entry in walkdir::WalkDir::new(input).sort_by_file_name() {
                let entry = entry.with_context(|| format!("walking {}", input.display()))?;
                let name = entry.file_name().to_string_lossy().to_ascii_lowercase();
                let is_page = [".html", ".htm", ".xhtml", ".html.gz", ".htm.gz"]
                    .iter()
                    .any(|s| name.ends_with(s));
                if entry.file_type().is_file() && is_page {
                    files.push(entry.into_path());
                }
            }
        } else {
            files.push(input.clone());
        }
    }
    Ok(files)
}

fn read_page(path: &Path, limits: &Limits) -> Result<Vec<u8>> {
    let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    if bytes.starts_with(&[0x1f, 0x8b]) {
        let mut out = Vec::new();
        flate2::read::MultiGzDecoder::new(bytes.as_slice())
            .take(limits.max_decoded_bytes)
            .read_to_end(&mut out)
            .with_context(|| format!("decompressing {}", path.display()))?;
        return Ok(out);
    }
    Ok(bytes)
}

/// The score.py metadata record.
fn metadata_json(meta: &crate::model::DeclaredMeta) -> serde_json::Value {
    let date = meta.published.as_deref().and_then(iso_day);
    serde_json::json!({
        "title": meta.title,
        "author": meta.author,
        "date": date,
        "lang": meta.language,
        "url": meta.url,
        "site_name": meta.site_name,
    })
}

/// `YYYY-MM-DD` from the start of a declared date ("2013-12-18T09:47:00+01:00", "2013/12/18",
/// "20131218").
pub fn iso_day(date: &str) -> Option<String> {
    let digits: Vec<u32> = date
        .trim()
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .take(3)
        .filter_map(|s| s.parse().ok())
        .collect();
    let (y, m, d) = match digits.as_slice() {
        [y, m, d, ..] if *y >= 1000 => (*y, *m, *d),
        [ymd, ..] if (10_000_000..=99_999_999).contains(ymd) => {
            (ymd / 10_000, ymd / 100 % 100, ymd % 100)
        }
        _ => return None,
    };
    ((1..=12).contains(&m) && (1..=31).contains(&d)).then(|| format!("{y:04}-{m:02}-{d:02}"))
}

/// Extracts every page and writes `<out>/<id>.txt` and `<out>/<id>.json`.
pub fn write_main_texts(
    inputs: &[PathBuf],
    out_dir: &Path,
    threads: usize,
    limits: &Limits,
) -> Result<Report> {
    let files = discover(inputs)?;
    std::fs::create_dir_all(out_dir).with_context(|| format!("creating {}", out_dir.display()))?;
    let pages: Vec<(PathBuf, Vec<u8>)> = files
        .into_iter()
        .map(|f| read_page(&f, limits).map(|b| (f, b)))
        .collect::<Result<_>>()?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .context("starting worker threads")?;
    let started = Instant::now();
    let results: Vec<_> = pool.install(|| {
        pages
            .par_iter()
            .map(|(path, bytes)| {
                let t = Instant::now();
                let result = extract(bytes, limits);
                (path, result, t.elapsed())
            })
            .collect()
    });
    let mut report = Report {
        extract_wall: started.elapsed(),
        threads: pool.current_num_threads(),
        ..Report::default()
    };
    for (path, result, elapsed) in results {
        report.pages += 1;
        report.extract_sum += elapsed;
        let id = page_id(path);
        match result {
            Ok(extracted) => {
                let txt = out_dir.join(format!("{id}.txt"));
                std::fs::write(&txt, extracted.text.as_bytes())
                    .with_context(|| format!("writing {}", txt.display()))?;
                let json = out_dir.join(format!("{id}.json"));
                let value = metadata_json(&extracted.meta);
                std::fs::write(&json, serde_json::to_vec_pretty(&value)?)
                    .with_context(|| format!("writing {}", json.display()))?;
            }
            Err(problem) => report.failed.push(format!("{}: {problem}", path.display())),
        }
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_days() {
        assert_eq!(page_id(Path::new("a/0a1b.html.gz")), "0a1b");
        assert_eq!(page_id(Path::new("004.html")), "004");
        assert_eq!(
            iso_day("2013-12-18T09:47:00+01:00").as_deref(),
            Some("2013-12-18")
        );
        assert_eq!(iso_day("20131218").as_deref(), Some("2013-12-18"));
        assert_eq!(iso_day("Wed, 18 Dec 2013"), None);
    }
}
