//! Command-line interface: argument parsing and one documented entry function per command.

use crate::batch::{self, BatchOptions, Sink, WorkItem};
use crate::limits::Limits;
use crate::pipeline::{LazyPipeline, Pipeline};
use crate::read;
use anyhow::{Context, Result};
use clap::{Args, Parser, Subcommand};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;

/// Exit code: every document processed without error.
pub const EXIT_OK: i32 = 0;
/// Exit code: the run finished, but some documents failed (see summary.json).
pub const EXIT_SOME_FAILED: i32 = 1;
/// Exit code: usage error or a fatal error (nothing or not everything could run).
pub const EXIT_FATAL: i32 = 2;

const AFTER_HELP: &str = "\
Exit codes:
  0  every document was processed without error
  1  the run finished but some documents failed (each has an error record; see summary.json)
  2  usage error or fatal error (bad arguments, output folder not writable, rules not loadable)

With no command, `docfacts` runs `docfacts run` on corpus/ and writes output/.";

#[derive(Parser, Debug)]
#[command(name = "docfacts", version, about = "Turn messy documents (HTML, PDF, text) into trustworthy structured facts", after_help = AFTER_HELP)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Process documents: one JSON per input (and summary.json), or JSON Lines on stdout.
    Run(RunArgs),
    /// Print the JSON Schema of the output files.
    Schema,
    /// Print the documents a run on these inputs would process, one `<doc id>\t<path>` a line,
    /// in run order (hidden files and `.docfactsignore` applied), for engines that spread a run
    /// over machines.
    List(ListArgs),
    /// Write the main text (`<id>.txt`) and metadata (`<id>.json`) of HTML pages (.html,
    /// .html.gz), in the format of the HTML benchmark scorer.
    HtmlMain(HtmlMainArgs),
    /// Fact rules: `rules test` runs every rule's examples and counter-examples.
    Rules(RulesArgs),
    /// Print the fact mentions (dates, numbers, phones, e-mails, URLs) of one text as JSON.
    Probe(ProbeArgs),
    /// Run the pipeline on one file and list which rule produced which fact, and each correction.
    Explain(ExplainArgs),
}

#[derive(Args, Debug, Clone)]
pub struct ListArgs {
    /// Input files or folders.
    #[arg(required = true)]
    pub inputs: Vec<PathBuf>,
}

#[derive(Args, Debug, Clone)]
pub struct RulesArgs {
    #[command(subcommand)]
    pub command: RulesCommand,
}

#[derive(Subcommand, Debug, Clone)]
pub enum RulesCommand {
    /// Check every example and counter-example of every fact and entity rule (exit 1 on a
    /// failure).
    Test {
        /// Rule folder to test instead of the rules built into the binary.
        #[arg(long)]
        dir: Option<PathBuf>,
    },
}

#[derive(Args, Debug, Clone)]
pub struct ProbeArgs {
    /// The text to probe (omit with --jsonl).
    pub text: Option<String>,
    /// Language of the rules: fr or en.
    #[arg(long, default_value = "fr")]
    pub lang: String,
    /// Reference time for year-less dates, YYYY-MM-DDTHH:MM:SS.
    #[arg(long)]
    pub reference: Option<String>,
    /// Read `{"text", "lang", "reference"}` lines on stdin, print one result per line.
    #[arg(long)]
    pub jsonl: bool,
    /// Year of year-less dates: `future` (next occurrence) or `nearest`.
    #[arg(long, default_value = "nearest")]
    pub year_policy: String,
    /// Rule folder to use instead of the rules built into the binary.
    #[arg(long)]
    pub rules: Option<PathBuf>,
}

#[derive(Args, Debug, Clone)]
pub struct ExplainArgs {
    /// The input file.
    pub file: PathBuf,
}

#[derive(Args, Debug, Clone)]
pub struct HtmlMainArgs {
    /// HTML files or folders of them.
    #[arg(required = true)]
    pub inputs: Vec<PathBuf>,
    /// Output folder.
    #[arg(short, long)]
    pub output: PathBuf,
    /// Worker threads (default: all cores).
    #[arg(short, long)]
    pub jobs: Option<usize>,
}

