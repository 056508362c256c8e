//! Writing HTML by hand, safely: every text that comes from a document goes
//! through [`text`] or [`attr`], which escape what HTML gives a meaning to.

use std::fmt::Write;

/// `value` escaped for an element's content.
pub fn text(value: &str) -> String {
    escape(value, false)
}

/// `value` escaped for an attribute value in double quotes.
pub fn attr(value: &str) -> String {
    escape(value, true)
}

fn escape(value: &str, in_attribute: bool) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if in_attribute => out.push_str("&quot;"),
            '\'' if in_attribute => out.push_str("&#39;"),
            // Control characters are no text a browser shows; a form feed
            // or a NUL would make the page invalid.
            c if c.is_control() && c != '\t' && c != '\n' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// Where a span of lines stood, as a reader says it: `p.3 l.45–47`.
pub fn place(page: u32, first: u32, last: u32) -> String {
    if last > first {
        format!("p.{page} l.{first}–{last}")
    } else {
        format!("p.{page} l.{first}")
    }
}

/// A link to the first of a span's lines in the source view; the script
/// highlights all of them on a click.
pub fn locator(out: &mut String, page: u32, first: u32, last: u32) {
    let _ = write!(
        out,
        r##"<a class="loc" href="#L{first}" data-from="{first}" data-to="{last}">{}</a>"##,
        place(page, first, last)
    );
}

/// JSON text safe inside a `<script>` element: `<` written as `\u003c`, so
/// that no `</script>` or `<!--` in a document's text ends it.
pub fn script_json(json: &str) -> String {
    json.replace('<', "\\u003c")
}

/// A number of points, short: two decimals at most, no trailing zeros.
pub fn points(value: f64) -> String {
    let rounded = (value * 100.0).round() / 100.0;
    if rounded == rounded.trunc() {
        format!("{}", rounded as i64)
    } else {
        format!("{rounded}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_in_a_document_stays_text() {
        assert_eq!(text("<p>A&B</p>"), "&lt;p&gt;A&amp;B&lt;/p&gt;");
        assert_eq!(attr(r#"say "hi" 'x'"#), "say &quot;hi&quot; &#39;x&#39;");
        assert_eq!(text("a\u{c}b"), "a\u{FFFD}b");
        assert_eq!(
            script_json(r#"{"a":"</script>"}"#),
            r#"{"a":"\u003c/script>"}"#
        );
    }

    #[test]
    fn points_are_short() {
        assert_eq!(points(12.0), "12");
        assert_eq!(points(12.345), "12.35");
        assert_eq!(points(-0.5), "-0.5");
    }
}
