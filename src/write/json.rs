//! JSON text of any `Serialize` value, appended to a byte buffer, byte for
//! byte as `serde_json::to_writer` (compact) and `to_writer_pretty` write
//! it: the serializer of the outputs, which are mostly strings and keys.
//!
//! serde_json reads a string a byte at a time to find what it must escape,
//! and every key of every record goes through that loop and through a
//! write call per quotation mark, colon and comma. Here a string is read
//! eight bytes at a time ([`escape_at`]), a key with its punctuation is
//! written into the buffer directly, and a pretty line's indentation in
//! one piece. Numbers are written by serde_json's own formatter, so that
//! they are its digits. The tests compare the two on every shape of value
//! serde has.

use serde::ser::{self, Impossible, Serialize};
use serde_json::ser::{CompactFormatter, Formatter};
use serde_json::Error;
use std::fmt::Display;
use std::io;

/// How the text is laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// No white space, as `serde_json::to_writer`.
    Compact,
    /// A line for each value, indented two spaces a level, as
    /// `serde_json::to_writer_pretty`.
    Pretty,
}

/// Appends `value` to `out` as JSON text laid out as `layout` says.
pub fn write<T: Serialize + ?Sized>(
    out: &mut Vec<u8>,
    value: &T,
    layout: Layout,
) -> Result<(), Error> {
    let mut writer = Writer {
        out,
        layout,
        depth: 0,
        has_value: false,
    };
    value.serialize(&mut writer)
}

/// Spaces a pretty level is indented by.
const INDENT: usize = 2;

/// The buffer and where the text stands in it: what serde_json's
/// `PrettyFormatter` keeps (the depth, whether the open array or object
/// has a value yet), and the layout.
struct Writer<'o> {
    out: &'o mut Vec<u8>,
    layout: Layout,
    depth: usize,
    has_value: bool,
}

impl<'o> Writer<'o> {
    /// Before an array's element or an object's key: the comma after the
    /// one before, and in pretty text a new line indented to the depth.
    #[inline(always)]
    fn before_item(&mut self, first: bool) {
        match self.layout {
            Layout::Compact => {
                if !first {
                    self.out.push(b',');
                }
            }
            Layout::Pretty => self.new_line(!first),
        }
    }

    fn new_line(&mut self, comma: bool) {
        // Constant pieces, each written in place (a choice of slices would
        // be a copy call).
        if comma {
            self.out.push(b',');
        }
        self.out.push(b'\n');
        let width = self.depth * INDENT;
        self.out.resize(self.out.len() + width, b' ');
    }

    fn open(&mut self, bracket: u8) {
        self.depth += 1;
        self.has_value = false;
        self.out.push(bracket);
    }

    fn close(&mut self, bracket: u8) {
        self.depth -= 1;
        if self.layout == Layout::Pretty && self.has_value {
            self.new_line(false);
        }
        self.out.push(bracket);
    }

    /// Between an object's key and its value.
    #[inline(always)]
    fn colon(&mut self) {
        match self.layout {
            Layout::Compact => self.out.push(b':'),
            Layout::Pretty => self.out.extend_from_slice(b": "),
        }
    }

    /// A key and the colon after it: a struct's field name, a variant's
    /// name.
    #[inline(always)]
    fn key(&mut self, first: bool, key: &str) {
        self.before_item(first);
        write_string(self.out, key);
        self.colon();
    }

    /// Opens an array or object; one of length 0 is closed at once.
    fn begin<'w>(&'w mut self, open: u8, close: u8, len: Option<usize>) -> Compound<'w, 'o> {
        self.open(open);
        let state = if len == Some(0) {
            self.close(close);
            State::Empty
        } else {
            State::First
        };
        Compound {
            writer: self,
            state,
        }
    }

    /// `{"variant": ` before a variant's content.
    fn open_variant(&mut self, variant: &str) {
        self.open(b'{');
        self.key(true, variant);
    }

    /// `}` after a variant's content.
    fn close_variant(&mut self) {
        self.has_value = true;
        self.close(b'}');
    }

    /// A number (or `true`, `false`), written by serde_json's formatter.
    fn formatted(
        &mut self,
        write: impl FnOnce(&mut CompactFormatter, &mut Vec<u8>) -> io::Result<()>,
    ) -> Result<(), Error> {
        write(&mut CompactFormatter, self.out).map_err(ser::Error::custom)
    }
}