#[derive(Args, Debug, Clone)]
pub struct RunArgs {
    /// Input files or folders (folders are walked recursively, in sorted order).
    #[arg(default_value = "corpus")]
    pub inputs: Vec<PathBuf>,
    /// Output folder: one `<input path>.json` per input, and `summary.json`.
    #[arg(short, long, default_value = "output")]
    pub output: PathBuf,
    /// Worker threads (default: all cores).
    #[arg(short, long)]
    pub jobs: Option<usize>,
    /// Stream one JSON document per line to stdout instead of writing files.
    #[arg(long)]
    pub jsonl: bool,
    /// Largest input file read, in MiB.
    #[arg(long, default_value_t = 512)]
    pub max_input_mb: u64,
    /// Read the inputs from stdin instead: one per line, a path, or a JSON object
    /// {"id", "path"} or {"id", "data_base64"}. Combine with --jsonl to use docfacts as a
    /// filter in a pipe (e.g. from Spark's RDD.pipe).
    #[arg(long)]
    pub stdin: bool,
    /// Skip documents whose input bytes, rules and docfacts version are unchanged since the
    /// last run into the same output folder (manifest: OUT/.docfacts-manifest.json).
    #[arg(long)]
    pub incremental: bool,
    /// With --incremental: delete the outputs of inputs that no longer exist.
    #[arg(long, requires = "incremental")]
    pub prune: bool,
    /// Wall-clock budget of one document, in seconds; a document over it gets an error record.
    #[arg(long, default_value_t = 120)]
    pub seconds_per_document: u64,
    /// Print the time spent in each stage (summed over documents) on stderr.
    #[arg(long)]
    pub timings: bool,
    /// Switch off an OCR repair rule (by id) or a whole layer (structural, lexical, context);
    /// repeatable or comma-separated.
    #[arg(long = "repair-disable", value_name = "ID")]
    pub repair_disable: Vec<String>,
}

impl Default for RunArgs {
    fn default() -> Self {
        RunArgs {
            inputs: vec![PathBuf::from("corpus")],
            output: PathBuf::from("output"),
            jobs: None,
            jsonl: false,
            max_input_mb: 512,
            stdin: false,
            incremental: false,
            prune: false,
            timings: false,
            seconds_per_document: 120,
            repair_disable: Vec::new(),
        }
    }
}

/// Parses the command line and runs the command; returns the process exit code.
pub fn main_with_args() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            let code = if err.use_stderr() {
                EXIT_FATAL
            } else {
                EXIT_OK
            };
            let _ = err.print();
            return code;
        }
    };
    let result = match cli.command.unwrap_or(Command::Run(RunArgs::default())) {
        Command::Run(args) => run(&args),
        Command::Schema => schema(),
        Command::List(args) => list(&args),
        Command::HtmlMain(args) => html_main(&args),
        Command::Rules(args) => rules(&args),
        Command::Probe(args) => probe(&args),
        Command::Explain(args) => explain(&args),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            eprintln!("docfacts: error: {err:#}");
            EXIT_FATAL
        }
    }
}

/// A named input that is missing is a usage error, not a failed document (a dangling link is
/// a document: its record says why it cannot be read).
fn inputs_exist(inputs: &[PathBuf]) -> Result<()> {
    for input in inputs {
        if !input.exists() && !input.is_symlink() {
            anyhow::bail!("input {} does not exist", input.display());
        }
    }
    Ok(())
}

