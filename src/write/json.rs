//! A JSON serializer that writes what `serde_json::Serializer` writes, byte
//! for byte, with a string escaper that reads eight bytes at a time.
//!
//! serde_json looks up every byte of every string in its escape table, one
//! at a time. A plan's JSON is nearly all Japanese text (three bytes a
//! character) and needs an escape once in a few hundred bytes, so that
//! loop was half of the write stage (README, "Speed and scale"). Here a
//! string is searched a machine word at a time for the three things JSON
//! escapes (a control character, `"`, `\`), and the runs between are
//! written whole.
//!
//! Everything else — the punctuation, the indentation, numbers — is left to
//! serde_json's own [`Formatter`]s (`CompactFormatter`, the pretty one in
//! `pretty.rs`), called exactly as serde_json's serializer calls them, so
//! that the two write the same bytes; the tests hold this on any JSON
//! value and on every fixture's document.

use serde::ser::{self, Impossible, Serialize};
use serde_json::ser::{CharEscape, Formatter};
use serde_json::Error;
use std::num::FpCategory;

type Result<T> = std::result::Result<T, Error>;

/// Serializes `value` as JSON onto the end of `out`, formatted by
/// `formatter`: the bytes `serde_json::Serializer::with_formatter` writes.
///
/// Fails only where serde_json fails: a map key that is no string, number
/// or bool, or a `Serialize` implementation's own error.
pub fn to_vec_with<T, F>(out: &mut Vec<u8>, formatter: F, value: &T) -> Result<()>
where
    T: ?Sized + Serialize,
    F: Formatter,
{
    value.serialize(&mut JsonSerializer { out, formatter })
}

/// Writes JSON onto a byte buffer; see the module's comment.
struct JsonSerializer<'out, F> {
    out: &'out mut Vec<u8>,
    formatter: F,
}

/// Word-sized pieces of the escape search: a byte repeated eight times.
const ONES: u64 = u64::from_le_bytes([0x01; 8]);
const HIGH_BITS: u64 = u64::from_le_bytes([0x80; 8]);
const SPACES: u64 = u64::from_le_bytes([b' '; 8]);
const QUOTES: u64 = u64::from_le_bytes([b'"'; 8]);
const BACKSLASHES: u64 = u64::from_le_bytes([b'\\'; 8]);

/// A byte JSON writes as it is, to fill the last, short word of a string.
const PLAIN: u8 = b'a';

/// Of eight bytes read as a little-endian word, the high bit of each
/// byte below `0x20`, `"` or `\`, where the lowest bit set marks the
/// first such byte.
///
/// The bit tricks of "Bit Twiddling Hacks" (Anderson): `(x - n·ones) & !x &
/// high bits` flags the bytes of `x` below `n` (for `n` ≤ 128), and a byte
/// equal to `c` is a zero byte of `x ^ c·ones`, below 1. A flagged byte
/// can borrow from the byte above it and so flag that one too, but a borrow
/// only runs upwards: the lowest flag is always a true one, and no flag is
/// set when no byte is one.
fn escape_flags(word: u64) -> u64 {
    let below_space = word.wrapping_sub(SPACES) & !word;
    let quote = word ^ QUOTES;
    let quote = quote.wrapping_sub(ONES) & !quote;
    let backslash = word ^ BACKSLASHES;
    let backslash = backslash.wrapping_sub(ONES) & !backslash;
    (below_space | quote | backslash) & HIGH_BITS
}

/// The place, within eight bytes, of the first that JSON escapes.
fn first_escape_in(bytes: [u8; 8]) -> Option<usize> {
    let flags = escape_flags(u64::from_le_bytes(bytes));
    (flags != 0).then(|| flags.trailing_zeros() as usize / 8)
}