/// The bytes JSON escapes: control characters, `"` and `\`. A mask of
/// the bytes of an eight-byte word that are one of them, each flagged by
/// its high bit (the lowest flag is always a true one: a borrow moves
/// only upwards, past a byte that is one).
#[inline(always)]
fn escapes_in(word: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let below_space = word.wrapping_sub(ONES * 0x20);
    let quote = (word ^ (ONES * u64::from(b'"'))).wrapping_sub(ONES);
    let backslash = (word ^ (ONES * u64::from(b'\\'))).wrapping_sub(ONES);
    // A byte with its high bit set is none of them (nor can it be made
    // one by a borrow): UTF-8's lead and continuation bytes pass.
    (below_space | quote | backslash) & !word & HIGH
}

/// The eight bytes of `bytes` from `at` as a word, the first the lowest.
#[inline(always)]
fn word_at(bytes: &[u8], at: usize) -> u64 {
    u64::from_le_bytes(bytes[at..at + 8].try_into().expect("eight bytes"))
}

#[inline(always)]
fn is_escaped(byte: u8) -> bool {
    byte < 0x20 || byte == b'"' || byte == b'\\'
}

/// The place of the lowest byte flagged in a mask of [`escapes_in`] (8
/// if none).
#[inline(always)]
fn first_flagged(escapes: u64) -> usize {
    (escapes.trailing_zeros() / 8) as usize
}

/// Where the first byte of `bytes` that JSON escapes stands, or the
/// length if none: eight bytes at a time. The last few are read as the
/// last eight, those before them known clean (a clean byte is never
/// flagged below a flagged one); a text shorter than a word (most keys)
/// as its first four bytes and its last four.
#[inline(always)]
fn escape_at(bytes: &[u8]) -> usize {
    let len = bytes.len();
    if len < 4 {
        return bytes.iter().position(|&b| is_escaped(b)).unwrap_or(len);
    }
    if len < 8 {
        let half =
            |at: usize| u32::from_le_bytes(bytes[at..at + 4].try_into().expect("four bytes"));
        let escapes = escapes_in(u64::from(half(0)) | u64::from(half(len - 4)) << 32);
        return match first_flagged(escapes) {
            8 => len,
            low @ 0..4 => low,
            high => high + len - 8,
        };
    }
    let mut at = 0;
    while at + 8 <= len {
        let escapes = escapes_in(word_at(bytes, at));
        if escapes != 0 {
            return at + first_flagged(escapes);
        }
        at += 8;
    }
    if at < len {
        let escapes = escapes_in(word_at(bytes, len - 8));
        if escapes != 0 {
            return len - 8 + first_flagged(escapes);
        }
    }
    len
}

/// `text` as a JSON string, quoted and escaped as serde_json escapes it:
/// `\"`, `\\`, the five control characters with a letter (`\n`), the other
/// control characters as `\u00XX` in lower-case hex; all else as it is.
#[inline(always)]
fn write_string(out: &mut Vec<u8>, text: &str) {
    out.reserve(text.len() + 2);
    out.push(b'"');
    let mut rest = text.as_bytes();
    loop {
        let at = escape_at(rest);
        out.extend_from_slice(&rest[..at]);
        let Some(&byte) = rest.get(at) else { break };
        match byte {
            b'"' => out.extend_from_slice(b"\\\""),
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            b'\t' => out.extend_from_slice(b"\\t"),
            0x08 => out.extend_from_slice(b"\\b"),
            0x0C => out.extend_from_slice(b"\\f"),
            _ => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.extend_from_slice(b"\\u00");
                out.push(HEX[usize::from(byte >> 4)]);
                out.push(HEX[usize::from(byte & 0xF)]);
            }
        }
        rest = &rest[at + 1..];
    }
    out.push(b'"');
}

/// Whether an open array or object has had an item, and whether it was
/// closed at once (a length of 0 given).
#[derive(PartialEq, Eq)]
enum State {
    Empty,
    First,
    Rest,
}

