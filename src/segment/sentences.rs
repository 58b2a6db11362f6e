//! Sentence boundaries inside one paragraph.
//!
//! A boundary is a run of `.`, `!`, `?` or `…`, with any closing quotation
//! marks and brackets after it, followed by white space. It is not a boundary
//! after an abbreviation or an initial (`Dr.`, `J.R.`), after a period-final
//! abbreviation (`Inc.`, `p.m.`) unless a usual sentence starter follows, before
//! a lowercase word, or after a quoted `?`/`!` that its attribution follows
//! (`"Why now?" she asked.`). Linear in the paragraph's length.

use crate::lexicon::{AbbrevClass, Lexicons};
use crate::model::Span;

const CLOSERS: &[char] = &['"', '”', '’', '\'', ')', ']', '»', '*', '_'];
const OPENERS: &[char] = &['"', '“', '‘', '\'', '(', '[', '«', '*', '_', '—', '–', '-'];

/// Splits the paragraph `span` of `text` into sentence spans.
pub fn split_sentences(text: &str, span: Span, lex: &Lexicons) -> Vec<Span> {
    let para = span.of(text);
    // The character at byte `b` of the paragraph (`b` on a boundary).
    let at = |b: usize| para.get(b..).and_then(|rest| rest.chars().next());
    let is_end = |c: &char| matches!(c, '.' | '!' | '?' | '…');
    let mut out = Vec::new();
    let mut start = 0; // byte offset in para of the current sentence
    let mut i = 0; // byte offset in para
    while let Some(found) = para[i..].find(['.', '!', '?', '…']) {
        // The run of terminators.
        let run_start = i + found;
        i = run_start;
        while let Some(c) = at(i).filter(is_end) {
            i += c.len_utf8();
        }
        let run = &para[run_start..i];
        let mut closed_quote = false;
        while let Some(c) = at(i).filter(|c| CLOSERS.contains(c)) {
            closed_quote |= matches!(c, '"' | '”' | '’' | '\'');
            i += c.len_utf8();
        }
        let end = i;
        let Some(after) = at(i) else {
            break; // the paragraph's end closes the sentence anyway
        };
        if !after.is_whitespace() {
            continue;
        }
        // The next word, past white space and opening marks.
        let mut j = i;
        while let Some(c) = at(j).filter(|c| c.is_whitespace()) {
            j += c.len_utf8();
        }
        if j >= para.len() {
            break;
        }
        let next_start = j;
        let mut k = j;
        while let Some(c) = at(k).filter(|c| OPENERS.contains(c)) {
            k += c.len_utf8();
        }
        let next_word: &str = {
            let rest = &para[k..];
            let len = rest
                .find(|c: char| !c.is_alphanumeric() && c != '\'' && c != '’')
                .unwrap_or(rest.len());
            &rest[..len]
        };
        let next_char = at(k);
        let next_lower = next_char.is_some_and(char::is_lowercase);
        let starter = lex.sentence_starters.contains(next_word);

        let boundary = if run == "." {
            let before = word_before(para, run_start);
            let time = lex.time_words.contains(next_word);
            period_boundary(before, next_lower, starter, next_char, time, lex)
        } else if run.chars().all(|c| c == '.' || c == '…') {
            // An ellipsis ends a sentence only before a capital.
            next_char.is_some_and(char::is_uppercase)
        } else if next_lower {
            false
        } else if closed_quote && run.contains(['?', '!']) {
            !attribution_follows(&para[next_start..], lex)
        } else {
            true
        };
        if boundary {
            out.push(Span::new(span.start + start, span.start + end));
            start = next_start;
        }
    }
    if start < para.len() {
        let rest = crate::segment::trim(text, Span::new(span.start + start, span.end));
        if !rest.is_empty() {
            out.push(rest);
        }
    }
    out
}

/// The word before a period: back to white space or an opening mark.
fn word_before(para: &str, period_at: usize) -> &str {
    let head = &para[..period_at];
    let from = head
        .char_indices()
        .rev()
        .find(|(_, c)| c.is_whitespace() || OPENERS.contains(c) && *c != '-')
        .map_or(0, |(i, c)| i + c.len_utf8());
    &head[from..]
}

