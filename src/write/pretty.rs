//! The document's pretty-printed JSON, byte for byte as
//! `serde_json::to_string_pretty` writes it, with each line's indentation
//! written in one piece.
//!
//! serde_json's `PrettyFormatter` writes a line's indentation one level at
//! a time, a separate write for each: an initiative five levels down the
//! tree (goal → policy → measure → sub-measure → initiative) writes a
//! dozen two-byte pieces before each of its keys. Written at once, the
//! write stage took a fifth less time (README, "Speed and scale").

use serde_json::ser::Formatter;
use std::io;

/// Spaces for the deepest line indented in one write; deeper lines (no
/// document goes there) are indented a piece at a time.
const SPACES: &[u8; 64] = b"                                                                ";

/// Two spaces a level, as `serde_json::ser::PrettyFormatter::new()`.
const INDENT: usize = 2;

/// A `serde_json` formatter that writes what `PrettyFormatter` writes.
#[derive(Debug, Default)]
pub struct Pretty {
    depth: usize,
    has_value: bool,
}

impl Pretty {
    /// A line break, then the indentation of the current depth.
    fn new_line<W: ?Sized + io::Write>(&self, writer: &mut W, comma: bool) -> io::Result<()> {
        writer.write_all(if comma { b",\n" } else { b"\n" })?;
        let mut width = self.depth * INDENT;
        while width > 0 {
            let piece = width.min(SPACES.len());
            writer.write_all(&SPACES[..piece])?;
            width -= piece;
        }
        Ok(())
    }

    fn open<W: ?Sized + io::Write>(&mut self, writer: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        writer.write_all(bracket)
    }

    fn close<W: ?Sized + io::Write>(&mut self, writer: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.depth -= 1;
        if self.has_value {
            self.new_line(writer, false)?;
        }
        writer.write_all(bracket)
    }
}

/// Appends `value` to `out` as `serde_json::to_string_pretty` writes it.
pub fn write<T: serde::Serialize + ?Sized>(out: &mut Vec<u8>, value: &T) -> serde_json::Result<()> {
    let mut serializer = serde_json::Serializer::with_formatter(out, Pretty::default());
    value.serialize(&mut serializer)
}

impl Formatter for Pretty {
    fn begin_array<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.open(writer, b"[")
    }

    fn end_array<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.close(writer, b"]")
    }

    fn begin_array_value<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.new_line(writer, !first)
    }

    fn end_array_value<W: ?Sized + io::Write>(&mut self, _writer: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.open(writer, b"{")
    }

    fn end_object<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.close(writer, b"}")
    }

    fn begin_object_key<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.new_line(writer, !first)
    }

    fn begin_object_value<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        writer.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + io::Write>(&mut self, _writer: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::{json, Value};

    fn ours(value: &Value) -> String {
        let mut out = Vec::new();
        write(&mut out, value).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn writes_what_serde_json_writes() {
        let value = json!({
            "a": [], "b": {}, "c": [1, [2, []], {"d": null}],
            "e": {"f": {"g": {"h": "地域 \"福祉\"\n"}}}, "i": [{}], "j": true
        });
        assert_eq!(ours(&value), serde_json::to_string_pretty(&value).unwrap());
    }

    #[test]
    fn indents_past_its_spaces() {
        let mut value = json!("葉");
        for depth in 0..(SPACES.len() / INDENT + 5) {
            value = if depth % 2 == 0 {
                json!([value, 1])
            } else {
                json!({ "k": value })
            };
        }
        assert_eq!(ours(&value), serde_json::to_string_pretty(&value).unwrap());
    }

    /// Any JSON value, nested a few levels.
    fn any_value() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(|n| json!(n)),
            "[a-zあ-ん \"\\\\\n]{0,6}".prop_map(Value::String),
        ];
        leaf.prop_recursive(6, 64, 5, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
                prop::collection::btree_map("[a-z]{1,3}", inner, 0..5)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest! {
        #[test]
        fn writes_what_serde_json_writes_for_any_value(value in any_value()) {
            prop_assert_eq!(ours(&value), serde_json::to_string_pretty(&value).unwrap());
        }
    }
}