/// An array or object being written.
struct Compound<'w, 'o> {
    writer: &'w mut Writer<'o>,
    state: State,
}

impl<'w, 'o> Compound<'w, 'o> {
    /// The next item's place: true if it is the first.
    #[inline(always)]
    fn next_is_first(&mut self) -> bool {
        std::mem::replace(&mut self.state, State::Rest) == State::First
    }

    fn element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        let first = self.next_is_first();
        self.writer.before_item(first);
        value.serialize(&mut *self.writer)?;
        self.writer.has_value = true;
        Ok(())
    }

    #[inline(always)]
    fn field<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) -> Result<(), Error> {
        let first = self.next_is_first();
        self.writer.key(first, key);
        value.serialize(&mut *self.writer)?;
        self.writer.has_value = true;
        Ok(())
    }

    /// Closes the array or object unless it was closed when opened.
    fn close(self, bracket: u8) -> &'w mut Writer<'o> {
        if self.state != State::Empty {
            self.writer.close(bracket);
        }
        self.writer
    }

    fn end_array(self) {
        self.close(b']');
    }

    fn end_object(self) {
        self.close(b'}');
    }

    /// `]}` after a tuple variant's elements.
    fn end_array_variant(self) {
        self.close(b']').close_variant();
    }

    /// `}}` after a struct variant's fields.
    fn end_object_variant(self) {
        self.close(b'}').close_variant();
    }
}

/// Serializer methods that write each number type and `true`/`false` by
/// serde_json's formatter, through `$via` (as a value, or quoted as a
/// map's key).
macro_rules! scalars {
    ($via:ident) => {
        scalars!($via: serialize_bool(bool) => write_bool,
            serialize_i8(i8) => write_i8, serialize_i16(i16) => write_i16,
            serialize_i32(i32) => write_i32, serialize_i64(i64) => write_i64,
            serialize_i128(i128) => write_i128, serialize_u8(u8) => write_u8,
            serialize_u16(u16) => write_u16, serialize_u32(u32) => write_u32,
            serialize_u64(u64) => write_u64, serialize_u128(u128) => write_u128);
    };
    ($via:ident: $($method:ident($ty:ty) => $write:ident),*) => {
        $(
            fn $method(self, v: $ty) -> Result<(), Error> {
                self.$via(|f, out| f.$write(out, v))
            }
        )*
    };
}

/// Serializer methods that read their value as a text (a character, a
/// variant's name, what `Display` writes) or as the value it wraps (a
/// newtype, an `Option`'s content), the same for values and keys.
macro_rules! texts_and_wrappers {
    () => {
        fn serialize_char(self, v: char) -> Result<(), Error> {
            self.serialize_str(v.encode_utf8(&mut [0; 4]))
        }

        fn serialize_unit_variant(
            self,
            _name: &'static str,
            _index: u32,
            variant: &'static str,
        ) -> Result<(), Error> {
            self.serialize_str(variant)
        }

        fn collect_str<T: Display + ?Sized>(self, value: &T) -> Result<(), Error> {
            self.serialize_str(&value.to_string())
        }

        fn serialize_newtype_struct<T: Serialize + ?Sized>(
            self,
            _name: &'static str,
            value: &T,
        ) -> Result<(), Error> {
            value.serialize(self)
        }

        fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Error> {
            value.serialize(self)
        }
    };
}

