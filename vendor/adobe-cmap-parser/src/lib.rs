// keikaku: upstream code is kept as it is apart from the patches listed in
// ../pdf-extract/PATCHES.md; its own lint warnings are silenced rather than
// edited, and rustfmt leaves it alone so that it stays comparable upstream.
#![allow(warnings, clippy::all)]
#![cfg_attr(rustfmt, rustfmt::skip)]
// keikaku: a CMap cut short or malformed is an error, never a panic.
#![deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic, clippy::unimplemented, clippy::todo, clippy::unreachable)]

extern crate pom;

use pom::char_class::{alpha, hex_digit, oct_digit, multispace};
use pom::Parser;
use pom::parser::*;
use pom::DataInput;
use std::collections::HashMap;

use std::str::FromStr;

#[derive(Debug)]
pub enum Value {
    LiteralString(Vec<u8>),
    Name(Vec<u8>),
    Number(String),
    Integer(i64),
    Array(Vec<Value>),
    Operator(String),
    Boolean(bool),
    Dictionary(HashMap<String, Value>),
}

fn hex_char() -> Parser<u8, u8> {
    let number = is_a(hex_digit).repeat(2);
    number.collect().convert(|v|String::from_utf8(v)).convert(|v|u8::from_str_radix(&v, 16))
}

fn comment() -> Parser<u8, ()> {
    sym(b'%') * none_of(b"\r\n").repeat(0..) * eol().discard()
}

fn content_space() -> Parser<u8, ()> {
    is_a(multispace).repeat(0..).discard()
}

fn operator() -> Parser<u8, String> {
    (is_a(alpha) | one_of(b"*'\"")).repeat(1..).convert(|v|String::from_utf8(v))
}

fn oct_char() -> Parser<u8, u8> {
    let number = is_a(oct_digit).repeat(1..4);
    number.collect().convert(|v|String::from_utf8(v)).convert(|v|u8::from_str_radix(&v, 8))
}

fn escape_sequence() -> Parser<u8, Vec<u8>> {
    sym(b'\\') *
        ( sym(b'\\').map(|_| vec![b'\\'])
            | sym(b'(').map(|_| vec![b'('])
            | sym(b')').map(|_| vec![b')'])
            | sym(b'n').map(|_| vec![b'\n'])
            | sym(b'r').map(|_| vec![b'\r'])
            | sym(b't').map(|_| vec![b'\t'])
            | sym(b'b').map(|_| vec![b'\x08'])
            | sym(b'f').map(|_| vec![b'\x0C'])
            | oct_char().map(|c| vec![c])
            | eol()     .map(|_| vec![])
            | empty()   .map(|_| vec![])
        )
}

fn nested_literal_string() -> Parser<u8, Vec<u8>> {
    sym(b'(') *
        ( none_of(b"\\()").repeat(1..)
            | escape_sequence()
            | call(nested_literal_string)
        ).repeat(0..).map(|segments| {
            let mut bytes = segments.into_iter().fold(
                vec![b'('],
                |mut bytes, mut segment| {
                    bytes.append(&mut segment);
                    bytes
                });
            bytes.push(b')');
            bytes
        })
        - sym(b')')
}

fn literal_string() -> Parser<u8, Vec<u8>> {
    sym(b'(') *
        ( none_of(b"\\()").repeat(1..)
            | escape_sequence()
            | nested_literal_string()
        ).repeat(0..).map(|segments|segments.concat())
        - sym(b')')
}

fn name() -> Parser<u8, Vec<u8>> {
    sym(b'/') * (none_of(b" \t\n\r\x0C()<>[]{}/%#") | sym(b'#') * hex_char()).repeat(0..)
}

fn integer() -> Parser<u8, i64> {
    let number = one_of(b"+-").opt() + one_of(b"0123456789").repeat(1..);
    number.collect().convert(|v|String::from_utf8(v)).convert(|s|i64::from_str(&s))
}

