//! HTML extraction on arbitrary bytes (any encoding, any markup): never panics.
#![no_main]

use docfacts::limits::Limits;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = docfacts::extract::html::extract(data, &Limits::default().for_document());
});