impl<'w, 'o> ser::Serializer for &'w mut Writer<'o> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Compound<'w, 'o>;
    type SerializeTuple = Compound<'w, 'o>;
    type SerializeTupleStruct = Compound<'w, 'o>;
    type SerializeTupleVariant = Compound<'w, 'o>;
    type SerializeMap = Compound<'w, 'o>;
    type SerializeStruct = Compound<'w, 'o>;
    type SerializeStructVariant = Compound<'w, 'o>;

    scalars!(formatted);
    texts_and_wrappers!();

    /// A number, or `null` for NaN and the infinities (JSON has neither).
    fn serialize_f32(self, v: f32) -> Result<(), Error> {
        if !v.is_finite() {
            return self.serialize_unit();
        }
        self.formatted(|f, out| f.write_f32(out, v))
    }

    /// A number, or `null` for NaN and the infinities (JSON has neither).
    fn serialize_f64(self, v: f64) -> Result<(), Error> {
        if !v.is_finite() {
            return self.serialize_unit();
        }
        self.formatted(|f, out| f.write_f64(out, v))
    }

    fn serialize_str(self, v: &str) -> Result<(), Error> {
        write_string(self.out, v);
        Ok(())
    }

    /// An array of the bytes' numbers.
    fn serialize_bytes(self, v: &[u8]) -> Result<(), Error> {
        let mut array = ser::Serializer::serialize_seq(self, Some(v.len()))?;
        for byte in v {
            array.element(byte)?;
        }
        array.end_array();
        Ok(())
    }

    fn serialize_none(self) -> Result<(), Error> {
        self.serialize_unit()
    }

    fn serialize_unit(self) -> Result<(), Error> {
        self.out.extend_from_slice(b"null");
        Ok(())
    }

    fn serialize_unit_struct(self, _name: &'static str) -> Result<(), Error> {
        self.serialize_unit()
    }

    /// `{"variant": value}`.
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        self.open_variant(variant);
        value.serialize(&mut *self)?;
        self.close_variant();
        Ok(())
    }

    fn serialize_seq(self, len: Option<usize>) -> Result<Compound<'w, 'o>, Error> {
        Ok(self.begin(b'[', b']', len))
    }

    fn serialize_tuple(self, len: usize) -> Result<Compound<'w, 'o>, Error> {
        self.serialize_seq(Some(len))
    }

    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        len: usize,
    ) -> Result<Compound<'w, 'o>, Error> {
        self.serialize_seq(Some(len))
    }

    /// `{"variant": [elements]}`.
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Compound<'w, 'o>, Error> {
        self.open_variant(variant);
        self.serialize_seq(Some(len))
    }

    fn serialize_map(self, len: Option<usize>) -> Result<Compound<'w, 'o>, Error> {
        Ok(self.begin(b'{', b'}', len))
    }

    fn serialize_struct(self, _name: &'static str, len: usize) -> Result<Compound<'w, 'o>, Error> {
        self.serialize_map(Some(len))
    }

    /// `{"variant": {fields}}`.
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Compound<'w, 'o>, Error> {
        self.open_variant(variant);
        self.serialize_map(Some(len))
    }
}

/// The serde trait of an array (a sequence, a tuple, the elements of a
/// tuple variant): each element after a comma, then `$end`.
macro_rules! array_trait {
    ($trait:ident, $method:ident, $end:ident) => {
        impl ser::$trait for Compound<'_, '_> {
            type Ok = ();
            type Error = Error;

            #[inline]
            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
                self.element(value)
            }

            #[inline]
            fn end(self) -> Result<(), Error> {
                self.$end();
                Ok(())
            }
        }
    };
}

array_trait!(SerializeSeq, serialize_element, end_array);
array_trait!(SerializeTuple, serialize_element, end_array);
array_trait!(SerializeTupleStruct, serialize_field, end_array);
array_trait!(SerializeTupleVariant, serialize_field, end_array_variant);

/// The serde trait of a struct's fields (a struct, the fields of a struct
/// variant): each key and value after a comma, then `$end`.
macro_rules! struct_trait {
    ($trait:ident, $end:ident) => {
        impl ser::$trait for Compound<'_, '_> {
            type Ok = ();
            type Error = Error;

            #[inline]
            fn serialize_field<T: Serialize + ?Sized>(
                &mut self,
                key: &'static str,
                value: &T,
            ) -> Result<(), Error> {
                self.field(key, value)
            }

            #[inline]
            fn end(self) -> Result<(), Error> {
                self.$end();
                Ok(())
            }
        }
    };
}

struct_trait!(SerializeStruct, end_object);
struct_trait!(SerializeStructVariant, end_object_variant);