/// The escape JSON writes for a byte, or `None` for a byte written as it is.
fn escape_of(byte: u8) -> Option<CharEscape> {
    Some(match byte {
        b'"' => CharEscape::Quote,
        b'\\' => CharEscape::ReverseSolidus,
        b'\x08' => CharEscape::Backspace,
        b'\t' => CharEscape::Tab,
        b'\n' => CharEscape::LineFeed,
        b'\x0c' => CharEscape::FormFeed,
        b'\r' => CharEscape::CarriageReturn,
        0x00..=0x1f => CharEscape::AsciiControl(byte),
        _ => return None,
    })
}

/// The index of the first byte at or after `from` that JSON escapes,
/// read eight bytes at a time.
///
/// The last few bytes are read as the string's last eight, those before
/// `from` or already read taken for a byte that needs no escape (a byte
/// copied to a buffer of eight first would be stored and loaded again in
/// pieces, which stalls the processor more than the rest of the search).
/// A string shorter than a word is read a byte at a time.
fn next_escape(bytes: &[u8], from: usize) -> Option<usize> {
    let mut words = bytes[from..].chunks_exact(8);
    let mut start = from;
    for chunk in &mut words {
        let word: [u8; 8] = chunk.try_into().expect("a chunk of eight");
        if let Some(place) = first_escape_in(word) {
            return Some(start + place);
        }
        start += 8;
    }
    let rest = words.remainder().len();
    if rest == 0 {
        return None;
    }
    let Some(last_start) = bytes.len().checked_sub(8) else {
        return bytes[start..]
            .iter()
            .position(|&byte| escape_of(byte).is_some())
            .map(|place| start + place);
    };
    let mut last: [u8; 8] = bytes[last_start..].try_into().expect("the last eight");
    last[..8 - rest].fill(PLAIN);
    first_escape_in(last).map(|place| last_start + place)
}

impl<F: Formatter> JsonSerializer<'_, F> {
    /// A JSON string: the runs that need no escape written whole, each
    /// escape through the formatter, as serde_json's `format_escaped_str`.
    fn string(&mut self, text: &str) -> Result<()> {
        let out = &mut *self.out;
        let formatter = &mut self.formatter;
        formatter.begin_string(out).map_err(Error::io)?;
        let bytes = text.as_bytes();
        let mut run_start = 0;
        while let Some(at) = next_escape(bytes, run_start) {
            if run_start < at {
                // An escaped byte is ASCII, so `at` is a character boundary.
                formatter
                    .write_string_fragment(out, &text[run_start..at])
                    .map_err(Error::io)?;
            }
            let escape = escape_of(bytes[at]).expect("next_escape stops at an escape");
            formatter
                .write_char_escape(out, escape)
                .map_err(Error::io)?;
            run_start = at + 1;
        }
        if run_start < bytes.len() {
            formatter
                .write_string_fragment(out, &text[run_start..])
                .map_err(Error::io)?;
        }
        formatter.end_string(out).map_err(Error::io)
    }

    fn null(&mut self) -> Result<()> {
        self.formatter.write_null(self.out).map_err(Error::io)
    }

    /// `{"variant":` of an enum variant that holds something.
    fn open_variant(&mut self, variant: &str) -> Result<()> {
        self.formatter.begin_object(self.out).map_err(Error::io)?;
        self.formatter
            .begin_object_key(self.out, true)
            .map_err(Error::io)?;
        self.string(variant)?;
        self.formatter.end_object_key(self.out).map_err(Error::io)?;
        self.formatter
            .begin_object_value(self.out)
            .map_err(Error::io)
    }

    /// The `}` that closes [`JsonSerializer::open_variant`].
    fn close_variant(&mut self) -> Result<()> {
        self.formatter
            .end_object_value(self.out)
            .map_err(Error::io)?;
        self.formatter.end_object(self.out).map_err(Error::io)
    }
}

/// Numbers, written by the formatter as serde_json writes them.
macro_rules! numbers {
    ($($method:ident: $type:ty => $write:ident),* $(,)?) => {$(
        fn $method(self, value: $type) -> Result<()> {
            self.formatter.$write(self.out, value).map_err(Error::io)
        }
    )*};
}

