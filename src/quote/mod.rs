//! Quotation and attribution: quotation spans, cues and speakers, and the
//! claim parts they make of each sentence.
//!
//! Takes the text, its segmentation and the lexicons; gives [`Part`]s: each
//! claimable sentence (or attribution-split piece of one), its quoted words,
//! its quote type and the [`Basis`] its attribution rests on. Sources are not
//! named or classified here: that is `classify`'s work.

mod attribute;
mod cues;
mod marks;
mod tokens;

pub use attribute::{attribute, attribute_all, attribute_with, Attribution, Basis, Carry, Part};
pub use cues::{find_cues, CueKind, Found, CUE_OPENERS, WORD_CLASSES};
pub use marks::find_quotes;
pub use tokens::{tokenize, tokenize_into, Lower, Token, Tokens};
