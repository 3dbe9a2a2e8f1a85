//! Prints the raw text layer docfacts extracts from PDFs (`text.raw` before repair).
//!
//! usage: pdftext [--blocks] [--out DIR] FILE.pdf...
//!   default      text of each file on stdout
//!   --out DIR    writes DIR/<file stem>.txt instead
//!   --blocks     also prints each block's kind, page and first words (stderr)
//!   --repeat N   extracts each file N times (timing)

use docfacts::extract::pdf;
use docfacts::limits::Limits;
use std::io::Write;
use std::path::PathBuf;

fn main() {
    let mut files = Vec::new();
    let mut out_dir: Option<PathBuf> = None;
    let mut blocks = false;
    let mut repeat = 1usize;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--blocks" => blocks = true,
            "--out" => out_dir = args.next().map(PathBuf::from),
            "--repeat" => repeat = args.next().and_then(|n| n.parse().ok()).unwrap_or(1),
            _ => files.push(PathBuf::from(arg)),
        }
    }
    let limits = Limits::default();
    let mut status = 0;
    for file in &files {
        let bytes = match std::fs::read(file) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("{}: {e}", file.display());
                status = 1;
                continue;
            }
        };
        for _ in 1..repeat {
            let _ = pdf::extract(&bytes, &limits);
        }
        match pdf::extract(&bytes, &limits) {
            Ok(extracted) => {
                if blocks {
                    eprintln!(
                        "== {} kind={:?} pages={:?}",
                        file.display(),
                        extracted.kind,
                        extracted.pages
                    );
                    for b in &extracted.blocks {
                        let text = extracted.text.get(b.start..b.end).unwrap_or_default();
                        let head: String = text.chars().take(70).collect();
                        eprintln!(
                            "p{:?} {:?} {:?}: {}",
                            b.page,
                            b.kind,
                            b.level,
                            head.replace('\n', " / ")
                        );
                    }
                    for l in &extracted.links {
                        eprintln!(
                            "link {:?} -> {}",
                            extracted.text.get(l.start..l.end),
                            l.href
                        );
                    }
                    for w in extracted.warnings.iter().chain(&extracted.errors) {
                        eprintln!("problem: {w}");
                    }
                    eprintln!("meta: {:?}", extracted.meta);
                }
                match &out_dir {
                    Some(dir) => {
                        let stem = file
                            .file_stem()
                            .map(|s| s.to_string_lossy().into_owned())
                            .unwrap_or_default();
                        if let Err(e) =
                            std::fs::write(dir.join(format!("{stem}.txt")), &extracted.text)
                        {
                            eprintln!("{}: {e}", dir.display());
                            status = 1;
                        }
                    }
                    None => {
                        // A closed pipe (`| head`) is not an error worth a panic.
                        let _ = writeln!(std::io::stdout().lock(), "{}", extracted.text);
                    }
                }
            }
            Err(problem) => {
                eprintln!("{}: {problem}", file.display());
                status = 1;
            }
        }
    }
    std::process::exit(status);
}