fn number() -> Parser<u8, String> {
    let number = one_of(b"+-").opt() +
        ( (one_of(b"0123456789") - one_of(b"0123456789").repeat(0..).discard())
            | (one_of(b"0123456789").repeat(1..) * sym(b'.') - one_of(b"0123456789").repeat(0..))
            | sym(b'.') - one_of(b"0123456789").repeat(1..)
        );
    number.collect().convert(|v|String::from_utf8(v))
}

fn space() -> Parser<u8, ()> {
    ( one_of(b" \t\n\r\0\x0C").repeat(1..).discard()
    ).repeat(0..).discard()
}

// Dictionaries are not mentioned in the CMap spec but are produced by software like Cairo and Skia and supported other by readers
fn dictionary() -> Parser<u8, HashMap<String, Value>> {
    let entry = name() - space() + call(value);
    let entries = seq(b"<<") * space() * entry.repeat(0..) - seq(b">>");
    entries.map(|entries| entries.into_iter().fold(
        HashMap::new(),
        |mut dict: HashMap<String, Value>, (key, value)| { dict.insert(String::from_utf8_lossy(&key).into_owned(), value); dict }
    ))
}

fn hexadecimal_string() -> Parser<u8, Vec<u8>> {
    sym(b'<') * (space() * hex_char()).repeat(0..) - (space() * sym(b'>'))
}

fn eol() -> Parser<u8, u8> {
    sym(b'\r') * sym(b'\n') | sym(b'\n') | sym(b'\r')
}

fn value() -> Parser<u8, Value> {
    ( seq(b"true").map(|_| Value::Boolean(true))
    | seq(b"false").map(|_| Value::Boolean(false))
    | integer().map(|v| Value::Integer(v))
    | number().map(|v| Value::Number(v))
    | name().map(|v| Value::Name(v))
    | operator().map(|v| Value::Operator(v))
    | literal_string().map(|v| Value::LiteralString(v))
    | dictionary().map(|v| Value::Dictionary(v))
    | hexadecimal_string().map(|v| Value::LiteralString(v))
    | array().map(|v| Value::Array(v))
    ) - content_space()
}



fn array() -> Parser<u8, Vec<Value>> {
    sym(b'[') * space() * call(value).repeat(0..) - sym(b']')
}


fn file() -> Parser<u8,Vec<Value>>
{
    ( comment().repeat(0..) * content_space() * value()).repeat(1..)
}

/// keikaku: arrays, dictionaries and strings nested deeper than this are
/// refused before parsing: the parser recurses once per level, and a few
/// kilobytes of `[` overflowed the stack (lopdf's limit is the same).
pub const MAX_NESTING: usize = 100;

pub fn parse(input: &[u8]) -> Result<Vec<Value>, pom::Error> {
    if too_deep(input) {
        return Err(pom::Error::Custom { message: "nested too deep".to_string(), position: 0, inner: None });
    }
    file().parse(&mut DataInput::new(input))
}

/// keikaku: whether brackets of any kind nest deeper than [`MAX_NESTING`]
/// (counted over-generously: a bracket inside a string counts too).
fn too_deep(input: &[u8]) -> bool {
    let mut depth = 0usize;
    for &c in input {
        match c {
            b'[' | b'<' | b'(' | b'{' => {
                depth += 1;
                if depth > 2 * MAX_NESTING {
                    return true;
                }
            }
            b']' | b'>' | b')' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    false
}

fn as_code(str: &[u8]) -> u32 {
    let mut code: u32 = 0;
    for c in str {
        code = (code << 8) | (*c as u32);
    }
    code
}

/// keikaku: a ToUnicode CMap maps at most this many codes. A code is at
/// most four bytes, but a font has at most 65,536 glyphs (four times that is
/// allowed for ranges that overlap); a range as
/// wide as `<00000000> <FFFFFFFF>` asked for four billion entries.
pub const MAX_MAPPINGS: usize = 1 << 18;

/// keikaku: the token at `i`, or an error naming `what` was expected (the
/// CMap is cut short or its count does not match its entries). Upstream
/// indexed the tokens and panicked.
fn token<'a>(lexed: &'a [Value], i: usize, what: &'static str) -> Result<&'a Value, &'static str> {
    lexed.get(i).ok_or(what)
}

fn hex_string<'a>(lexed: &'a [Value], i: usize, what: &'static str) -> Result<&'a Vec<u8>, &'static str> {
    match token(lexed, i, what)? {
        Value::LiteralString(s) => Ok(s),
        _ => Err(what),
    }
}

