//! Command-line interface: argument parsing and one documented entry function per command.

use crate::limits::Limits;
use crate::pipeline::Pipeline;
use crate::read::{self, InputFile};
use crate::write::{self, Summary};
use anyhow::{Context, Result};
use clap::{Args, Parser, Subcommand};
use rayon::prelude::*;
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
    /// Fact rules: `rules test` runs every rule's examples and counter-examples.
    Rules(RulesArgs),
    /// Print the fact mentions (dates, numbers, phones, e-mails, URLs) of one text as JSON.
    Probe(ProbeArgs),
    /// Run the pipeline on one file and list which rule produced which fact, and each correction.
    Explain(ExplainArgs),
}

#[derive(Args, Debug, Clone)]
pub struct RulesArgs {
    #[command(subcommand)]
    pub command: RulesCommand,
}

#[derive(Subcommand, Debug, Clone)]
pub enum RulesCommand {
    /// Check every example and counter-example of every fact rule (exit 1 on a failure).
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
}

impl Default for RunArgs {
    fn default() -> Self {
        RunArgs {
            inputs: vec![PathBuf::from("corpus")],
            output: PathBuf::from("output"),
            jobs: None,
            jsonl: false,
            max_input_mb: 512,
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

/// `docfacts rules test`: every example of every fact rule; exit 1 when one fails.
pub fn rules(args: &RulesArgs) -> Result<i32> {
    let RulesCommand::Test { dir } = &args.command;
    let engine = fact_engine(dir.as_deref())?;
    let report = crate::facts::selftest::run(&engine);
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

/// `docfacts run`: processes every input in parallel, writes each record as soon as it is done
/// (in input order for `--jsonl`), then `summary.json`, and prints a one-line summary.
pub fn run(args: &RunArgs) -> Result<i32> {
    let limits = Limits {
        max_input_bytes: args.max_input_mb.saturating_mul(1024 * 1024),
        ..Limits::default()
    };
    let pipeline = Pipeline::new(limits).context("loading rules")?;
    for input in &args.inputs {
        if !input.exists() && !input.is_symlink() {
            anyhow::bail!("input {} does not exist", input.display());
        }
    }
    let out_dir = (!args.jsonl).then_some(args.output.as_path());
    let (inputs, walk_problems) = read::discover(&args.inputs, out_dir);
    let threads = args.jobs.unwrap_or(0);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .context("starting worker threads")?;

    let progress = progress_bar(inputs.len() as u64, args.jsonl);
    let mut summary = Summary {
        run_problems: walk_problems,
        ..Summary::default()
    };
    let stdout = std::io::stdout();
    let mut stdout = stdout.lock();
    // Documents are processed in windows: each window in parallel, then written in input
    // order. Memory stays bounded by the window, whatever the number of documents.
    let window = pool.current_num_threads().max(1) * 4;
    for chunk in inputs.chunks(window) {
        let records: Vec<_> = pool.install(|| {
            chunk
                .par_iter()
                .map(|input: &InputFile| {
                    let record = pipeline.process_file(input);
                    progress.inc(1);
                    record
                })
                .collect()
        });
        for record in records {
            if args.jsonl {
                stdout
                    .write_all(&write::to_json_line(&record)?)
                    .context("writing to stdout")?;
            } else if let Err(err) = write::write_record(&args.output, &record) {
                summary
                    .run_problems
                    .push(format!("{}: {err:#}", record.doc_id));
            }
            summary.add(&record);
        }
    }
    progress.finish_and_clear();
    if args.jsonl {
        stdout.flush().context("writing to stdout")?;
    } else {
        summary
            .write(&args.output)
            .with_context(|| format!("writing {}/summary.json", args.output.display()))?;
    }
    eprintln!("docfacts: {}", summary.one_line());
    for failed in &summary.failed_documents {
        eprintln!(
            "  failed: {} ({}: {})",
            failed.doc_id, failed.stage, failed.message
        );
    }
    for problem in &summary.run_problems {
        eprintln!("  problem: {problem}");
    }
    let code = if summary.failed > 0 || !summary.run_problems.is_empty() {
        EXIT_SOME_FAILED
    } else {
        EXIT_OK
    };
    Ok(code)
}

/// A progress bar on a terminal only: pipes, files and CI logs get nothing.
fn progress_bar(len: u64, jsonl: bool) -> indicatif::ProgressBar {
    if !std::io::stderr().is_terminal() || (jsonl && std::io::stdout().is_terminal()) {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(len);
    if let Ok(style) = indicatif::ProgressStyle::with_template(
        "{bar:40} {pos}/{len} documents, {per_sec}, eta {eta}",
    ) {
        bar.set_style(style);
    }
    bar
}
