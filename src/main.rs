//! The `docfacts` binary: parse arguments, dispatch, exit with the command's code.

fn main() {
    std::process::exit(docfacts::cli::main_with_args());
}