fn integer_at(lexed: &[Value], i: Option<usize>, what: &'static str) -> Result<i64, &'static str> {
    match i.and_then(|i| lexed.get(i)) {
        Some(&Value::Integer(c)) => Ok(c),
        _ => Err(what),
    }
}

/// Return a mapping from character codes to Unicode character sequences expressed in UTF-16BE encoding.
/// keikaku: an error, never a panic, for a CMap that does not parse, is cut
/// short, or maps more than [`MAX_MAPPINGS`] codes.
pub fn get_unicode_map(input: &[u8]) -> Result<HashMap<u32, Vec<u8>>, &'static str> {
    let lexed = parse(&input).map_err(|_| "the CMap does not parse")?;

    let mut i = 0;
    let mut map = HashMap::new();
    // Counted per code mapped, not per entry of the map, so that ranges
    // mapping the same codes over and over are bounded too.
    let mut mapped = 0usize;
    let mut insert = |map: &mut HashMap<u32, Vec<u8>>, code: u32, text: Vec<u8>| {
        mapped += 1;
        if mapped > MAX_MAPPINGS {
            return Err("more than 262,144 codes mapped");
        }
        map.insert(code, text);
        Ok(())
    };
    while let Some(value) = lexed.get(i) {
        match value {
            Value::Operator(ref o) => {
                match o.as_ref() {
                    "beginbfchar" => {
                        let count = integer_at(&lexed, i.checked_sub(1), "beginbfchar exected int")?;
                        i += 1;
                        for _ in 0..count {
                            let char_code = hex_string(&lexed, i, "beginbfchar exected hexstring")?;
                            let uni_code = hex_string(&lexed, i + 1, "beginbfchar exected hexstring")?;
                            insert(&mut map, as_code(char_code), uni_code.clone())?;
                            i += 2;
                        }
                        i += 1;
                    }
                    "beginbfrange" => {
                        let count = integer_at(&lexed, i.checked_sub(1), "beginbfrange exected int")?;
                        i += 1;
                        for _ in 0..count {
                            let lower_code = as_code(hex_string(&lexed, i, "beginbfrange exected hexstring")?);
                            let upper_code = as_code(hex_string(&lexed, i + 1, "beginbfrange exected hexstring")?);
                            match token(&lexed, i + 2, "beginbfrange exected array or literal")? {
                                &Value::LiteralString(ref start) => {
                                    match start.len() {
                                        4 => {
                                            let val = as_code(start);
                                            for c in lower_code..=upper_code {
                                                let code = val.wrapping_add(c - lower_code);
                                                insert(&mut map, c, code.to_be_bytes().to_vec())?;
                                            }
                                        }
                                        2 => {
                                            let val: u16 = as_code(start) as u16;
                                            for c in lower_code..=upper_code {
                                                let code = val.wrapping_add((c - lower_code) as u16);
                                                insert(&mut map, c, code.to_be_bytes().to_vec())?;
                                            }
                                        }
                                        n if n % 2 == 0 && n > 0 => {
                                            // keikaku patch A4: a longer
                                            // destination (a ligature or a
                                            // character with a base) counts
                                            // up in its last UTF-16 unit, as
                                            // the spec says; upstream
                                            // panicked.
                                            let (base, last) = start.split_at(n - 2);
                                            let last = as_code(last) as u16;
                                            for c in lower_code..=upper_code {
                                                let mut code = base.to_vec();
                                                code.extend_from_slice(&(last.wrapping_add((c - lower_code) as u16)).to_be_bytes());
                                                insert(&mut map, c, code)?;
                                            }
                                        }
                                        _ => {
                                            return Err("bad length of hexstring");
                                        }
                                    }
                                }
                                &Value::Array(ref codes) => {
                                    // inclusive ranges would be nice
                                    if u64::from(upper_code.wrapping_sub(lower_code)) + 1 != codes.len() as u64 || upper_code < lower_code {
                                        return Err("bad length of array");
                                    }
                                    for (c, code) in (lower_code..=upper_code).zip(codes) {
                                        let text = if let &Value::LiteralString(ref s) = code { Ok(s.clone()) } else { Err("beginbfrange exected hexstring") }?;
                                        insert(&mut map, c, text)?;
                                    }
                                }
                                _ => { return Err("beginbfrange exected array or literal") }
                            }
                            i += 3;
                        }
                        i += 1;
                    }
                    _ => { i += 1; }
                }

            }
            _ => { i += 1; }
        }
    }
    Ok(map)

}

