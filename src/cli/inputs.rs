//! The inputs a command was given, found: files as given, the convertible
//! files of directories (of their subdirectories too with `-r`), the paths
//! listed by `--files-from`, or one document on standard input (`-`).

use super::options::InputOptions;
use super::UsageError;
use std::path::{Path, PathBuf};

/// What a command reads.
#[derive(Debug)]
pub enum Inputs {
    /// One document, from standard input.
    Stdin,
    /// Files, in the order given (a directory's in name order).
    Files(Vec<InputFile>),
}

/// One input file, and where it was found.
#[derive(Debug, Clone)]
pub struct InputFile {
    /// The file.
    pub path: PathBuf,
    /// Its path below the directory it was found in with `-r` (`2019/a.pdf`),
    /// which its output keeps; `None` for a file given or listed by name,
    /// or found directly in a directory.
    pub below: Option<PathBuf>,
}

/// The inputs of `options`. Nothing to convert is an error that says why.
pub fn find(options: &InputOptions) -> Result<Inputs, UsageError> {
    let stdin = Path::new("-");
    if options.inputs.iter().any(|input| input == stdin) {
        if options.inputs.len() > 1 || options.files_from.is_some() {
            return Err(UsageError(
                "- (a document on standard input) must be the only input".into(),
            ));
        }
        return Ok(Inputs::Stdin);
    }
    let mut files = Vec::new();
    if let Some(list) = &options.files_from {
        let listed = read_list(list)?;
        if listed.is_empty() {
            return Err(UsageError(format!(
                "{}: lists no input",
                display_list(list)
            )));
        }
        files.extend(expand(&listed, options.recursive)?);
    }
    files.extend(expand(&options.inputs, options.recursive)?);
    if files.is_empty() {
        return Err(UsageError("no input given".into()));
    }
    Ok(Inputs::Files(files))
}

/// Files as they are, directories as their convertible files.
fn expand(inputs: &[PathBuf], recursive: bool) -> Result<Vec<InputFile>, UsageError> {
    let mut files = Vec::new();
    for input in inputs {
        if input.is_dir() {
            let found = in_directory(input, recursive)
                .map_err(|e| UsageError(format!("{}: cannot list: {e}", input.display())))?;
            if found.is_empty() {
                return Err(UsageError(nothing_in(input, recursive)));
            }
            files.extend(found);
        } else {
            files.push(InputFile {
                path: input.clone(),
                below: None,
            });
        }
    }
    Ok(files)
}

/// The input paths listed in `list` (`-`: standard input), one a line;
/// blank lines are skipped.
fn read_list(list: &Path) -> Result<Vec<PathBuf>, UsageError> {
    let text = if list == Path::new("-") {
        std::io::read_to_string(std::io::stdin())
    } else {
        std::fs::read_to_string(list)
    }
    .map_err(|e| {
        UsageError(format!(
            "{}: cannot read the list of inputs: {e}",
            display_list(list)
        ))
    })?;
    Ok(text
        .lines()
        .map(|line| line.trim_end_matches('\r'))
        .filter(|line| !line.trim().is_empty())
        .map(PathBuf::from)
        .collect())
}

fn display_list(list: &Path) -> String {
    if list == Path::new("-") {
        keikaku::STDIN_NAME.to_string()
    } else {
        list.display().to_string()
    }
}

/// Why `directory` gives nothing to convert, and what would.
fn nothing_in(directory: &Path, recursive: bool) -> String {
    let mut message = format!("no .txt or .pdf files in {}", directory.display());
    if !recursive {
        let below = in_directory(directory, true).map_or(0, |found| found.len());
        if below > 0 {
            message.push_str(&format!(
                " ({below} in its subdirectories: use -r to convert them)"
            ));
        } else {
            message.push_str(" (nor in its subdirectories)");
        }
    }
    message
}

