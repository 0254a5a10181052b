//! Flate (zlib) for the render stage: one place that decides how hard
//! streams are compressed, with libdeflate. Images and ICC profiles are
//! encoded once per batch (see [`super::Cache`]), so they get a thorough
//! level; what changes with every factsheet (font subsets, page contents,
//! object streams) gets a fast one.

use std::cell::RefCell;

use libdeflater::{CompressionLvl, Compressor};

/// For streams compressed once and reused: images, ICC profiles.
pub const ONCE: i32 = 10;

/// For streams compressed on every build. Measured on the Kosovo
/// factsheet's 44 KB of contents, subsets and maps (2 cores, see README):
/// zlib-rs level 6, what this used before, gave 18.7 KB in 0.98 ms;
/// libdeflate level 6 gives 18.4 KB in 0.74 ms, level 3 19.1 KB in 0.57 ms.
pub const EVERY_BUILD: i32 = 6;

thread_local! {
    /// One compressor per level and thread, reused between streams (a
    /// build writes about fifteen).
    static COMPRESSORS: RefCell<Vec<(i32, Compressor)>> = const { RefCell::new(Vec::new()) };
}

/// The zlib stream of `data` at `level` (1–12).
pub fn deflate(data: &[u8], level: i32) -> Vec<u8> {
    COMPRESSORS.with(|compressors| {
        let mut compressors = compressors.borrow_mut();
        let index = match compressors.iter().position(|(l, _)| *l == level) {
            Some(index) => index,
            None => {
                let lvl = CompressionLvl::new(level).unwrap_or_default();
                compressors.push((level, Compressor::new(lvl)));
                compressors.len() - 1
            }
        };
        let compressor = &mut compressors[index].1;
        let mut out = vec![0; compressor.zlib_compress_bound(data.len())];
        // The buffer is libdeflate's own bound, so this cannot run out of
        // room; if it did, an empty result is never chosen (see below).
        let written = compressor.zlib_compress(data, &mut out).unwrap_or(0);
        out.truncate(written);
        out
    })
}

/// `data` deflated when that makes it smaller, with whether it did; the
/// same rule as lopdf's (a Filter entry costs about 19 bytes).
pub fn deflate_if_smaller(data: &[u8], level: i32) -> Option<Vec<u8>> {
    let compressed = deflate(data, level);
    (!compressed.is_empty() && compressed.len() + 19 < data.len()).then_some(compressed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inflate(data: &[u8], size: usize) -> Vec<u8> {
        let mut out = vec![0; size];
        let n = libdeflater::Decompressor::new()
            .zlib_decompress(data, &mut out)
            .unwrap();
        out.truncate(n);
        out
    }

    #[test]
    fn a_reused_compressor_gives_the_bytes_of_a_fresh_one() {
        let text: Vec<u8> = (0..50_000u32).map(|i| (i * 7 % 251) as u8).collect();
        let first = deflate(&text, EVERY_BUILD);
        let _other = deflate(b"something else entirely", EVERY_BUILD);
        assert_eq!(deflate(&text, EVERY_BUILD), first);
        assert_eq!(inflate(&first, text.len()), text);
        assert!(first.len() < text.len() / 10);
    }

    #[test]
    fn what_would_not_shrink_stays_as_it_is() {
        assert_eq!(deflate_if_smaller(b"tiny", EVERY_BUILD), None);
    }
}
