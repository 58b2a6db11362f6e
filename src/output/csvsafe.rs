//! Spreadsheet-safe CSV: the writer behind every CSV claimtag emits.
//!
//! Spreadsheets run a cell that starts with `=`, `+`, `-` or `@` as a formula
//! (OWASP "CSV injection"); a tab, carriage return or NUL in front can hide
//! that start. Article text is untrusted input, so by default every *text*
//! cell that starts with one of those characters gets a `'` in front, which
//! spreadsheets read as "this is text" (numbers are never touched, and JSONL
//! never is). `--raw-csv` turns the guard off for exact values.
//!
//! `--excel` writes a UTF-8 byte order mark and CRLF line endings, so Excel
//! opens accents and curly quotes correctly; `--delimiter` picks `,`, `;` or
//! tab. A field holding the delimiter, a quote mark or a line break is quoted
//! (RFC 4180), so newlines inside a claim stay inside its cell, and cells are
//! never cut, however long.

use std::borrow::Cow;
use std::io::{self, Write};

use serde::{ser, Serialize};

/// The UTF-8 byte order mark `--excel` writes first.
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

/// How CSV is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CsvOptions {
    /// Prefix `'` to text cells a spreadsheet would take for a formula.
    pub guard: bool,
    /// A UTF-8 byte order mark and CRLF line endings.
    pub excel: bool,
    /// The field delimiter: `b','`, `b';'` or `b'\t'`.
    pub delimiter: u8,
}

impl Default for CsvOptions {
    fn default() -> Self {
        CsvOptions {
            guard: true,
            excel: false,
            delimiter: b',',
        }
    }
}

/// The characters that make a spreadsheet read a cell as a formula (or hide
/// such a start), as OWASP lists them.
pub const FORMULA_STARTS: [char; 7] = ['=', '+', '-', '@', '\t', '\r', '\0'];

/// Whether a spreadsheet could take `cell` for a formula.
pub fn needs_guard(cell: &str) -> bool {
    cell.starts_with(FORMULA_STARTS)
}

/// The cell as the guard writes it: `'` in front when [`needs_guard`].
pub fn guard(cell: &str) -> Cow<'_, str> {
    if needs_guard(cell) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// Undoes [`guard`]: drops a `'` that stands before a formula start. Exact
/// unless the original text itself began with `'` and such a character (use
/// `--raw-csv` or JSONL when that matters).
pub fn unguard(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if needs_guard(rest) => rest,
        _ => cell,
    }
}

/// Parses a `--delimiter` value: `,` (or `comma`), `;` (or `semicolon`),
/// `tab` (or a tab character or `\t`).
pub fn parse_delimiter(value: &str) -> Result<u8, String> {
    match value {
        "," | "comma" => Ok(b','),
        ";" | "semicolon" => Ok(b';'),
        "tab" | "\t" | "\\t" => Ok(b'\t'),
        _ => Err(format!(
            "expected `,`, `;` or `tab` as the delimiter, got `{value}`"
        )),
    }
}

/// Writes records as CSV rows: the header from the first record's field
/// names, text cells guarded when [`CsvOptions::guard`] is on. Everything
/// else (quoting, number formatting, the header) is rust-csv's own.
pub struct CsvWriter<W: Write> {
    inner: csv::Writer<Lead<W>>,
    guard: bool,
}

impl<W: Write> CsvWriter<W> {
    pub fn new(inner: W, options: CsvOptions) -> Self {
        let terminator = if options.excel {
            csv::Terminator::CRLF
        } else {
            csv::Terminator::Any(b'\n')
        };
        let lead = Lead {
            inner,
            lead: if options.excel { BOM } else { b"" },
        };
        let inner = csv::WriterBuilder::new()
            .delimiter(options.delimiter)
            .terminator(terminator)
            .from_writer(lead);
        CsvWriter {
            inner,
            guard: options.guard,
        }
    }

    /// Writes one record (a struct of scalars).
    pub fn write<T: Serialize>(&mut self, record: &T) -> io::Result<()> {
        if self.guard {
            self.inner.serialize(Guarded(record))
        } else {
            self.inner.serialize(record)
        }
        .map_err(csv_to_io)
    }

    pub fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }

    /// The writer underneath.
    pub fn get_ref(&self) -> &W {
        &self.inner.get_ref().inner
    }

    /// Flushes and gives back the writer underneath.
    pub fn into_inner(self) -> io::Result<W> {
        self.inner
            .into_inner()
            .map(|lead| lead.inner)
            .map_err(|e| io::Error::new(e.error().kind(), e.to_string()))
    }
}

/// Serializes a value with every string (and char) passed through [`guard`]:
/// a thin layer over the real serializer, so rows cost no extra allocation
/// unless a cell needs its `'`.
struct Guarded<'a, T: ?Sized>(&'a T);

