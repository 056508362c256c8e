//! `keikaku diff`: two conversions compared record by record.

use super::{write_stdout, ClosedPipe};
use keikaku::extract::ExtractOptions;
use std::path::Path;

/// Prints what differs between the conversions `old` and `new` (as text,
/// or as JSON); true if nothing does. A closed standard output does not
/// change the answer.
pub fn diff(old: &Path, new: &Path, json: bool, options: &ExtractOptions) -> anyhow::Result<bool> {
    let old_records = keikaku::conversion_records(old, options)?;
    let new_records = keikaku::conversion_records(new, options)?;
    let found = keikaku::diff::diff(&old_records, &new_records);
    let text = if json {
        let mut text = serde_json::to_string_pretty(&found)?;
        text.push('\n');
        text
    } else {
        found.to_text()
    };
    match write_stdout(text.as_bytes()) {
        Err(error) if !error.is::<ClosedPipe>() => Err(error),
        _ => Ok(found.is_empty()),
    }
}
