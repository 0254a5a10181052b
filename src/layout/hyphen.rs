//! Hyphenation (layout stage): where a word may break, by the edition's
//! language, using typst's hypher patterns. Albanian and Serbian are
//! hyphenated; Serbian Latin is transliterated to Cyrillic (hypher's
//! Serbian patterns are Cyrillic) so both scripts break alike. English is
//! not hyphenated: at this measure ragged text does not need it, and its
//! patterns break "contamination" as "con-t-a-m-i-na-tion".

use crate::model::latin_to_cyrillic;

/// Words shorter than this (in letters) are never hyphenated.
const MIN_WORD: usize = 6;

/// How an edition's words may be hyphenated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hyphenation {
    /// Never.
    Off,
    /// Albanian patterns.
    Albanian,
    /// Serbian patterns; `latin` words are transliterated first.
    Serbian {
        /// The edition writes Serbian in Latin script.
        latin: bool,
    },
}

impl Hyphenation {
    /// The hyphenation of a language tag, when the labels file turns it on.
    pub fn for_language(tag: &str, enabled: bool) -> Hyphenation {
        let base = tag.split('-').next().unwrap_or(tag);
        match (enabled, base) {
            (true, "sq") => Hyphenation::Albanian,
            (true, "sr") => Hyphenation::Serbian {
                latin: !tag.ends_with("-Cyrl"),
            },
            _ => Hyphenation::Off,
        }
    }

    /// Byte offsets inside `word` where it may break with a hyphen.
    pub fn breaks(&self, word: &str) -> Vec<usize> {
        let letters = word.chars().count();
        if *self == Hyphenation::Off || letters < MIN_WORD || !word.chars().all(char::is_alphabetic)
        {
            return Vec::new();
        }
        match self {
            Hyphenation::Off => Vec::new(),
            Hyphenation::Albanian => offsets(hypher::hyphenate(word, hypher::Lang::Albanian)),
            Hyphenation::Serbian { latin: false } => {
                offsets(hypher::hyphenate(word, hypher::Lang::Serbian))
            }
            Hyphenation::Serbian { latin: true } => serbian_latin(word),
        }
    }
}

/// Byte offsets between syllables.
fn offsets<'a>(syllables: impl Iterator<Item = &'a str>) -> Vec<usize> {
    let mut out = Vec::new();
    let mut at = 0;
    for syllable in syllables {
        if at > 0 {
            out.push(at);
        }
        at += syllable.len();
    }
    out
}

/// Hyphenates Serbian Latin through Cyrillic, mapping breaks back letter by
/// letter (lj, nj and dž are one Cyrillic letter each).
fn serbian_latin(word: &str) -> Vec<usize> {
    // For each Latin letter boundary, the Cyrillic letter count before it.
    let mut latin_offsets = Vec::new();
    let mut cyrillic = String::new();
    let mut rest = word;
    while !rest.is_empty() {
        let take = ["lj", "nj", "dž", "Lj", "Nj", "Dž", "LJ", "NJ", "DŽ"]
            .iter()
            .find(|d| rest.starts_with(**d))
            .map_or_else(
                || rest.chars().next().map_or(1, char::len_utf8),
                |d| d.len(),
            );
        cyrillic.push_str(&latin_to_cyrillic(&rest[..take]));
        rest = &rest[take..];
        latin_offsets.push(word.len() - rest.len());
    }
    let cyrillic_breaks = offsets(hypher::hyphenate(&cyrillic, hypher::Lang::Serbian));
    // Cyrillic byte offset → letter index → Latin byte offset.
    cyrillic_breaks
        .into_iter()
        .filter_map(|byte| {
            let letters = cyrillic[..byte].chars().count();
            latin_offsets.get(letters.checked_sub(1)?).copied()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(h: Hyphenation, word: &str) -> String {
        let mut out = String::new();
        let mut last = 0;
        for at in h.breaks(word) {
            out.push_str(&word[last..at]);
            out.push('-');
            last = at;
        }
        out.push_str(&word[last..]);
        out
    }

    #[test]
    fn albanian_and_serbian_break_as_the_patterns_say() {
        assert_eq!(
            split(Hyphenation::Albanian, "kontaminuar"),
            "kon-ta-mi-nu-ar"
        );
        let cyrillic = Hyphenation::Serbian { latin: false };
        assert_eq!(split(cyrillic, "контаминирано"), "кон-та-ми-ни-ра-но");
    }

    #[test]
    fn serbian_latin_breaks_like_cyrillic() {
        let latin = Hyphenation::Serbian { latin: true };
        assert_eq!(split(latin, "kontaminirano"), "kon-ta-mi-ni-ra-no");
        assert_eq!(split(latin, "razminiranje"), "raz-mi-ni-ra-nje");
    }

    #[test]
    fn english_short_words_and_acronyms_are_left_alone() {
        assert!(
            Hyphenation::for_language("en", true)
                .breaks("contamination")
                .is_empty()
        );
        assert!(Hyphenation::Albanian.breaks("NPA").is_empty());
        assert!(Hyphenation::Albanian.breaks("2023").is_empty());
        assert!(Hyphenation::Albanian.breaks("toka").is_empty());
    }
}