impl ser::SerializeMap for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;

    #[inline(always)]
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Error> {
        let first = self.next_is_first();
        self.writer.before_item(first);
        key.serialize(KeyWriter(&mut *self.writer))
    }

    #[inline(always)]
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.writer.colon();
        value.serialize(&mut *self.writer)?;
        self.writer.has_value = true;
        Ok(())
    }

    #[inline]
    fn end(self) -> Result<(), Error> {
        self.end_object();
        Ok(())
    }
}

/// A map's key: a string, or a number or `true`/`false` written as one
/// (`"3"`), as serde_json writes keys; any other value is refused.
struct KeyWriter<'w, 'o>(&'w mut Writer<'o>);

impl KeyWriter<'_, '_> {
    fn quoted(
        self,
        write: impl FnOnce(&mut CompactFormatter, &mut Vec<u8>) -> io::Result<()>,
    ) -> Result<(), Error> {
        self.0.out.push(b'"');
        self.0.formatted(write)?;
        self.0.out.push(b'"');
        Ok(())
    }
}

fn key_must_be_a_string() -> Error {
    ser::Error::custom("key must be a string")
}

fn float_key_must_be_finite() -> Error {
    ser::Error::custom("float key must be finite (got NaN or +/-inf)")
}

impl ser::Serializer for KeyWriter<'_, '_> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Impossible<(), Error>;
    type SerializeTuple = Impossible<(), Error>;
    type SerializeTupleStruct = Impossible<(), Error>;
    type SerializeTupleVariant = Impossible<(), Error>;
    type SerializeMap = Impossible<(), Error>;
    type SerializeStruct = Impossible<(), Error>;
    type SerializeStructVariant = Impossible<(), Error>;

    #[inline(always)]
    fn serialize_str(self, v: &str) -> Result<(), Error> {
        write_string(self.0.out, v);
        Ok(())
    }

    scalars!(quoted);
    texts_and_wrappers!();

    fn serialize_f32(self, v: f32) -> Result<(), Error> {
        if !v.is_finite() {
            return Err(float_key_must_be_finite());
        }
        self.quoted(|f, out| f.write_f32(out, v))
    }

    fn serialize_f64(self, v: f64) -> Result<(), Error> {
        if !v.is_finite() {
            return Err(float_key_must_be_finite());
        }
        self.quoted(|f, out| f.write_f64(out, v))
    }

    fn serialize_bytes(self, _v: &[u8]) -> Result<(), Error> {
        Err(key_must_be_a_string())
    }

    fn serialize_none(self) -> Result<(), Error> {
        Err(key_must_be_a_string())
    }

    fn serialize_unit(self) -> Result<(), Error> {
        Err(key_must_be_a_string())
    }

    fn serialize_unit_struct(self, _name: &'static str) -> Result<(), Error> {
        Err(key_must_be_a_string())
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _value: &T,
    ) -> Result<(), Error> {
        Err(key_must_be_a_string())
    }

    fn serialize_seq(self, _len: Option<usize>) -> Result<Impossible<(), Error>, Error> {
        Err(key_must_be_a_string())
    }

    fn serialize_tuple(self, _len: usize) -> Result<Impossible<(), Error>, Error> {
        Err(key_must_be_a_string())
    }

    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Impossible<(), Error>, Error> {
        Err(key_must_be_a_string())
    }

    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Impossible<(), Error>, Error> {
        Err(key_must_be_a_string())
    }

    fn serialize_map(self, _len: Option<usize>) -> Result<Impossible<(), Error>, Error> {
        Err(key_must_be_a_string())
    }

    fn serialize_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Impossible<(), Error>, Error> {
        Err(key_must_be_a_string())
    }

    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Impossible<(), Error>, Error> {
        Err(key_must_be_a_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde::Serialize;
    use serde_json::{json, Value};
    use std::collections::BTreeMap;

    /// `value` as this module writes it, or its error's message.
    fn ours<T: Serialize + ?Sized>(value: &T, layout: Layout) -> Result<String, String> {
        let mut out = Vec::new();
        write(&mut out, value, layout).map_err(|e| e.to_string())?;
        Ok(String::from_utf8(out).expect("JSON text is UTF-8"))
    }

    /// `value` as serde_json writes it, or its error's message.
    fn serde_json_text<T: Serialize + ?Sized>(value: &T, layout: Layout) -> Result<String, String> {
        match layout {
            Layout::Compact => serde_json::to_string(value),
            Layout::Pretty => serde_json::to_string_pretty(value),
        }
        .map_err(|e| e.to_string())
    }

    /// Asserts that both write `value` alike in both layouts.
    fn assert_same<T: Serialize + ?Sized>(value: &T) {
        for layout in [Layout::Compact, Layout::Pretty] {
            assert_eq!(
                ours(value, layout),
                serde_json_text(value, layout),
                "{layout:?}"
            );
        }
    }

    #[test]
    fn writes_nested_and_empty_values_as_serde_json() {
        assert_same(&json!({
            "a": [], "b": {}, "c": [1, [2, []], {"d": null}],
            "e": {"f": {"g": {"h": "地域 \"福祉\"\n"}}}, "i": [{}], "j": true,
            "k": -1.5, "l": 1e300, "m": u64::MAX, "n": i64::MIN
        }));
        assert_same(&json!([]));
        assert_same(&json!({}));
        assert_same(&json!("葉"));
    }

    #[test]
    fn indents_as_deep_as_values_go() {
        let mut value = json!("葉");
        for depth in 0..60 {
            value = if depth % 2 == 0 {
                json!([value, 1])
            } else {
                json!({ "k": value })
            };
        }
        assert_same(&value);
    }

    /// Each byte JSON may escape, at each place of strings of every
    /// length around a word's: the word-wide search must find it wherever
    /// it stands, and nothing where none is.
    #[test]
    fn escapes_every_character_wherever_it_stands() {
        for byte in 0u8..0x80 {
            let c = char::from(byte);
            for len in 1..=20 {
                for at in 0..len {
                    let text: String = (0..len).map(|i| if i == at { c } else { 'あ' }).collect();
                    assert_same(&text);
                    // Plain ASCII around it, and two of it.
                    let ascii: String = (0..len).map(|i| if i == at { c } else { 'x' }).collect();
                    assert_same(&ascii);
                    assert_same(&format!("{ascii}{c}"));
                }
            }
        }
    }

    /// Every shape serde gives a serializer.
    #[derive(Serialize)]
    enum Shapes {
        Unit,
        Newtype(u8),
        Tuple(i32, &'static str),
        EmptyTuple(),
        Struct { a: Option<u32>, b: Vec<u8> },
        EmptyStruct {},
    }

    #[derive(Serialize)]
    struct UnitStruct;

    #[derive(Serialize)]
    struct NewtypeStruct(&'static str);

    #[derive(Serialize)]
    struct TupleStruct(f32, f64, char);

    #[derive(Serialize)]
    struct EmptyStruct {}

    #[derive(Serialize)]
    struct Flattened {
        name: &'static str,
        #[serde(flatten)]
        rest: BTreeMap<&'static str, u32>,
    }

    /// Bytes, as a type that asks for `serialize_bytes` writes them.
    struct Bytes(&'static [u8]);

    impl Serialize for Bytes {
        fn serialize<S: ser::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            serializer.serialize_bytes(self.0)
        }
    }

    /// A text written through `Display` (`collect_str`).
    struct Displayed(&'static str);

    impl Serialize for Displayed {
        fn serialize<S: ser::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            serializer.collect_str(self.0)
        }
    }

    /// A sequence and a map whose length is not known ahead.
    struct Unsized(Vec<u32>);

    impl Serialize for Unsized {
        fn serialize<S: ser::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            use ser::SerializeMap;
            let mut map = serializer.serialize_map(None)?;
            map.serialize_entry("seq", &UnsizedSeq(self.0.clone()))?;
            map.serialize_entry("empty", &UnsizedSeq(Vec::new()))?;
            map.end()
        }
    }

    struct UnsizedSeq(Vec<u32>);

    impl Serialize for UnsizedSeq {
        fn serialize<S: ser::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            serializer.collect_seq(self.0.iter().filter(|_| true))
        }
    }

    #[test]
    fn writes_every_shape_as_serde_json() {
        assert_same(&[
            Shapes::Unit,
            Shapes::Newtype(7),
            Shapes::Tuple(-3, "t"),
            Shapes::EmptyTuple(),
            Shapes::Struct {
                a: None,
                b: vec![1, 2],
            },
            Shapes::Struct {
                a: Some(4),
                b: Vec::new(),
            },
            Shapes::EmptyStruct {},
        ]);
        assert_same(&(UnitStruct, NewtypeStruct("n"), EmptyStruct {}, ()));
        assert_same(&TupleStruct(1.25, -0.0, '福'));
        assert_same(&TupleStruct(f32::NAN, f64::INFINITY, '\u{1}'));
        assert_same(&(i128::MIN, u128::MAX, i8::MIN, u16::MAX, false));
        assert_same(&Flattened {
            name: "x",
            rest: BTreeMap::from([("a", 1), ("b", 2)]),
        });
        assert_same(&(Bytes(b""), Bytes(b"\x00\xff"), Displayed("地域\t\"福祉\"")));
        assert_same(&Unsized(vec![1, 2, 3]));
        assert_same(&Some(Some(())));
    }

    #[test]
    fn writes_keys_as_serde_json() {
        assert_same(&BTreeMap::from([(1u8, "a"), (2, "b")]));
        assert_same(&BTreeMap::from([(-1i64, 0), (i64::MAX, 1)]));
        assert_same(&BTreeMap::from([(u128::MAX, 0)]));
        assert_same(&BTreeMap::from([(true, 1), (false, 0)]));
        assert_same(&BTreeMap::from([('鍵', 1)]));
        assert_same(&BTreeMap::from([(Some("k\n"), 1)]));
        #[derive(Serialize, PartialEq, Eq, PartialOrd, Ord)]
        enum Variant {
            Unit,
        }
        #[derive(Serialize, PartialEq, Eq, PartialOrd, Ord)]
        struct Newtype(&'static str);
        assert_same(&BTreeMap::from([(Newtype("n"), 1)]));
        assert_same(&BTreeMap::from([(Variant::Unit, 1)]));
        let mut floats = serde_json::Map::new();
        floats.insert("f".into(), json!(1.5));
        assert_same(&floats);
    }

    #[test]
    fn refuses_the_keys_serde_json_refuses() {
        #[derive(Serialize, PartialEq, Eq, PartialOrd, Ord)]
        struct Compound {
            a: u8,
        }
        for layout in [Layout::Compact, Layout::Pretty] {
            let cases: [Result<String, String>; 2] = [
                ours(&BTreeMap::from([(vec![1u8], 1)]), layout),
                ours(&BTreeMap::from([(Compound { a: 1 }, 1)]), layout),
            ];
            for case in cases {
                assert_eq!(case, Err("key must be a string".to_string()));
            }
        }
        /// A map with a float key, as serde_json's `Value` cannot hold.
        struct FloatKey(f64);
        impl Serialize for FloatKey {
            fn serialize<S: ser::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                use ser::SerializeMap;
                let mut map = serializer.serialize_map(Some(1))?;
                map.serialize_entry(&self.0, &1)?;
                map.end()
            }
        }
        assert_same(&FloatKey(2.5));
        assert_same(&FloatKey(f64::NAN));
        assert_eq!(
            ours(&FloatKey(f64::NAN), Layout::Compact),
            Err("float key must be finite (got NaN or +/-inf)".to_string())
        );
    }

    /// Any JSON value, nested a few levels, its strings of any characters
    /// (control characters, quotes and backslashes among them) and of any
    /// length around a word's.
    fn any_value() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(|n| json!(n)),
            any::<f64>().prop_map(|n| json!(n)),
            "[a-zあ-ん \"\\\\\n\t\u{0}-\u{1f}\u{7f}]{0,24}".prop_map(Value::String),
            any::<String>().prop_map(Value::String),
        ];
        leaf.prop_recursive(6, 64, 5, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
                prop::collection::btree_map("[a-z\"\\\\\n]{1,10}", inner, 0..5)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest! {
        #[test]
        fn writes_any_value_as_serde_json(value in any_value()) {
            for layout in [Layout::Compact, Layout::Pretty] {
                prop_assert_eq!(ours(&value, layout), serde_json_text(&value, layout));
            }
        }
    }
}