impl<T: Serialize + ?Sized> Serialize for Guarded<'_, T> {
    fn serialize<S: ser::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(GuardSerializer(serializer))
    }
}

struct GuardSerializer<S>(S);

/// Forwards scalar methods unchanged.
macro_rules! forward {
    ($($method:ident($ty:ty)),* $(,)?) => {
        $(fn $method(self, v: $ty) -> Result<S::Ok, S::Error> {
            self.0.$method(v)
        })*
    };
}

impl<S: ser::Serializer> ser::Serializer for GuardSerializer<S> {
    type Ok = S::Ok;
    type Error = S::Error;
    type SerializeSeq = S::SerializeSeq;
    type SerializeTuple = S::SerializeTuple;
    type SerializeTupleStruct = S::SerializeTupleStruct;
    type SerializeTupleVariant = S::SerializeTupleVariant;
    type SerializeMap = S::SerializeMap;
    type SerializeStruct = GuardStruct<S::SerializeStruct>;
    type SerializeStructVariant = S::SerializeStructVariant;

    forward!(
        serialize_bool(bool),
        serialize_i8(i8),
        serialize_i16(i16),
        serialize_i32(i32),
        serialize_i64(i64),
        serialize_i128(i128),
        serialize_u8(u8),
        serialize_u16(u16),
        serialize_u32(u32),
        serialize_u64(u64),
        serialize_u128(u128),
        serialize_f32(f32),
        serialize_f64(f64),
        serialize_bytes(&[u8]),
        serialize_unit_struct(&'static str),
    );

    fn serialize_char(self, v: char) -> Result<S::Ok, S::Error> {
        if FORMULA_STARTS.contains(&v) {
            self.0.serialize_str(&format!("'{v}"))
        } else {
            self.0.serialize_char(v)
        }
    }

    fn serialize_str(self, v: &str) -> Result<S::Ok, S::Error> {
        self.0.serialize_str(&guard(v))
    }

    fn serialize_none(self) -> Result<S::Ok, S::Error> {
        self.0.serialize_none()
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<S::Ok, S::Error> {
        self.0.serialize_some(&Guarded(value))
    }

    fn serialize_unit(self) -> Result<S::Ok, S::Error> {
        self.0.serialize_unit()
    }

    fn serialize_unit_variant(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
    ) -> Result<S::Ok, S::Error> {
        self.0.serialize_unit_variant(name, index, variant)
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        value: &T,
    ) -> Result<S::Ok, S::Error> {
        self.0.serialize_newtype_struct(name, &Guarded(value))
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<S::Ok, S::Error> {
        self.0
            .serialize_newtype_variant(name, index, variant, &Guarded(value))
    }

    fn serialize_seq(self, len: Option<usize>) -> Result<S::SerializeSeq, S::Error> {
        self.0.serialize_seq(len)
    }

    fn serialize_tuple(self, len: usize) -> Result<S::SerializeTuple, S::Error> {
        self.0.serialize_tuple(len)
    }

    fn serialize_tuple_struct(
        self,
        name: &'static str,
        len: usize,
    ) -> Result<S::SerializeTupleStruct, S::Error> {
        self.0.serialize_tuple_struct(name, len)
    }

    fn serialize_tuple_variant(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<S::SerializeTupleVariant, S::Error> {
        self.0.serialize_tuple_variant(name, index, variant, len)
    }

    fn serialize_map(self, len: Option<usize>) -> Result<S::SerializeMap, S::Error> {
        self.0.serialize_map(len)
    }

    fn serialize_struct(
        self,
        name: &'static str,
        len: usize,
    ) -> Result<Self::SerializeStruct, S::Error> {
        Ok(GuardStruct(self.0.serialize_struct(name, len)?))
    }

    fn serialize_struct_variant(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<S::SerializeStructVariant, S::Error> {
        self.0.serialize_struct_variant(name, index, variant, len)
    }

    fn is_human_readable(&self) -> bool {
        self.0.is_human_readable()
    }
}

/// A record's fields, each guarded.
struct GuardStruct<S>(S);

impl<S: ser::SerializeStruct> ser::SerializeStruct for GuardStruct<S> {
    type Ok = S::Ok;
    type Error = S::Error;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), S::Error> {
        self.0.serialize_field(key, &Guarded(value))
    }

    fn skip_field(&mut self, key: &'static str) -> Result<(), S::Error> {
        self.0.skip_field(key)
    }

    fn end(self) -> Result<S::Ok, S::Error> {
        self.0.end()
    }
}

/// Keeps the I/O error's kind, so a closed pipe is seen as one.
fn csv_to_io(e: csv::Error) -> io::Error {
    match e.into_kind() {
        csv::ErrorKind::Io(io) => io,
        other => io::Error::other(format!("{other:?}")),
    }
}

/// A writer that puts `lead` (the byte order mark) before its first byte, so
/// an output with no rows stays empty.
struct Lead<W> {
    inner: W,
    lead: &'static [u8],
}

impl<W: Write> Write for Lead<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if !self.lead.is_empty() && !buf.is_empty() {
            self.inner.write_all(self.lead)?;
            self.lead = b"";
        }
        self.inner.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize)]
    struct Row<'a> {
        id: &'a str,
        n: i64,
        x: f64,
        text: &'a str,
    }

