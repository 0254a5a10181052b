//! Flate (zlib) for the render stage: one place that decides how hard
//! streams are compressed. Images are encoded once per batch (see
//! [`super::Cache`]), so they get the best level; what changes with every
//! factsheet (font subsets, page contents, object streams) gets a level
//! that costs a fraction of the time for nearly the same size.

use std::cell::RefCell;

use flate2::{Compress, Compression, FlushCompress, Status};

/// For streams compressed once and reused: images.
pub const ONCE: u32 = 9;

/// For streams compressed on every build. Measured on the Kosovo factsheet:
/// within 1 % of the size of level 9 at a third of the time.
pub const EVERY_BUILD: u32 = 6;

thread_local! {
    /// One compressor per level and thread, reset between streams: a new
    /// one allocates and clears some 300 KB of tables, which cost more
    /// than compressing a small stream (a build writes about fifteen).
    static COMPRESSORS: RefCell<Vec<(u32, Compress)>> = const { RefCell::new(Vec::new()) };
}

/// The zlib stream of `data` at `level` (0–9).
pub fn deflate(data: &[u8], level: u32) -> Vec<u8> {
    COMPRESSORS.with(|compressors| {
        let mut compressors = compressors.borrow_mut();
        let index = match compressors.iter().position(|(l, _)| *l == level) {
            Some(index) => index,
            None => {
                compressors.push((level, Compress::new(Compression::new(level), true)));
                compressors.len() - 1
            }
        };
        let compress = &mut compressors[index].1;
        compress.reset();
        let mut out = Vec::with_capacity(data.len() / 2 + 64);
        loop {
            let read = compress.total_in() as usize;
            match compress.compress_vec(&data[read..], &mut out, FlushCompress::Finish) {
                Ok(Status::StreamEnd) => return out,
                Ok(_) => out.reserve(out.capacity().max(1024)),
                // Deflating from memory into memory cannot fail; if it did,
                // an empty result is never chosen (see below).
                Err(_) => return Vec::new(),
            }
        }
    })
}

/// `data` deflated when that makes it smaller, with whether it did; the
/// same rule as lopdf's (a Filter entry costs about 19 bytes).
pub fn deflate_if_smaller(data: &[u8], level: u32) -> Option<Vec<u8>> {
    let compressed = deflate(data, level);
    (!compressed.is_empty() && compressed.len() + 19 < data.len()).then_some(compressed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inflate(data: &[u8]) -> Vec<u8> {
        use std::io::Read;
        let mut out = Vec::new();
        flate2::read::ZlibDecoder::new(data)
            .read_to_end(&mut out)
            .unwrap();
        out
    }

    #[test]
    fn a_reused_compressor_gives_the_bytes_of_a_fresh_one() {
        let text: Vec<u8> = (0..50_000u32).map(|i| (i * 7 % 251) as u8).collect();
        let first = deflate(&text, EVERY_BUILD);
        let _other = deflate(b"something else entirely", EVERY_BUILD);
        assert_eq!(deflate(&text, EVERY_BUILD), first);
        assert_eq!(inflate(&first), text);
    }
}