fn as_code_range(start_chars: &Vec<u8>, end_chars: &Vec<u8>) -> CodeRange {
    // keikaku: bounds of different lengths are read each as it is
    // (upstream asserted they were the same length).
    let start = as_code(start_chars);
    let end = as_code(end_chars);
    // keikaku patch A1: the width is the number of bytes of the code.
    // Upstream halved it (so <0000> <FFFF> was one-byte and <00> <FF>
    // zero-byte), which split every two-byte code of an embedded CMap.
    let width = start_chars.len() as u32;
    CodeRange { start, end, width }
}

#[derive(Debug)]
pub struct CodeRange {
    pub width: u32,
    pub start: u32,
    pub end: u32,
}

#[derive(Debug)]
pub struct CIDRange {
    pub src_code_lo: u32,
    pub src_code_hi: u32,
    #[allow(non_snake_case)]
    pub dst_CID_lo: u32,
}

#[derive(Debug)]
pub struct ByteMapping {
    pub codespace: Vec<CodeRange>,
    pub cid: Vec<CIDRange>,
}

/// keikaku: an error, never a panic, for a CMap that does not parse or is
/// cut short.
pub fn get_byte_mapping(input: &[u8]) -> Result<ByteMapping, &'static str> {
    let lexed = parse(&input).map_err(|_| "the CMap does not parse")?;

    let mut i = 0;
    let mut result = ByteMapping { codespace: Vec::new(), cid: Vec::new() };
    while let Some(value) = lexed.get(i) {
        match value {
            Value::Operator(ref o) => {
                match o.as_ref() {
                    "begincodespacerange" => {
                        let count = integer_at(&lexed, i.checked_sub(1), "begincodespacerange exected int")?;
                        i += 1;
                        for _ in 0..count {
                            let start = hex_string(&lexed, i, "begincodespacerange exected hexstring")?;
                            let end = hex_string(&lexed, i + 1, "begincodespacerange exected hexstring")?;
                            result.codespace.push(as_code_range(start, end));
                            i += 2;
                        }
                        i += 1;
                    }
                    "begincidrange" => {
                        let count = integer_at(&lexed, i.checked_sub(1), "begincidrange exected int")?;
                        i += 1;
                        for _ in 0..count {
                            let start = hex_string(&lexed, i, "begincidrange exected hexstring")?;
                            let end = hex_string(&lexed, i + 1, "begincidrange exected hexstring")?;
                            let offset = integer_at(&lexed, Some(i + 2), "begincidrange exected int")?;
                            result.cid.push(CIDRange { src_code_lo: as_code(start), src_code_hi: as_code(end), dst_CID_lo: offset as u32 });
                            // keikaku patch A2: an entry is three tokens;
                            // upstream stepped two, misreading every entry
                            // after the first.
                            i += 3;
                        }
                        i += 1;
                    }
                    "begincidchar" => {
                        // keikaku patch A3: single codes, one CID each, read
                        // as one-code ranges (upstream ignored them).
                        let count = integer_at(&lexed, i.checked_sub(1), "begincidchar exected int")?;
                        i += 1;
                        for _ in 0..count {
                            let code = as_code(hex_string(&lexed, i, "begincidchar exected hexstring")?);
                            let cid = integer_at(&lexed, Some(i + 1), "begincidchar exected int")?;
                            result.cid.push(CIDRange { src_code_lo: code, src_code_hi: code, dst_CID_lo: cid as u32 });
                            i += 2;
                        }
                        i += 1;
                    }
                    _ => { i += 1; }
                }

            }
            _ => { i += 1; }
        }
    }
    Ok(result)

}


