//! A tiny PDF writer for tests: objects as text, a correct xref table, so tests can build exactly
//! the structures they need (hostile ones included) without trusting the code under test.
#![allow(dead_code)]

/// Builds a PDF from object bodies; object `n` (1-based) is `objects[n - 1]`. Object 1 must be
/// the catalog. Stream objects are given as `(dict, data)` through [`stream`].
pub fn pdf(objects: &[Vec<u8>]) -> Vec<u8> {
    let mut out = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        out.extend_from_slice(body);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for offset in offsets {
        out.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

/// A stream object: `dict` (without /Length, added here) and its raw data.
pub fn stream(dict: &str, data: &[u8]) -> Vec<u8> {
    let mut out = format!("<< {dict} /Length {} >>\nstream\n", data.len()).into_bytes();
    out.extend_from_slice(data);
    out.extend_from_slice(b"\nendstream");
    out
}

pub fn obj(text: &str) -> Vec<u8> {
    text.as_bytes().to_vec()
}

/// A one-page PDF whose page draws `content` with Helvetica as /F1 and the given extra
/// resources (e.g. `/XObject << /Fx 5 0 R >>`); `extra` objects are numbered from 5.
pub fn one_page(content: &[u8], extra_resources: &str, extra: &[Vec<u8>]) -> Vec<u8> {
    let mut objects = vec![
        obj("<< /Type /Catalog /Pages 2 0 R >>"),
        obj("<< /Type /Pages /Kids [3 0 R] /Count 1 >>"),
        obj(&format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >> >> {extra_resources} >> >>"
        )),
        stream("", content),
    ];
    objects.extend(extra.iter().cloned());
    pdf(&objects)
}

/// Deflates `data` (zlib, as FlateDecode expects).
pub fn deflate(data: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut enc = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
    let _ = enc.write_all(data);
    enc.finish().unwrap_or_default()
}