/// Floats: `null` where JSON has no number, as serde_json writes them.
macro_rules! floats {
    ($($method:ident: $type:ty => $write:ident),* $(,)?) => {$(
        fn $method(self, value: $type) -> Result<()> {
            match value.classify() {
                FpCategory::Nan | FpCategory::Infinite => self.null(),
                _ => self.formatter.$write(self.out, value).map_err(Error::io),
            }
        }
    )*};
}

impl<'a, 'out, F: Formatter> ser::Serializer for &'a mut JsonSerializer<'out, F> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Compound<'a, 'out, F>;
    type SerializeTuple = Compound<'a, 'out, F>;
    type SerializeTupleStruct = Compound<'a, 'out, F>;
    type SerializeTupleVariant = Compound<'a, 'out, F>;
    type SerializeMap = Compound<'a, 'out, F>;
    type SerializeStruct = Compound<'a, 'out, F>;
    type SerializeStructVariant = Compound<'a, 'out, F>;

    numbers! {
        serialize_bool: bool => write_bool,
        serialize_i8: i8 => write_i8,
        serialize_i16: i16 => write_i16,
        serialize_i32: i32 => write_i32,
        serialize_i64: i64 => write_i64,
        serialize_i128: i128 => write_i128,
        serialize_u8: u8 => write_u8,
        serialize_u16: u16 => write_u16,
        serialize_u32: u32 => write_u32,
        serialize_u64: u64 => write_u64,
        serialize_u128: u128 => write_u128,
    }

    floats! {
        serialize_f32: f32 => write_f32,
        serialize_f64: f64 => write_f64,
    }

    fn serialize_char(self, value: char) -> Result<()> {
        self.string(value.encode_utf8(&mut [0; 4]))
    }

    fn serialize_str(self, value: &str) -> Result<()> {
        self.string(value)
    }

    fn serialize_bytes(self, value: &[u8]) -> Result<()> {
        self.formatter
            .write_byte_array(self.out, value)
            .map_err(Error::io)
    }

    fn serialize_none(self) -> Result<()> {
        self.null()
    }

    fn serialize_some<T: ?Sized + Serialize>(self, value: &T) -> Result<()> {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<()> {
        self.null()
    }

    fn serialize_unit_struct(self, _name: &'static str) -> Result<()> {
        self.null()
    }

    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> Result<()> {
        self.string(variant)
    }

    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<()> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<()> {
        self.open_variant(variant)?;
        value.serialize(&mut *self)?;
        self.close_variant()
    }

    fn serialize_seq(self, len: Option<usize>) -> Result<Compound<'a, 'out, F>> {
        self.formatter.begin_array(self.out).map_err(Error::io)?;
        // An empty sequence is closed at once, as serde_json does.
        let state = if len == Some(0) {
            self.formatter.end_array(self.out).map_err(Error::io)?;
            State::Empty
        } else {
            State::First
        };
        Ok(Compound { ser: self, state })
    }

    fn serialize_tuple(self, len: usize) -> Result<Compound<'a, 'out, F>> {
        self.serialize_seq(Some(len))
    }

    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        len: usize,
    ) -> Result<Compound<'a, 'out, F>> {
        self.serialize_seq(Some(len))
    }

    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Compound<'a, 'out, F>> {
        self.open_variant(variant)?;
        self.serialize_seq(Some(len))
    }

    fn serialize_map(self, len: Option<usize>) -> Result<Compound<'a, 'out, F>> {
        self.formatter.begin_object(self.out).map_err(Error::io)?;
        let state = if len == Some(0) {
            self.formatter.end_object(self.out).map_err(Error::io)?;
            State::Empty
        } else {
            State::First
        };
        Ok(Compound { ser: self, state })
    }

    fn serialize_struct(self, _name: &'static str, len: usize) -> Result<Compound<'a, 'out, F>> {
        self.serialize_map(Some(len))
    }

    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Compound<'a, 'out, F>> {
        self.open_variant(variant)?;
        self.serialize_map(Some(len))
    }
}

