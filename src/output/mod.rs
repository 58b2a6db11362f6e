//! Output: record types for JSONL and CSV, and the writers.
//!
//! Records carry code point offsets (what Python's `str` slicing uses); the
//! conversion from the pipeline's byte offsets happens here, once. Beside the
//! records: spreadsheet-safe CSV ([`csvsafe`]), summary tables ([`summary`]),
//! the HTML review report ([`report`]) and the Frictionless data package
//! ([`datapackage`]), collected during a run by [`extras::Collector`].

pub mod csvsafe;
pub mod datapackage;
pub mod extras;
mod records;
pub mod report;
pub mod summary;
mod writer;

pub use csvsafe::CsvOptions;
pub use extras::{Collector, Extras, Written};
pub use records::{ArticleCsvRecord, ArticleRecord, ClaimRecord, SentenceRecord};
pub use writer::{AtomicFile, Format, RecordWriter};

/// Converts ascending byte offsets of one text to code point offsets in one
/// forward pass (it starts again from the beginning if asked to go back).
pub struct CharCounter<'a> {
    text: &'a str,
    byte: usize,
    chars: usize,
}

impl<'a> CharCounter<'a> {
    pub fn new(text: &'a str) -> Self {
        CharCounter {
            text,
            byte: 0,
            chars: 0,
        }
    }

    /// The code point offset of byte offset `byte` (a char boundary).
    pub fn at(&mut self, byte: usize) -> usize {
        if byte < self.byte {
            self.byte = 0;
            self.chars = 0;
        }
        self.chars += self.text[self.byte..byte].chars().count();
        self.byte = byte;
        self.chars
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_points_not_bytes() {
        let text = "é “q” 🎉 x";
        let mut c = CharCounter::new(text);
        let x = text.find('x').unwrap();
        assert_eq!(c.at(0), 0);
        assert_eq!(c.at(x), 8);
        assert_eq!(c.at(2), 1);
    }
}
