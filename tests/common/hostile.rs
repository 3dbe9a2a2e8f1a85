//! The hostile-corpus generator: mutations of the corpus PDFs and pages (truncations, bit flips,
//! broken xref/trailer, deep nesting, huge dimensions, a Flate bomb, cyclic Form XObjects,
//! invalid UTF-8 and NUL bytes, one very long line). Deterministic for a given count.
#![allow(dead_code)]

use super::corpus_dir;
use super::pdfgen::{deflate, obj, one_page, stream};
use std::path::Path;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Sizes of the heavy cases, so the test suite can run a small version.
pub struct Scale {
    pub bomb_bytes: usize,
    pub long_line_bytes: usize,
}

fn flip_bits(bytes: &[u8], flips: usize, rng: &mut Rng) -> Vec<u8> {
    let mut out = bytes.to_vec();
    for _ in 0..flips {
        let i = rng.below(out.len());
        out[i] ^= 1 << rng.below(8);
    }
    out
}

/// The special hand-made hostile files.
fn crafted(scale: &Scale) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    // Flate bomb: a small stream that inflates to `bomb_bytes` of text operators.
    let bomb_content = b"BT /F1 12 Tf 72 700 Td (bomb) Tj ET\n".repeat(scale.bomb_bytes / 36 + 1);
    let compressed = deflate(&bomb_content);
    let mut objects = vec![
        obj("<< /Type /Catalog /Pages 2 0 R >>"),
        obj("<< /Type /Pages /Kids [3 0 R] /Count 1 >>"),
        obj(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >> >>",
        ),
    ];
    objects.push(stream("/Filter /FlateDecode", &compressed));
    files.push(("flate-bomb.pdf".to_string(), super::pdfgen::pdf(&objects)));

    // Cyclic Form XObjects: Fx draws Fy, Fy draws Fx.
    let fx = stream(
        "/Type /XObject /Subtype /Form /BBox [0 0 595 842] /Resources << /XObject << /Fy 6 0 R >> >>",
        b"/Fy Do",
    );
    let fy = stream(
        "/Type /XObject /Subtype /Form /BBox [0 0 595 842] /Resources << /XObject << /Fx 5 0 R >> >>",
        b"BT /F1 12 Tf 72 700 Td (cycle) Tj ET /Fx Do",
    );
    files.push((
        "cyclic-xobject.pdf".to_string(),
        one_page(b"/Fx Do", "/XObject << /Fx 5 0 R >>", &[fx, fy]),
    ));
    // A self-referencing Form XObject.
    let selfref = stream(
        "/Type /XObject /Subtype /Form /BBox [0 0 1 1] /Resources << /XObject << /Fx 5 0 R >> >>",
        b"/Fx Do /Fx Do",
    );
    files.push((
        "self-xobject.pdf".to_string(),
        one_page(b"/Fx Do", "/XObject << /Fx 5 0 R >>", &[selfref]),
    ));
    // Huge page and image dimensions.
    let huge = one_page(
        b"BT /F1 1e30 Tf 1e30 0 0 1e30 -1e30 1e30 Tm (huge) Tj ET /Im Do",
        "/XObject << /Im 5 0 R >>",
        &[stream(
            "/Type /XObject /Subtype /Image /Width 2000000000 /Height 2000000000 /ColorSpace /DeviceGray /BitsPerComponent 8",
            b"\x00\x00",
        )],
    );
    files.push(("huge-dimensions.pdf".to_string(), huge));
    // Deeply nested q/Q, BT, arrays in a content stream.
    let mut nested = b"q ".repeat(100_000);
    nested.extend_from_slice(b"BT /F1 12 Tf (deep) Tj ET");
    nested.extend_from_slice(&b"[".repeat(50_000));
    files.push(("deep-content.pdf".to_string(), one_page(&nested, "", &[])));
    // A page tree that loops on itself.
    files.push((
        "page-tree-loop.pdf".to_string(),
        super::pdfgen::pdf(&[
            obj("<< /Type /Catalog /Pages 2 0 R >>"),
            obj("<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>"),
            obj("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"),
        ]),
    ));
    // HTML: deep nesting, many nodes, NUL bytes, invalid UTF-8.
    let mut deep_html = b"<!DOCTYPE html><html><body>".to_vec();
    deep_html.extend_from_slice(&b"<div>".repeat(200_000));
    deep_html.extend_from_slice(b"<p>fond du puits</p>");
    files.push(("deep-nesting.html".to_string(), deep_html));
    let mut many = b"<!DOCTYPE html><html><body>".to_vec();
    many.extend_from_slice(&b"<p>a</p><span>b</span>".repeat(100_000));
    files.push(("many-nodes.html".to_string(), many));
    files.push((
        "nul-bytes.html".to_string(),
        b"<!DOCTYPE html><html><body><p>avant\x00\x00apr\xe8s \xff\xfe\xfd</p></body></html>"
            .to_vec(),
    ));
    files.push((
        "nul-bytes.txt".to_string(),
        b"texte\x00avec\x00NUL et \xc3\x28 invalide\n".repeat(100),
    ));
    // One very long line of text.
    let mut line = Vec::with_capacity(scale.long_line_bytes + 64);
    while line.len() < scale.long_line_bytes {
        line.extend_from_slice(
            b"Le 18 decembre 2013 a Paris, contact@example.org, 01 42 76 49 61. ",
        );
    }
    files.push(("long-line.txt".to_string(), line));
    files
}

/// Writes `count` hostile files (at least the crafted ones) into `dir`; returns their names.
pub fn generate(dir: &Path, count: usize, scale: &Scale) -> Vec<String> {
    let mut files = crafted(scale);
    let seeds: Vec<(String, Vec<u8>)> = ["001.pdf", "000.html", "004.html", "003.txt"]
        .iter()
        .filter_map(|name| {
            Some((
                name.to_string(),
                std::fs::read(corpus_dir().join(name)).ok()?,
            ))
        })
        .collect();
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    let mut i = 0usize;
    while files.len() < count && !seeds.is_empty() {
        let (name, bytes) = &seeds[i % seeds.len()];
        let ext = name.rsplit('.').next().unwrap_or("bin");
        let (kind, mutated) = match i % 4 {
            0 => {
                let cut = rng.below(bytes.len());
                ("trunc", bytes[..cut].to_vec())
            }
            1 => ("flip", flip_bits(bytes, 1 + rng.below(20), &mut rng)),
            2 => {
                // Break the cross-reference data or the trailer, or splice garbage mid-file.
                let mut out = bytes.clone();
                let at = rng.below(out.len());
                let garbage: Vec<u8> = (0..1 + rng.below(512)).map(|_| rng.next() as u8).collect();
                out.splice(at..(at + garbage.len()).min(out.len()), garbage);
                if let Some(pos) = out.windows(9).rposition(|w| w == b"startxref") {
                    out.truncate(pos + 10);
                    out.extend_from_slice(b"999999999\n%%EOF");
                }
                ("splice", out)
            }
            _ => {
                let flips = flip_bits(bytes, 200 + rng.below(2000), &mut rng);
                ("shred", flips)
            }
        };
        files.push((format!("{kind}-{i:05}-{name}.{ext}"), mutated));
        i += 1;
    }
    files.truncate(count.max(files.len().min(count)));
    let mut names = Vec::new();
    for (name, bytes) in files {
        if std::fs::write(dir.join(&name), &bytes).is_ok() {
            names.push(name);
        }
    }
    names
}
