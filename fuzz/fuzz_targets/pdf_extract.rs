//! PDF extraction on arbitrary bytes: must return `Ok` or `Err`, never panic, hang or blow memory.
#![no_main]

use docfacts::limits::Limits;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = docfacts::extract::pdf::extract(data, &Limits::default().for_document());
});
