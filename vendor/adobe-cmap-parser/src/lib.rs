// keikaku: upstream code is kept as it is apart from the patches listed in
// ../pdf-extract/PATCHES.md; its own lint warnings are silenced rather than
// edited, and rustfmt leaves it alone so that it stays comparable upstream.
#![allow(warnings, clippy::all)]
#![cfg_attr(rustfmt, rustfmt::skip)]

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
    number.collect().convert(|v|u8::from_str_radix(&String::from_utf8(v).unwrap(), 16))
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
    number.collect().convert(|v|u8::from_str_radix(&String::from_utf8(v).unwrap(), 8))
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
        |mut dict: HashMap<String, Value>, (key, value)| { dict.insert(String::from_utf8(key).unwrap(), value); dict }
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

pub fn parse(input: &[u8]) -> Result<Vec<Value>, pom::Error> {
    file().parse(&mut DataInput::new(input))
}

fn as_code(str: &[u8]) -> u32 {
    let mut code: u32 = 0;
    for c in str {
        code = (code << 8) | (*c as u32);
    }
    code
}

/// Return a mapping from character codes to Unicode character sequences expressed in UTF-16BE encoding.
pub fn get_unicode_map(input: &[u8]) -> Result<HashMap<u32, Vec<u8>>, &'static str> {
    let lexed = parse(&input).expect("failed to parse");

    let mut i = 0;
    let mut map = HashMap::new();
    while i < lexed.len() {
        match lexed[i] {
            Value::Operator(ref o) => {
                match o.as_ref() {
                    "beginbfchar" => {
                        let count = if let &Value::Integer(ref c) = &lexed[i-1] { Ok(*c) } else { Err("beginbfchar exected int") }?;
                        i += 1;
                        for _ in 0..count {
                            let char_code = if let &Value::LiteralString(ref s) = &lexed[i] { Ok(s) } else { Err("beginbfchar exected hexstring") }?;
                            let uni_code = if let &Value::LiteralString(ref s) = &lexed[i+1] { Ok(s) } else { Err("beginbfchar exected hexstring") }?;
                            //let char_code =
                            map.insert(as_code(char_code), uni_code.clone());
                            i += 2;
                        }
                        i += 1;
                    }
                    "beginbfrange" => {
                        let count = if let &Value::Integer(ref c) = &lexed[i-1] { Ok(*c) } else { Err("beginbfrange exected int") }?;
                        i += 1;
                        for _ in 0..count {
                            let lower_code = if let &Value::LiteralString(ref s) = &lexed[i] { Ok(as_code(s)) } else { Err("beginbfrange exected hexstring") }?;
                            let upper_code = if let &Value::LiteralString(ref s) = &lexed[i+1] { Ok(as_code(s)) } else { Err("beginbfrange exected hexstring") }?;
                            match &lexed[i+2] {
                                &Value::LiteralString(ref start) => {
                                    match start.len() {
                                        4 => {
                                            let val = as_code(start);
                                            for c in lower_code..=upper_code {
                                                let code = val + (c - lower_code);
                                                map.insert(c, code.to_be_bytes().to_vec());
                                            }
                                        }
                                        2 => {
                                            let val: u16 = as_code(start) as u16;
                                            for c in lower_code..=upper_code {
                                                let code = val + (c - lower_code) as u16;
                                                map.insert(c, code.to_be_bytes().to_vec());
                                            }
                                        }
                                        n if n % 2 == 0 && n > 0 => {
                                            // keikaku patch A4: a longer
                                            // destination (a ligature or a
                                            // character with a base) counts
                                            // up in its last UTF-16 unit, as
                                            // the spec says; upstream
                                            // panicked.
                                            let last = as_code(&start[n-2..]) as u16;
                                            for c in lower_code..=upper_code {
                                                let mut code = start[..n-2].to_vec();
                                                code.extend_from_slice(&(last.wrapping_add((c - lower_code) as u16)).to_be_bytes());
                                                map.insert(c, code);
                                            }
                                        }
                                        _ => {
                                            return Err("bad length of hexstring");
                                        }
                                    }
                                }
                                &Value::Array(ref codes) => {
                                    // inclusive ranges would be nice
                                    let mut i = 0;
                                    if (upper_code - lower_code + 1) as usize != codes.len() {
                                        return Err("bad length of array");
                                    }
                                    for c in lower_code..=upper_code {
                                        map.insert(c, if let &Value::LiteralString(ref s) = &codes[i] { Ok(s.clone()) } else { Err("beginbfrange exected hexstring") }?);
                                        i += 1;
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
    let mut start = 0;
    let mut end = 0;
    assert!(start_chars.len() == end_chars.len());
    for i in 0..start_chars.len() {
        start = (start << 8) | (start_chars[i] as u32);
        end = (end << 8) | (end_chars[i] as u32);
    }
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

pub fn get_byte_mapping(input: &[u8]) -> Result<ByteMapping, &'static str> {
    let lexed = parse(&input).expect("failed to parse");

    let mut i = 0;
    let mut result = ByteMapping { codespace: Vec::new(), cid: Vec::new() };
    while i < lexed.len() {
        match lexed[i] {
            Value::Operator(ref o) => {
                match o.as_ref() {
                    "begincodespacerange" => {
                        let count = if let &Value::Integer(ref c) = &lexed[i-1] { Ok(*c) } else { Err("begincodespacerange exected int") }?;
                        i += 1;
                        for _ in 0..count {
                            let start = if let &Value::LiteralString(ref s) = &lexed[i] { Ok(s) } else { Err("begincodespacerange exected hexstring") }?;
                            let end = if let &Value::LiteralString(ref s) = &lexed[i+1] { Ok(s) } else { Err("begincodespacerange exected hexstring") }?;
                            result.codespace.push(as_code_range(start, end));
                            i += 2;
                        }
                        i += 1;
                    }
                    "begincidrange" => {
                        let count = if let &Value::Integer(ref c) = &lexed[i-1] { Ok(*c) } else { Err("begincidrange exected int") }?;
                        i += 1;
                        for _ in 0..count {
                            let start = if let &Value::LiteralString(ref s) = &lexed[i] { Ok(s) } else { Err("begincidrange exected hexstring") }?;
                            let end = if let &Value::LiteralString(ref s) = &lexed[i+1] { Ok(s) } else { Err("begincidrange exected hexstring") }?;
                            let offset = if let &Value::Integer(ref s) = &lexed[i+2] { Ok(s) } else { Err("begincidrange exected int") }?;
                            result.cid.push(CIDRange { src_code_lo: as_code(start), src_code_hi: as_code(end), dst_CID_lo: *offset as u32 });
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
                        let count = if let &Value::Integer(ref c) = &lexed[i-1] { Ok(*c) } else { Err("begincidchar exected int") }?;
                        i += 1;
                        for _ in 0..count {
                            let code = if let Some(&Value::LiteralString(ref s)) = lexed.get(i) { Ok(as_code(s)) } else { Err("begincidchar exected hexstring") }?;
                            let cid = if let Some(&Value::Integer(ref c)) = lexed.get(i+1) { Ok(*c) } else { Err("begincidchar exected int") }?;
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
}