/// Where an array or object being written stands, as serde_json keeps it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    /// Closed already: it had no members.
    Empty,
    /// Nothing written in it yet.
    First,
    /// A member written.
    Rest,
}

/// An array or object being written.
struct Compound<'a, 'out, F> {
    ser: &'a mut JsonSerializer<'out, F>,
    state: State,
}

impl<F: Formatter> Compound<'_, '_, F> {
    fn element<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<()> {
        let ser = &mut *self.ser;
        ser.formatter
            .begin_array_value(ser.out, self.state == State::First)
            .map_err(Error::io)?;
        self.state = State::Rest;
        value.serialize(&mut *ser)?;
        ser.formatter.end_array_value(ser.out).map_err(Error::io)
    }

    fn key<T: ?Sized + Serialize>(&mut self, key: &T) -> Result<()> {
        let ser = &mut *self.ser;
        ser.formatter
            .begin_object_key(ser.out, self.state == State::First)
            .map_err(Error::io)?;
        self.state = State::Rest;
        key.serialize(MapKey { ser: &mut *ser })?;
        ser.formatter.end_object_key(ser.out).map_err(Error::io)
    }

    fn value<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<()> {
        let ser = &mut *self.ser;
        ser.formatter
            .begin_object_value(ser.out)
            .map_err(Error::io)?;
        value.serialize(&mut *ser)?;
        ser.formatter.end_object_value(ser.out).map_err(Error::io)
    }

    fn end_array(self) -> Result<()> {
        match self.state {
            State::Empty => Ok(()),
            _ => self
                .ser
                .formatter
                .end_array(self.ser.out)
                .map_err(Error::io),
        }
    }

    fn end_object(self) -> Result<()> {
        match self.state {
            State::Empty => Ok(()),
            _ => self
                .ser
                .formatter
                .end_object(self.ser.out)
                .map_err(Error::io),
        }
    }
}

/// The array-like compounds: each member an element, `]` at the end.
macro_rules! arrays {
    ($($trait:ident: $method:ident),* $(,)?) => {$(
        impl<F: Formatter> ser::$trait for Compound<'_, '_, F> {
            type Ok = ();
            type Error = Error;
            fn $method<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<()> {
                self.element(value)
            }
            fn end(self) -> Result<()> {
                self.end_array()
            }
        }
    )*};
}

arrays! {
    SerializeSeq: serialize_element,
    SerializeTuple: serialize_element,
    SerializeTupleStruct: serialize_field,
}

impl<F: Formatter> ser::SerializeTupleVariant for Compound<'_, '_, F> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<()> {
        self.element(value)
    }
    fn end(self) -> Result<()> {
        let ser = &mut *self.ser;
        if self.state != State::Empty {
            ser.formatter.end_array(ser.out).map_err(Error::io)?;
        }
        ser.close_variant()
    }
}

impl<F: Formatter> ser::SerializeMap for Compound<'_, '_, F> {
    type Ok = ();
    type Error = Error;
    fn serialize_key<T: ?Sized + Serialize>(&mut self, key: &T) -> Result<()> {
        self.key(key)
    }
    fn serialize_value<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<()> {
        self.value(value)
    }
    fn end(self) -> Result<()> {
        self.end_object()
    }
}

impl<F: Formatter> ser::SerializeStruct for Compound<'_, '_, F> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: ?Sized + Serialize>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<()> {
        self.key(key)?;
        self.value(value)
    }
    fn end(self) -> Result<()> {
        self.end_object()
    }
}