fn period_boundary(
    before: &str,
    next_lower: bool,
    starter: bool,
    next_char: Option<char>,
    next_word_is_time: bool,
    lex: &Lexicons,
) -> bool {
    if before.is_empty() {
        return !next_lower;
    }
    let letters: Vec<char> = before.chars().collect();
    // A lone capital is an initial (J. Martin), unless a sentence starter follows.
    if letters.len() == 1 && letters[0].is_uppercase() {
        return starter;
    }
    // `at 7:30 a.m. Firefighters ...`: a clock time ends a sentence before a
    // capital, unless a day, month or time zone follows (`5 p.m. Monday`).
    if before.eq_ignore_ascii_case("a.m") || before.eq_ignore_ascii_case("p.m") {
        return next_char.is_some_and(char::is_uppercase) && !next_word_is_time;
    }
    match lex.abbreviation(before) {
        Some(AbbrevClass::Title) => {
            // A title before a number or name never ends a sentence.
            return false;
        }
        Some(AbbrevClass::Final) => return starter,
        None => {}
    }
    // Dotted initials or acronyms (J.R, U.S.A, a.m).
    if before.contains('.')
        && before.split('.').all(|part| {
            !part.is_empty() && part.chars().count() <= 2 && part.chars().all(char::is_alphabetic)
        })
    {
        return starter;
    }
    !next_lower && next_char.is_some()
}

/// Whether the text after a quoted `?` or `!` is its attribution: a short run
/// up to the next sentence end that holds a cue (`she asked.`, `said Ruiz.`).
fn attribution_follows(rest: &str, lex: &Lexicons) -> bool {
    let clause_end = rest
        .find(['.', '!', '?', '"', '“', '”'])
        .unwrap_or(rest.len());
    let clause = &rest[..clause_end];
    let words: Vec<&str> = clause
        .split(|c: char| !c.is_alphanumeric() && c != '\'' && c != '’')
        .filter(|w| !w.is_empty())
        .collect();
    words.len() <= 8 && words.iter().any(|w| lex.cue_verbs.contains(w))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(text: &str) -> Vec<&str> {
        let lex = Lexicons::builtin();
        split_sentences(text, Span::new(0, text.len()), &lex)
            .iter()
            .map(|s| s.of(text))
            .collect()
    }

    #[test]
    fn abbreviations_initials_and_numbers() {
        assert_eq!(
            split("Sen. J.R. Martin of the U.S. Senate met Dr. Ruiz at 5 p.m. Monday. It cost $4.5 million, up 3.2%. Next."),
            [
                "Sen. J.R. Martin of the U.S. Senate met Dr. Ruiz at 5 p.m. Monday.",
                "It cost $4.5 million, up 3.2%.",
                "Next."
            ]
        );
        assert_eq!(
            split(
                "The meeting ended at 5 p.m. The mayor left. He moved to the U.S. In May he spoke."
            ),
            [
                "The meeting ended at 5 p.m.",
                "The mayor left.",
                "He moved to the U.S.",
                "In May he spoke."
            ]
        );
        assert_eq!(
            split("Acme Inc. said profits rose. Lt. Col. Ann Lee, Ph.D., agreed. No. 5 won."),
            [
                "Acme Inc. said profits rose.",
                "Lt. Col. Ann Lee, Ph.D., agreed.",
                "No. 5 won."
            ]
        );
    }

    #[test]
    fn quotes_questions_and_ellipses() {
        assert_eq!(
            split("\"Why now?\" she asked. \"It is safe.\" He left! “Go,” said Ruiz… Then quiet... and more."),
            ["\"Why now?\" she asked.", "\"It is safe.\"", "He left!", "“Go,” said Ruiz…", "Then quiet... and more."]
        );
        assert_eq!(
            split("“Who will pay?” Mayor Ana Ruiz asked on Monday. Nobody answered."),
            [
                "“Who will pay?” Mayor Ana Ruiz asked on Monday.",
                "Nobody answered."
            ]
        );
        assert_eq!(split("Really? Yes."), ["Really?", "Yes."]);
        assert_eq!(
            split("'We are praying.' (He left.) Done."),
            ["'We are praying.'", "(He left.)", "Done."]
        );
    }

    #[test]
    fn multibyte_text() {
        assert_eq!(
            split("Zoë Núñez said “ça va.” The café — closed — reopened 🎉. Fin."),
            [
                "Zoë Núñez said “ça va.”",
                "The café — closed — reopened 🎉.",
                "Fin."
            ]
        );
    }
}