/// The convertible files of `root`, in name order; with `recursive`, those
/// of its subdirectories too, each subdirectory's after the files beside
/// it. Symbolic links to directories are not followed (a link may loop),
/// and hidden entries (`.git`, keikaku's own temporary files) are skipped.
fn in_directory(root: &Path, recursive: bool) -> std::io::Result<Vec<InputFile>> {
    let mut found = Vec::new();
    let mut pending = vec![root.to_path_buf()];
    while let Some(directory) = pending.pop() {
        let mut entries: Vec<std::fs::DirEntry> =
            std::fs::read_dir(&directory)?.collect::<Result<_, _>>()?;
        entries.sort_by_key(std::fs::DirEntry::file_name);
        let mut subdirectories = Vec::new();
        for entry in entries {
            if entry.file_name().to_string_lossy().starts_with('.') {
                continue;
            }
            let path = entry.path();
            let file_type = entry.file_type()?;
            if file_type.is_dir() {
                subdirectories.push(path);
            } else if is_convertible(&path)
                // The entry's own type, read with the listing, says a file
                // is one without a look-up; a link is followed to see.
                && (file_type.is_file() || (file_type.is_symlink() && path.is_file()))
            {
                let below = (recursive && directory != root)
                    .then(|| path.strip_prefix(root).ok().map(Path::to_path_buf))
                    .flatten();
                found.push(InputFile { path, below });
            }
        }
        if recursive {
            // Popped last first: reversed, so that they come in name order.
            pending.extend(subdirectories.into_iter().rev());
        }
    }
    Ok(found)
}

/// A file keikaku reads when it is found in a directory.
fn is_convertible(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("txt") || e.eq_ignore_ascii_case("pdf"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn touch(path: &Path) {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, "x").unwrap();
    }

    #[test]
    fn recursion_keeps_name_order_and_the_path_below_the_root() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for name in [
            "b.txt",
            "a/z.pdf",
            "a/b/c.txt",
            "c/d.txt",
            ".hidden/e.txt",
            "notes.md",
        ] {
            touch(&root.join(name));
        }
        let found: Vec<String> = in_directory(root, true)
            .unwrap()
            .iter()
            .map(|f| {
                f.below
                    .as_deref()
                    .unwrap_or(f.path.strip_prefix(root).unwrap())
                    .display()
                    .to_string()
            })
            .collect();
        assert_eq!(found, ["b.txt", "a/z.pdf", "a/b/c.txt", "c/d.txt"]);
        let flat = in_directory(root, false).unwrap();
        assert_eq!(flat.len(), 1);
        assert!(flat[0].below.is_none());
    }

    #[cfg(unix)]
    #[test]
    fn links_to_files_are_inputs_and_other_kinds_are_not() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        touch(&root.join("real/plan.txt"));
        std::os::unix::fs::symlink(root.join("real/plan.txt"), root.join("linked.txt")).unwrap();
        std::os::unix::fs::symlink(root.join("real"), root.join("linked-dir.txt")).unwrap();
        std::os::unix::fs::symlink(root.join("nowhere.txt"), root.join("dangling.txt")).unwrap();
        let fifo =
            std::ffi::CString::new(root.join("pipe.txt").into_os_string().into_encoded_bytes())
                .unwrap();
        // SAFETY: mkfifo(3) reads a NUL-terminated path and nothing else.
        assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o600) }, 0);
        let found: Vec<PathBuf> = in_directory(root, false)
            .unwrap()
            .into_iter()
            .map(|f| f.path)
            .collect();
        assert_eq!(found, [root.join("linked.txt")]);
    }

    #[test]
    fn an_empty_directory_says_whether_subdirectories_hold_inputs() {
        let dir = tempfile::tempdir().unwrap();
        assert!(nothing_in(dir.path(), false).ends_with("(nor in its subdirectories)"));
        touch(&dir.path().join("2019/a.txt"));
        assert!(nothing_in(dir.path(), false).contains("1 in its subdirectories: use -r"));
    }
}