#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    // keikaku: upstream's test read example files the crate does not ship;
    // these test the keikaku patches.
    use super::*;

    const CMAP: &[u8] = b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap
2 begincodespacerange <00> <80> <8140> <FCFC> endcodespacerange
2 begincidrange <20> <7E> 1 <8140> <817E> 633 endcidrange
1 begincidchar <80> 97 endcidchar
endcmap CMapName currentdict /CMap defineresource pop end end";

    #[test]
    fn patch_a1_code_space_widths_are_in_bytes() {
        let mapping = get_byte_mapping(CMAP).unwrap();
        let widths: Vec<u32> = mapping.codespace.iter().map(|r| r.width).collect();
        assert_eq!(widths, [1, 2]);
        assert_eq!((mapping.codespace[1].start, mapping.codespace[1].end), (0x8140, 0xFCFC));
    }

    #[test]
    fn patch_a2_a3_every_cidrange_and_cidchar_entry() {
        let mapping = get_byte_mapping(CMAP).unwrap();
        let ranges: Vec<(u32, u32, u32)> = mapping.cid.iter()
            .map(|r| (r.src_code_lo, r.src_code_hi, r.dst_CID_lo))
            .collect();
        assert_eq!(ranges, [(0x20, 0x7E, 1), (0x8140, 0x817E, 633), (0x80, 0x80, 97)]);
    }

    #[test]
    fn patch_a4_bfrange_destinations_longer_than_one_character() {
        let cmap = b"1 beginbfrange <0010> <0012> <00660066> endbfrange
1 beginbfchar <0001> <D842DFB7> endbfchar";
        let map = get_unicode_map(cmap).unwrap();
        assert_eq!(map[&0x10], [0x00, 0x66, 0x00, 0x66]);
        assert_eq!(map[&0x12], [0x00, 0x66, 0x00, 0x68]);
        assert_eq!(map[&0x01], [0xD8, 0x42, 0xDF, 0xB7]);
        assert!(get_unicode_map(b"1 beginbfrange <01> <02> <123456> endbfrange").is_err());
    }

    #[test]
    fn cut_short_or_hostile_cmaps_are_errors_not_panics() {
        for cmap in [
            &b"2 beginbfchar <0001> <0041> endbfchar"[..],
            b"1 beginbfchar <0001>",
            b"1 beginbfchar <0001> <0041",
            b"beginbfchar <0001> <0041> endbfchar",
            b"2 beginbfrange <0001> <0002> <0041> endbfrange",
            b"1 beginbfrange <0001> <0005> [<0041>] endbfrange",
            b"1 beginbfrange <00000000> <FFFFFFFF> <0041> endbfrange",
        ] {
            assert!(get_unicode_map(cmap).is_err(), "{}", String::from_utf8_lossy(cmap));
        }
        for cmap in [&b"3 begincidrange <00> <7F> 1 endcidrange"[..], b"1 begincodespacerange <00>", b"1 begincidchar <20>"] {
            assert!(get_byte_mapping(cmap).is_err(), "{}", String::from_utf8_lossy(cmap));
        }
        let deep = [b"1 beginbfchar <01> ".to_vec(), vec![b'['; 100_000]].concat();
        assert!(get_unicode_map(&deep).is_err());
        // Ranges that map the same codes over and over are bounded too.
        let many = b"1 beginbfrange <0000> <FFFF> <0041> endbfrange\n".repeat(100);
        assert!(get_unicode_map(&many).is_err());
    }
}
