//! `keikaku diff`: two conversions compared record by record.

use super::{write_stdout, ClosedPipe};
use anyhow::Context;
use keikaku::extract::ExtractOptions;
use std::path::Path;

/// Prints what differs between the conversions `old` and `new` (as text,
/// or as JSON), or writes it as a page to `html`; true if nothing does. A
/// closed standard output does not change the answer.
pub fn diff(
    old: &Path,
    new: &Path,
    json: bool,
    html: Option<&Path>,
    options: &ExtractOptions,
) -> anyhow::Result<bool> {
    let old_records = keikaku::conversion_records(old, options)?;
    let new_records = keikaku::conversion_records(new, options)?;
    let found = keikaku::diff::diff(&old_records, &new_records);
    if let Some(page) = html {
        keikaku::write::target::resolve(
            page,
            &keikaku::write::target::InputFiles::of(&[old.to_path_buf(), new.to_path_buf()]),
            false,
        )?;
        let name = |p: &Path| {
            p.file_name().map_or_else(
                || p.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            )
        };
        let records: Vec<&serde_json::Value> = new_records.iter().chain(&old_records).collect();
        let content = keikaku::report::diff_page(&name(old), &name(new), &found, &records);
        keikaku::write::write_atomically(page, content.as_bytes())
            .with_context(|| format!("{}: cannot write the page", page.display()))?;
        return Ok(found.is_empty());
    }
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