/// `docfacts list`: the documents of a run on `args.inputs`, as `run` finds and names them.
/// Ignored files and problems of the walk go to stderr; exit 1 when there were problems.
pub fn list(args: &ListArgs) -> Result<i32> {
    inputs_exist(&args.inputs)?;
    let found = read::discover(&args.inputs, None);
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    for file in &found.files {
        writeln!(out, "{}\t{}", file.rel_path, file.path.display()).context("writing to stdout")?;
    }
    out.flush().context("writing to stdout")?;
    for ignored in &found.report.ignored {
        eprintln!("docfacts: ignored (.docfactsignore): {ignored}");
    }
    for problem in &found.report.problems {
        eprintln!("docfacts: {problem}");
    }
    Ok(if found.report.problems.is_empty() {
        0
    } else {
        1
    })
}

/// `docfacts schema`: prints the JSON Schema the output validates against.
pub fn schema() -> Result<i32> {
    print!("{}", crate::SCHEMA_JSON);
    Ok(EXIT_OK)
}

fn fact_engine(dir: Option<&std::path::Path>) -> Result<crate::facts::FactEngine> {
    match dir {
        Some(d) => crate::facts::FactEngine::from_dir(d)
            .with_context(|| format!("loading rules from {}", d.display())),
        None => crate::facts::FactEngine::embedded().context("loading the built-in rules"),
    }
}

/// `docfacts rules test`: every example of every fact and entity rule; exit 1 when one fails.
pub fn rules(args: &RulesArgs) -> Result<i32> {
    let RulesCommand::Test { dir } = &args.command;
    let engine = fact_engine(dir.as_deref())?;
    let mut report = crate::facts::selftest::run(&engine);
    // The entity rules are always the built-in ones: `--dir` names a fact rule folder.
    let entities = crate::entities::selftest::run();
    println!(
        "fact rules: {} checks; entity rules: {} checks",
        report.checked, entities.checked
    );
    report.checked += entities.checked;
    report.failures.extend(entities.failures);
    for f in &report.failures {
        println!("FAIL {} {}: {}", f.file, f.rule, f.message);
    }
    println!(
        "rules test: {} checks, {} failed",
        report.checked,
        report.failures.len()
    );
    Ok(if report.failures.is_empty() {
        EXIT_OK
    } else {
        EXIT_SOME_FAILED
    })
}

/// `docfacts probe`: the mentions of one text, or of each stdin line with `--jsonl`.
pub fn probe(args: &ProbeArgs) -> Result<i32> {
    use crate::facts::time::YearPolicy;
    let engine = fact_engine(args.rules.as_deref())?;
    let policy = match args.year_policy.as_str() {
        "future" => YearPolicy::Future,
        "nearest" => YearPolicy::Nearest,
        other => anyhow::bail!("unknown --year-policy {other:?} (future or nearest)"),
    };
    if args.jsonl {
        let stdin = std::io::stdin();
        let stdout = std::io::stdout();
        crate::facts::probe::probe_jsonl(
            &engine,
            stdin.lock(),
            std::io::BufWriter::new(stdout.lock()),
            policy,
        )?;
        return Ok(EXIT_OK);
    }
    let text = args
        .text
        .as_deref()
        .context("probe needs a TEXT (or --jsonl)")?;
    let ctx = crate::facts::probe::context(args.reference.as_deref(), policy)?;
    let json = crate::facts::probe::probe_json(&engine, text, &args.lang, &ctx);
    println!("{}", serde_json::to_string_pretty(&json)?);
    Ok(EXIT_OK)
}

/// `docfacts explain FILE`: the facts of one file with the rule and evidence of each, and the
/// corrections of its text.
pub fn explain(args: &ExplainArgs) -> Result<i32> {
    let pipeline = Pipeline::new(Limits::default()).context("loading rules")?;
    let stdout = std::io::stdout();
    crate::explain::explain_file(&pipeline, &args.file, &mut stdout.lock())
}