impl<F: Formatter> ser::SerializeStructVariant for Compound<'_, '_, F> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: ?Sized + Serialize>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<()> {
        self.key(key)?;
        self.value(value)
    }
    fn end(self) -> Result<()> {
        let ser = &mut *self.ser;
        if self.state != State::Empty {
            ser.formatter.end_object(ser.out).map_err(Error::io)?;
        }
        ser.close_variant()
    }
}

/// Writes a map's key: JSON keys are strings, so a number or bool key is
/// written in quotes and anything else is an error, as serde_json does.
struct MapKey<'a, 'out, F> {
    ser: &'a mut JsonSerializer<'out, F>,
}

fn key_must_be_a_string() -> Error {
    ser::Error::custom("key must be a string")
}

/// Number and bool keys, written in quotes.
macro_rules! quoted_keys {
    ($($method:ident: $type:ty => $write:ident),* $(,)?) => {$(
        fn $method(self, value: $type) -> Result<()> {
            let ser = self.ser;
            ser.formatter.begin_string(ser.out).map_err(Error::io)?;
            ser.formatter.$write(ser.out, value).map_err(Error::io)?;
            ser.formatter.end_string(ser.out).map_err(Error::io)
        }
    )*};
}

/// Float keys: quoted when finite, an error otherwise, as serde_json.
macro_rules! float_keys {
    ($($method:ident: $type:ty => $write:ident),* $(,)?) => {$(
        fn $method(self, value: $type) -> Result<()> {
            if !value.is_finite() {
                return Err(ser::Error::custom("float key must be finite (got NaN or +/-inf)"));
            }
            let ser = self.ser;
            ser.formatter.begin_string(ser.out).map_err(Error::io)?;
            ser.formatter.$write(ser.out, value).map_err(Error::io)?;
            ser.formatter.end_string(ser.out).map_err(Error::io)
        }
    )*};
}