    fn write(options: CsvOptions, rows: &[Row]) -> Vec<u8> {
        let mut w = CsvWriter::new(Vec::new(), options);
        for r in rows {
            w.write(r).unwrap();
        }
        w.into_inner().unwrap()
    }

    #[test]
    fn guard_prefixes_formula_starts_only() {
        for cell in ["=1+1", "+1", "-2", "@SUM(A1)", "\tx", "\rx", "\0x"] {
            assert!(needs_guard(cell), "{cell:?}");
            assert_eq!(guard(cell), format!("'{cell}"));
            assert_eq!(unguard(&guard(cell)), cell);
        }
        for cell in ["", "a=b", " =1", "'x", "“quoted”", "1-2", "é"] {
            assert!(!needs_guard(cell), "{cell:?}");
            assert_eq!(guard(cell), cell);
            assert_eq!(unguard(cell), cell);
        }
        // The one ambiguity: a text that itself starts with `'=`.
        assert_eq!(guard("'=1"), "'=1");
        assert_eq!(unguard("'=1"), "=1");
    }

    #[test]
    fn text_cells_are_guarded_and_numbers_are_not() {
        let rows = [Row {
            id: "=HYPERLINK(\"http://x\")",
            n: -3,
            x: -0.5,
            text: "-- a list item",
        }];
        let out = String::from_utf8(write(CsvOptions::default(), &rows)).unwrap();
        assert_eq!(
            out,
            "id,n,x,text\n\"'=HYPERLINK(\"\"http://x\"\")\",-3,-0.5,'-- a list item\n"
        );
        let raw = CsvOptions {
            guard: false,
            ..CsvOptions::default()
        };
        let out = String::from_utf8(write(raw, &rows)).unwrap();
        assert_eq!(
            out,
            "id,n,x,text\n\"=HYPERLINK(\"\"http://x\"\")\",-3,-0.5,-- a list item\n"
        );
    }

    #[test]
    fn excel_writes_a_bom_and_crlf_and_keeps_newlines_in_cells() {
        let options = CsvOptions {
            excel: true,
            delimiter: b';',
            ..CsvOptions::default()
        };
        let rows = [Row {
            id: "a;b",
            n: 1,
            x: 1.0,
            text: "line one\nline two, “curly” é",
        }];
        let out = write(options, &rows);
        assert!(out.starts_with(BOM));
        let text = String::from_utf8(out[BOM.len()..].to_vec()).unwrap();
        assert_eq!(
            text,
            "id;n;x;text\r\n\"a;b\";1;1.0;\"line one\nline two, “curly” é\"\r\n"
        );
    }

    #[test]
    fn no_rows_means_an_empty_file_even_with_a_bom() {
        let options = CsvOptions {
            excel: true,
            ..CsvOptions::default()
        };
        assert!(write(options, &[]).is_empty());
    }

    #[test]
    fn tab_delimiter_and_long_cells_round_trip() {
        let long = "word ".repeat(50_000);
        let options = CsvOptions {
            delimiter: b'\t',
            ..CsvOptions::default()
        };
        let rows = [Row {
            id: "a\tb",
            n: 7,
            x: 0.25,
            text: &long,
        }];
        let out = write(options, &rows);
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(b'\t')
            .from_reader(&out[..]);
        let record = reader.records().next().unwrap().unwrap();
        assert_eq!(&record[0], "a\tb");
        assert_eq!(&record[3], long.as_str());
    }

    #[test]
    fn delimiters_parse() {
        assert_eq!(parse_delimiter(","), Ok(b','));
        assert_eq!(parse_delimiter(";"), Ok(b';'));
        assert_eq!(parse_delimiter("tab"), Ok(b'\t'));
        assert_eq!(parse_delimiter("\t"), Ok(b'\t'));
        assert!(parse_delimiter("|").is_err());
    }

    #[test]
    fn nested_values_are_refused() {
        #[derive(Serialize)]
        struct Nested {
            list: Vec<u8>,
        }
        let mut w = CsvWriter::new(Vec::new(), CsvOptions::default());
        assert!(w.write(&Nested { list: vec![1] }).is_err());
    }
}
