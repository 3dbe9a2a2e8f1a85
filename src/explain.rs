//! `docfacts explain FILE`: runs the stages on one file and says why each fact exists (the rule,
//! its parts, the evidence with its line) and lists the repairs made to the text.

use crate::facts::document;
use crate::pipeline::Pipeline;
use crate::read::{self, InputFile};
use crate::{extract, language};
use anyhow::{Context, Result, anyhow};
use std::io::Write;
use std::path::Path;

/// 1-based line of byte offset `pos`.
fn line_of(text: &str, pos: usize) -> usize {
    text.get(..pos).map_or(0, |t| t.matches('\n').count()) + 1
}

fn one_line(s: &str) -> String {
    let collapsed: Vec<&str> = s.split_whitespace().collect();
    let t = collapsed.join(" ");
    if t.chars().count() > 90 {
        format!("{}…", t.chars().take(90).collect::<String>())
    } else {
        t
    }
}

pub fn explain_file(pipeline: &Pipeline, path: &Path, out: &mut impl Write) -> Result<i32> {
    let input = InputFile {
        path: path.to_path_buf(),
        rel_path: path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("input")
            .to_string(),
    };
    let source = read::load(&input, &pipeline.limits).map_err(|f| anyhow!("{}", f.1))?;
    let extracted = extract::extract(&source, &pipeline.limits).map_err(|p| anyhow!("{p}"))?;
    let mut doc = pipeline.repairer.repair(extracted);
    language::annotate(&mut doc);
    let (output, resolved) = document::extract(&pipeline.facts, &doc);
    let text = &doc.clean;
    writeln!(
        out,
        "{} ({:?}, language {:?})",
        path.display(),
        doc.kind,
        doc.language
    )
    .context("writing")?;
    writeln!(out, "\ndocument:")?;
    let d = &output.document;
    for (field, value) in [
        ("publication_date", &d.publication_date),
        ("place", &d.place),
        ("language", &d.language),
    ] {
        let rule = d.rules.get(field).map_or("-", String::as_str);
        writeln!(
            out,
            "  {field:<17} {:<14} rule {rule}",
            value.as_deref().unwrap_or("null")
        )?;
    }
    writeln!(
        out,
        "\nfacts (rule <- parts: value [about] \"evidence\" line):"
    )?;
    let mut kept = 0;
    for r in &resolved {
        let m = &r.mention;
        let ev = text.get(m.start..m.end).unwrap_or_default();
        let parts = if m.parts.is_empty() {
            String::new()
        } else {
            format!(" <- {}", m.parts.join(" + "))
        };
        let (mark, value) = match &r.value {
            Some(v) => {
                kept += 1;
                ("+", v.clone())
            }
            None => {
                let what =
                    crate::facts::probe::mention_value(m, &crate::facts::time::Context::none())
                        .map_or_else(String::new, |(dim, v, _)| format!("{dim} {v}"));
                (" ", format!("(not a fact: {what})"))
            }
        };
        let about = r
            .about
            .as_deref()
            .map(|a| format!(" [{a}]"))
            .unwrap_or_default();
        writeln!(
            out,
            "{mark} {:<8} {}{parts}: {value}{about} \"{}\" line {} conf {:.2}",
            r.fact_type,
            m.rule,
            one_line(ev),
            line_of(text, m.start),
            m.confidence
        )?;
    }
    writeln!(
        out,
        "  {kept} mentions became facts, {} did not",
        resolved.len() - kept
    )?;
    writeln!(out, "\ncorrections (rule: before -> after, line):")?;
    if doc.corrections.is_empty() {
        writeln!(out, "  none")?;
    }
    for c in &doc.corrections {
        writeln!(
            out,
            "  {}: {:?} -> {:?}, line {}",
            c.rule,
            c.raw,
            c.clean,
            line_of(text, c.clean_start)
        )?;
    }
    Ok(crate::cli::EXIT_OK)
}