impl<F: Formatter> ser::Serializer for MapKey<'_, '_, F> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Impossible<(), Error>;
    type SerializeTuple = Impossible<(), Error>;
    type SerializeTupleStruct = Impossible<(), Error>;
    type SerializeTupleVariant = Impossible<(), Error>;
    type SerializeMap = Impossible<(), Error>;
    type SerializeStruct = Impossible<(), Error>;
    type SerializeStructVariant = Impossible<(), Error>;

    quoted_keys! {
        serialize_bool: bool => write_bool,
        serialize_i8: i8 => write_i8,
        serialize_i16: i16 => write_i16,
        serialize_i32: i32 => write_i32,
        serialize_i64: i64 => write_i64,
        serialize_i128: i128 => write_i128,
        serialize_u8: u8 => write_u8,
        serialize_u16: u16 => write_u16,
        serialize_u32: u32 => write_u32,
        serialize_u64: u64 => write_u64,
        serialize_u128: u128 => write_u128,
    }

    float_keys! {
        serialize_f32: f32 => write_f32,
        serialize_f64: f64 => write_f64,
    }

    fn serialize_char(self, value: char) -> Result<()> {
        self.ser.string(value.encode_utf8(&mut [0; 4]))
    }

    fn serialize_str(self, value: &str) -> Result<()> {
        self.ser.string(value)
    }

    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> Result<()> {
        self.ser.string(variant)
    }

    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<()> {
        value.serialize(self)
    }

    fn serialize_bytes(self, _: &[u8]) -> Result<()> {
        Err(key_must_be_a_string())
    }

    fn serialize_none(self) -> Result<()> {
        Err(key_must_be_a_string())
    }

    fn serialize_some<T: ?Sized + Serialize>(self, _: &T) -> Result<()> {
        Err(key_must_be_a_string())
    }

    fn serialize_unit(self) -> Result<()> {
        Err(key_must_be_a_string())
    }

    fn serialize_unit_struct(self, _: &'static str) -> Result<()> {
        Err(key_must_be_a_string())
    }

    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<()> {
        Err(key_must_be_a_string())
    }

    fn serialize_seq(self, _: Option<usize>) -> Result<Impossible<(), Error>> {
        Err(key_must_be_a_string())
    }

    fn serialize_tuple(self, _: usize) -> Result<Impossible<(), Error>> {
        Err(key_must_be_a_string())
    }

    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Impossible<(), Error>> {
        Err(key_must_be_a_string())
    }

    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Impossible<(), Error>> {
        Err(key_must_be_a_string())
    }

    fn serialize_map(self, _: Option<usize>) -> Result<Impossible<(), Error>> {
        Err(key_must_be_a_string())
    }

    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Impossible<(), Error>> {
        Err(key_must_be_a_string())
    }

    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Impossible<(), Error>> {
        Err(key_must_be_a_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::write::pretty::Pretty;
    use proptest::prelude::*;
    use serde_json::ser::CompactFormatter;
    use serde_json::{json, Value};
    use std::collections::BTreeMap;

    fn compact<T: Serialize + ?Sized>(value: &T) -> Vec<u8> {
        let mut out = Vec::new();
        to_vec_with(&mut out, CompactFormatter, value).unwrap();
        out
    }

    fn pretty<T: Serialize + ?Sized>(value: &T) -> Vec<u8> {
        let mut out = Vec::new();
        to_vec_with(&mut out, Pretty::default(), value).unwrap();
        out
    }

    /// The bytes of a string serde_json writes, compact and pretty.
    fn assert_as_serde_json<T: Serialize + ?Sized>(value: &T) {
        assert_eq!(compact(value), serde_json::to_vec(value).unwrap());
        assert_eq!(pretty(value), serde_json::to_vec_pretty(value).unwrap());
    }

    #[test]
    fn escapes_every_ascii_byte_at_every_place_of_a_word() {
        for byte in 0u8..0x80 {
            for before in 0..17 {
                for after in [0, 1, 7, 8, 9] {
                    let text = format!(
                        "{}{}{}",
                        "あ".repeat(before / 3) + &"a".repeat(before % 3),
                        byte as char,
                        "z".repeat(after)
                    );
                    assert_as_serde_json(&text);
                }
            }
        }
    }

    /// Where the first escape of eight bytes is, read a byte at a time.
    fn first_escape_bytewise(bytes: [u8; 8]) -> Option<usize> {
        bytes.iter().position(|&byte| escape_of(byte).is_some())
    }

    #[test]
    fn the_word_test_finds_every_byte_in_every_place() {
        for byte in 0u8..=0xff {
            for place in 0..8 {
                for fill in [PLAIN, 0x00, b'"', 0xe3, 0x7f] {
                    let mut bytes = [fill; 8];
                    bytes[place] = byte;
                    assert_eq!(
                        first_escape_in(bytes),
                        first_escape_bytewise(bytes),
                        "byte {byte:#04x} at {place} among {fill:#04x}"
                    );
                }
            }
        }
    }

    #[test]
    fn the_filler_needs_no_escape() {
        assert!(escape_of(PLAIN).is_none());
    }

    #[test]
    fn writes_enums_keys_and_numbers_as_serde_json() {
        #[derive(serde::Serialize)]
        enum Variant {
            Unit,
            Newtype(u8),
            Tuple(u8, String),
            EmptyTuple(),
            Struct { a: f64, b: Option<i8> },
            EmptyStruct {},
        }
        #[derive(serde::Serialize)]
        struct Everything {
            variants: Vec<Variant>,
            numbers: (i128, u128, f32, f64, f64, f64),
            bytes: serde_bytes_like::Bytes,
            char: char,
            unit: (),
            int_keys: BTreeMap<i32, bool>,
            bool_keys: BTreeMap<bool, ()>,
            float_keys: BTreeMap<String, f64>,
        }
        mod serde_bytes_like {
            pub struct Bytes(pub Vec<u8>);
            impl serde::Serialize for Bytes {
                fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                    s.serialize_bytes(&self.0)
                }
            }
        }
        let value = Everything {
            variants: vec![
                Variant::Unit,
                Variant::Newtype(7),
                Variant::Tuple(1, "\"".into()),
                Variant::EmptyTuple(),
                Variant::Struct { a: 0.5, b: None },
                Variant::EmptyStruct {},
            ],
            numbers: (-1, u128::MAX, 1.5, f64::NAN, f64::INFINITY, 1e300),
            bytes: serde_bytes_like::Bytes(vec![0, 255]),
            char: '\u{1}',
            unit: (),
            int_keys: [(-3, true), (4, false)].into(),
            bool_keys: [(true, ())].into(),
            float_keys: [("x".into(), 2.0)].into(),
        };
        assert_as_serde_json(&value);
    }

    #[test]
    fn refuses_the_keys_serde_json_refuses() {
        let mut out = Vec::new();
        let by_tuple: BTreeMap<(u8, u8), u8> = [((1, 2), 3)].into();
        assert!(to_vec_with(&mut out, CompactFormatter, &by_tuple).is_err());
        assert!(serde_json::to_vec(&by_tuple).is_err());
    }

    #[test]
    fn writes_nested_values_as_serde_json() {
        assert_as_serde_json(&json!({
            "a": [], "b": {}, "c": [1, [2, []], {"d": null}], "f": -0.0,
            "e": {"f": {"g": {"h": "地域 \"福祉\"\n\u{7f}\u{1f}\\/"}}}, "i": [{}], "j": true
        }));
    }

    /// Any JSON value, nested a few levels, its strings mostly Japanese
    /// with the characters JSON escapes among them.
    fn any_value() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(|n| json!(n)),
            any::<u64>().prop_map(|n| json!(n)),
            any::<f64>().prop_map(|n| json!(n)),
            "[a-zあ-ん一-龥 \"\\\\\n\t\u{0}-\u{1f}\u{7f}\u{80}-\u{ff}]{0,40}"
                .prop_map(Value::String),
        ];
        leaf.prop_recursive(6, 64, 5, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
                prop::collection::btree_map("[a-z\"\\\\\u{1}あ]{0,9}", inner, 0..5)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest! {
        #[test]
        fn writes_any_value_as_serde_json(value in any_value()) {
            prop_assert_eq!(compact(&value), serde_json::to_vec(&value).unwrap());
            prop_assert_eq!(pretty(&value), serde_json::to_vec_pretty(&value).unwrap());
        }

        #[test]
        fn the_word_test_finds_the_first_escape_of_any_word(bytes in any::<[u8; 8]>()) {
            prop_assert_eq!(first_escape_in(bytes), first_escape_bytewise(bytes));
        }

        #[test]
        fn the_word_test_finds_the_first_escape_among_escapes(
            bytes in prop::array::uniform8(prop_oneof![Just(b'"'), Just(b'\\'), 0u8..0x24, 0x5au8..0x5e])
        ) {
            prop_assert_eq!(first_escape_in(bytes), first_escape_bytewise(bytes));
        }

        #[test]
        fn finds_the_next_escape_from_anywhere(
            bytes in prop::collection::vec(prop_oneof![
                4 => Just(PLAIN), 1 => Just(b'"'), 1 => Just(b'\\'), 1 => Just(b'#'),
                1 => 0u8..0x24, 2 => 0x80u8..=0xff
            ], 0..40),
            from_fraction in 0.0f64..=1.0
        ) {
            let from = (bytes.len() as f64 * from_fraction) as usize;
            let bytewise = bytes[from..]
                .iter()
                .position(|&byte| escape_of(byte).is_some())
                .map(|place| from + place);
            prop_assert_eq!(next_escape(&bytes, from), bytewise);
        }

        #[test]
        fn writes_any_string_as_serde_json(text in any::<String>()) {
            prop_assert_eq!(compact(&text), serde_json::to_vec(&text).unwrap());
        }
    }
}