/// `docfacts html-main`: main text and metadata of HTML pages, for the HTML benchmark.
pub fn html_main(args: &HtmlMainArgs) -> Result<i32> {
    let report = crate::extract::html::main_text::write_main_texts(
        &args.inputs,
        &args.output,
        args.jobs.unwrap_or(0),
        &Limits::default(),
    )?;
    let secs = report.extract_wall.as_secs_f64().max(1e-9);
    eprintln!(
        "docfacts html-main: {} pages, {} failed; extraction {:.3} s wall on {} threads ({:.1} pages/s), {:.3} s summed",
        report.pages,
        report.failed.len(),
        secs,
        report.threads,
        report.pages as f64 / secs,
        report.extract_sum.as_secs_f64()
    );
    for failed in &report.failed {
        eprintln!("  failed: {failed}");
    }
    Ok(if report.failed.is_empty() {
        EXIT_OK
    } else {
        EXIT_SOME_FAILED
    })
}

/// `docfacts run`: processes every input in parallel, writes each record as soon as it is done
/// (in input order for `--jsonl`), then `summary.json`, and prints a one-line summary.
pub fn run(args: &RunArgs) -> Result<i32> {
    let limits = Limits {
        max_input_bytes: args.max_input_mb.saturating_mul(1024 * 1024),
        seconds_per_document: args.seconds_per_document,
        ..Limits::default()
    };
    // Built on first use, unless repair rules are switched off: then now, so that an unknown
    // rule id stops the run before it starts.
    let pipeline = if args.repair_disable.is_empty() {
        LazyPipeline::new(limits)
    } else {
        let options = crate::repair::RepairOptions::from_switches(&args.repair_disable);
        LazyPipeline::ready(Pipeline::with_repair_options(limits, options)?)
    };
    let (inputs, walk) = if args.stdin {
        // Read on a thread of its own, a few items ahead of the run through a bounded channel:
        // the run starts on the first line, and memory stays flat however long the stream is.
        let (sender, receiver) = std::sync::mpsc::sync_channel(4);
        std::thread::spawn(move || {
            batch::read_items(std::io::stdin().lock(), |item| sender.send(item).is_ok())
        });
        (
            batch::Inputs::Streamed(receiver),
            read::WalkReport::default(),
        )
    } else {
        inputs_exist(&args.inputs)?;
        let out_dir = (!args.jsonl).then_some(args.output.as_path());
        let found = read::discover(&args.inputs, out_dir);
        (
            batch::Inputs::Listed(found.files.into_iter().map(WorkItem::File).collect()),
            found.report,
        )
    };
    let options = BatchOptions {
        sink: if args.jsonl {
            Sink::Stdout
        } else {
            Sink::Folder(args.output.clone())
        },
        threads: args.jobs.unwrap_or(0),
        incremental: args.incremental,
        prune: args.prune,
        // A progress bar on a terminal only: pipes, files and CI logs get nothing.
        show_progress: std::io::stderr().is_terminal(),
        settings: format!(
            "max_input_mb={} seconds_per_document={} repair_disable={}",
            args.max_input_mb,
            args.seconds_per_document,
            args.repair_disable.join(",")
        ),
    };
    let result = batch::run(&pipeline, inputs, &options, walk)?;
    let summary = &result.summary;
    eprintln!("docfacts: {}", summary.one_line());
    if args.incremental {
        eprintln!(
            "  incremental: {} unchanged, {} processed, {} outputs pruned",
            result.skipped,
            summary.documents - result.skipped,
            result.pruned
        );
    }
    for failed in &summary.failed_documents {
        eprintln!(
            "  failed: {} ({}: {})",
            failed.doc_id, failed.stage, failed.message
        );
    }
    if !summary.ignored_files.is_empty() {
        eprintln!(
            "  ignored: {} files listed in {} files (see summary.json)",
            summary.ignored_files.len(),
            read::IGNORE_FILE
        );
    }
    for problem in &summary.run_problems {
        eprintln!("  problem: {problem}");
    }
    if args.timings {
        eprintln!("  wall: {:.3} s", result.wall_seconds);
        for (stage, seconds) in result.times.rows() {
            eprintln!("  stage {stage:<9} {seconds:>9.3} s (summed over threads)");
        }
    }
    let code = if summary.failed > 0 || !summary.run_problems.is_empty() {
        EXIT_SOME_FAILED
    } else {
        EXIT_OK
    };
    Ok(code)
}
