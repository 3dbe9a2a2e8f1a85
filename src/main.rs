//! The `docfacts` binary: parse arguments, dispatch, exit with the command's code.

/// jemalloc: the pipeline allocates many short-lived strings and vectors per document, on
/// several threads; jemalloc's thread caches cut the CPU of a scale run by about 6 % against
/// glibc malloc (`bench/scale.sh`). The library leaves the choice to its users.
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// jemalloc's options, read at its start-up. Freed pages go back to the system after a second
/// (`dirty_decay_ms`) and at once from the lazily-freed state (`muzzy_decay_ms`): with the
/// defaults (10 s each) peak RSS of a run rose by some 20 MB over glibc's; with these it is
/// within a few MB of it, at the same speed.
#[cfg(not(target_env = "msvc"))]
#[unsafe(export_name = "_rjem_malloc_conf")]
static MALLOC_CONF: MallocConf = MallocConf(c"dirty_decay_ms:1000,muzzy_decay_ms:0".as_ptr());

/// A C string pointer jemalloc reads once; immutable, so shared between threads.
#[cfg(not(target_env = "msvc"))]
#[repr(transparent)]
struct MallocConf(*const std::ffi::c_char);

// SAFETY: the pointer is to a static, immutable C string literal.
#[cfg(not(target_env = "msvc"))]
unsafe impl Sync for MallocConf {}

fn main() {
    std::process::exit(docfacts::cli::main_with_args());
}
