//! A small, seeded random source for the layout stage's property tests
//! (line breaking, pagination): the same cases on every run, no dependency.

/// Knuth's MMIX linear congruential generator; the high bits are used.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed ^ 0x9E37_79B9_7F4A_7C15)
    }

    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    /// A whole number in `low..high`.
    pub fn below(&mut self, low: usize, high: usize) -> usize {
        low + (self.next() as usize) % (high - low).max(1)
    }

    /// A number in `low..high`.
    pub fn between(&mut self, low: f64, high: f64) -> f64 {
        // `next` gives 31 bits.
        low + (self.next() as f64 / (1u64 << 31) as f64) * (high - low)
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        self.between(0.0, 1.0) < p
    }
}
