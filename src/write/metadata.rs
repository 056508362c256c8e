//! What a Data Package says about the data besides its files: name, title,
//! description, publisher, source URLs, keywords, version and licence
//! ([`PackageMetadata`]), given as options of `keikaku convert`, in a
//! `keikaku.toml` beside the inputs, or both (the options win).
//!
//! ```toml
//! title = "町田市地域福祉計画 進捗状況"
//! description = "第4次町田市地域福祉計画の取組と、その年度の進捗"
//! publisher = "町田市 地域福祉部"
//! source_urls = ["https://www.city.machida.tokyo.jp/"]
//! keywords = ["地域福祉", "町田市"]
//! version = "2024.1"
//! license = "gov-std-2.0"
//! name = "machida-welfare-plan"
//! ```
//!
//! Each value is checked where it is read: a licence must be an SPDX
//! identifier or one of the Japanese public terms ([`License`]), a URL must
//! be http(s) ([`SourceUrl`]), a name must be a Data Package name
//! ([`PackageName`]); a key keikaku does not know is an error naming the
//! file and the key.

use serde::Deserialize;
use std::path::{Path, PathBuf};
use std::str::FromStr;

/// The name of the metadata file looked for beside the inputs.
pub const METADATA_FILE: &str = "keikaku.toml";

/// The licence of the data when none is given: most municipalities publish
/// under 政府標準利用規約 2.0 or 公共データ利用規約 1.0, both compatible with it.
pub const DEFAULT_LICENSE: &str = "CC-BY-4.0";

/// The Data Package's metadata. Every field is optional: what is not given
/// is derived (name, title) or left out of `datapackage.json`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PackageMetadata {
    /// The package's name (`name`), else derived from the title or the
    /// municipality ([`crate::write::datapackage`]).
    pub name: Option<PackageName>,
    /// Its title, else one naming the municipality if all inputs are of one.
    pub title: Option<String>,
    /// A description (Markdown).
    pub description: Option<String>,
    /// Who publishes the data: a `contributors` entry of role `publisher`.
    pub publisher: Option<String>,
    /// Where the documents were published: `sources` entries ahead of the
    /// input files.
    #[serde(default)]
    pub source_urls: Vec<SourceUrl>,
    /// Keywords (`keywords`); an entry with commas (`,` or `、`) is several.
    #[serde(default)]
    pub keywords: Vec<String>,
    /// The version of the data (`version`), any text (`2024.1`, `1.0.0`).
    pub version: Option<String>,
    /// The licence, else [`DEFAULT_LICENSE`].
    pub license: Option<License>,
}

impl PackageMetadata {
    /// Reads a `keikaku.toml`. An error is one line naming the file, the
    /// line and the reason (an unknown key, a licence not on the list, a
    /// value of the wrong type).
    pub fn from_toml(text: &str, path: &Path) -> Result<PackageMetadata, String> {
        toml::from_str::<PackageMetadata>(text).map_err(|error| {
            let line = error
                .span()
                .map(|span| format!(" line {}:", text[..span.start].matches('\n').count() + 1));
            format!(
                "{}:{} {}",
                path.display(),
                line.unwrap_or_default(),
                error.message().trim().replace('\n', " ")
            )
        })
    }

    /// Reads the `keikaku.toml` at `path`, if there is one.
    pub fn load(path: &Path) -> Result<Option<PackageMetadata>, String> {
        match std::fs::read(path) {
            Ok(bytes) => {
                let text = String::from_utf8(bytes)
                    .map_err(|_| format!("{}: not UTF-8 text", path.display()))?;
                PackageMetadata::from_toml(&text, path).map(Some)
            }
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(error) => Err(format!("{}: cannot read: {error}", path.display())),
        }
    }

    /// The `keikaku.toml` beside the inputs: in the first input if it is a
    /// directory, else in the directory of the first input file (`files`:
    /// the inputs expanded, for when they were listed on standard input).
    pub fn file_beside(inputs: &[PathBuf], files: &[PathBuf]) -> Option<PathBuf> {
        let first = inputs
            .iter()
            .find(|i| i.as_os_str() != "-")
            .or(files.first())?;
        let directory = if first.is_dir() {
            first.as_path()
        } else {
            first.parent().unwrap_or(Path::new(""))
        };
        let directory = match directory.as_os_str().is_empty() {
            true => Path::new("."),
            false => directory,
        };
        Some(directory.join(METADATA_FILE))
    }

    /// The metadata of a batch: the `keikaku.toml` beside the inputs (if
    /// any), each of its values replaced by the one in `given` (the
    /// command's options) where that is given.
    pub fn for_inputs(
        inputs: &[PathBuf],
        files: &[PathBuf],
        given: PackageMetadata,
    ) -> Result<PackageMetadata, String> {
        let file = match PackageMetadata::file_beside(inputs, files) {
            Some(path) => PackageMetadata::load(&path)?.unwrap_or_default(),
            None => PackageMetadata::default(),
        };
        Ok(file.overridden_by(given))
    }

    /// These values, each replaced by `other`'s where `other` gives one (a
    /// list where `other`'s is not empty).
    pub fn overridden_by(self, other: PackageMetadata) -> PackageMetadata {
        fn list<T>(mine: Vec<T>, theirs: Vec<T>) -> Vec<T> {
            match theirs.is_empty() {
                true => mine,
                false => theirs,
            }
        }
        PackageMetadata {
            name: other.name.or(self.name),
            title: other.title.or(self.title),
            description: other.description.or(self.description),
            publisher: other.publisher.or(self.publisher),
            source_urls: list(self.source_urls, other.source_urls),
            keywords: list(self.keywords, other.keywords),
            version: other.version.or(self.version),
            license: other.license.or(self.license),
        }
    }

    /// The keywords: entries split at `,` and `、`, trimmed, without empty
    /// ones or repeats, in order.
    pub fn keyword_list(&self) -> Vec<String> {
        let mut list: Vec<String> = Vec::new();
        for word in self.keywords.iter().flat_map(|k| k.split([',', '、'])) {
            let word = word.trim();
            if !word.is_empty() && !list.iter().any(|w| w == word) {
                list.push(word.to_string());
            }
        }
        list
    }

    /// The licence, or [`DEFAULT_LICENSE`].
    pub fn license_or_default(&self) -> License {
        self.license.clone().unwrap_or_else(|| {
            DEFAULT_LICENSE
                .parse()
                .expect("the default licence is on the SPDX list")
        })
    }
}

/// A Data Package name: lower-case letters, digits and `-._/`, as the
/// Frictionless specification requires (`^([-a-z0-9._/])+$`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub struct PackageName(String);

impl PackageName {
    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for PackageName {
    type Err = String;

    fn from_str(name: &str) -> Result<PackageName, String> {
        let valid = !name.is_empty()
            && name
                .chars()
                .all(|c| matches!(c, 'a'..='z' | '0'..='9' | '-' | '.' | '_' | '/'));
        match valid {
            true => Ok(PackageName(name.to_string())),
            false => Err(format!(
                "{name:?} is not a Data Package name (lower-case a-z, 0-9 and - . _ / only)"
            )),
        }
    }
}

/// An http or https URL with a host, and no spaces or control characters.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub struct SourceUrl(String);

impl SourceUrl {
    /// The URL.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for SourceUrl {
    type Err = String;

    fn from_str(url: &str) -> Result<SourceUrl, String> {
        let lower = url.to_ascii_lowercase();
        let rest = lower
            .strip_prefix("https://")
            .or_else(|| lower.strip_prefix("http://"));
        let host = rest.map(|r| r.split(['/', '?', '#']).next().unwrap_or(""));
        let host_ok = host.is_some_and(|h| {
            let h = h.rsplit('@').next().unwrap_or("");
            !h.is_empty() && !h.starts_with(':')
        });
        if !host_ok || url.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(format!(
                "{url:?} is not an http(s) URL (like https://www.city.example.lg.jp/plan.pdf)"
            ));
        }
        Ok(SourceUrl(url.to_string()))
    }
}

/// A licence: an identifier of the SPDX License List (the `spdx` crate's
/// copy, [`spdx::identifiers::VERSION`]), or one of Japan's public terms of
/// use that the list lacks, [`JAPANESE_TERMS`]. Identifiers are matched
/// without regard to case and kept in their listed form.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub struct License {
    /// The identifier (`CC-BY-4.0`, `gov-std-2.0`).
    pub id: String,
    /// Its title.
    pub title: String,
    /// Where its text is.
    pub url: String,
}

/// Japan's public terms of use, not on the SPDX list: identifier, title,
/// URL. Both are compatible with CC BY 4.0 by their own words.
pub const JAPANESE_TERMS: &[(&str, &str, &str)] = &[
    (
        "gov-std-2.0",
        "政府標準利用規約（第2.0版）",
        "https://www.kantei.go.jp/jp/singi/it2/densi/kettei/gl2_betten_1.pdf",
    ),
    (
        "PDL-1.0",
        "公共データ利用規約（第1.0版）",
        "https://www.digital.go.jp/resources/open_data/public_data_license_v1.0",
    ),
];

/// Canonical pages of common open-data licences (others get their page on
/// spdx.org).
const LICENSE_PAGES: &[(&str, &str)] = &[
    ("CC-BY-4.0", "https://creativecommons.org/licenses/by/4.0/"),
    (
        "CC0-1.0",
        "https://creativecommons.org/publicdomain/zero/1.0/",
    ),
    ("ODC-By-1.0", "https://opendatacommons.org/licenses/by/1-0/"),
];

impl FromStr for License {
    type Err = String;

    fn from_str(id: &str) -> Result<License, String> {
        let id = id.trim();
        if let Some((id, title, url)) = JAPANESE_TERMS
            .iter()
            .find(|(known, _, _)| known.eq_ignore_ascii_case(id))
        {
            return Ok(License {
                id: id.to_string(),
                title: title.to_string(),
                url: url.to_string(),
            });
        }
        match spdx::identifiers::LICENSES
            .iter()
            .find(|l| l.name.eq_ignore_ascii_case(id))
        {
            Some(listed) => Ok(License {
                id: listed.name.to_string(),
                title: listed.full_name.to_string(),
                url: LICENSE_PAGES
                    .iter()
                    .find(|(known, _)| *known == listed.name)
                    .map(|(_, page)| page.to_string())
                    .unwrap_or_else(|| format!("https://spdx.org/licenses/{}.html", listed.name)),
            }),
            None => Err(format!(
                "unknown licence {id:?}: use an identifier of the SPDX License List {} (https://spdx.org/licenses/), or gov-std-2.0 or PDL-1.0",
                spdx::identifiers::VERSION
            )),
        }
    }
}

/// `TryFrom<String>` by `FromStr`, so that serde checks a value of
/// keikaku.toml as clap checks an option's.
macro_rules! try_from_string {
    ($($type:ty),*) => {$(
        impl TryFrom<String> for $type {
            type Error = String;

            fn try_from(text: String) -> Result<$type, String> {
                text.parse()
            }
        }
    )*};
}

try_from_string!(PackageName, SourceUrl, License);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn licences_are_checked_against_the_list() {
        let cc: License = "cc-by-4.0".parse().unwrap();
        assert_eq!(cc.id, "CC-BY-4.0");
        assert_eq!(cc.url, "https://creativecommons.org/licenses/by/4.0/");
        let mit: License = "MIT".parse().unwrap();
        assert_eq!(mit.url, "https://spdx.org/licenses/MIT.html");
        let gov: License = "gov-std-2.0".parse().unwrap();
        assert!(gov.url.starts_with("https://www.kantei.go.jp/"));
        assert!("PDL-1.0".parse::<License>().is_ok());
        let error = "CC-BY-5.0".parse::<License>().unwrap_err();
        assert!(error.contains("\"CC-BY-5.0\"") && error.contains("spdx.org/licenses"));
        assert!(!error.contains('\n'));
    }

    #[test]
    fn urls_and_names_are_checked() {
        assert!("https://www.city.machida.tokyo.jp/a.pdf"
            .parse::<SourceUrl>()
            .is_ok());
        assert!("HTTP://example.jp".parse::<SourceUrl>().is_ok());
        for bad in ["ftp://example.jp", "https://", "example.jp", "https://a b"] {
            assert!(bad.parse::<SourceUrl>().is_err(), "{bad}");
        }
        assert!("machida-plan.2024".parse::<PackageName>().is_ok());
        for bad in ["Machida", "町田", "", "a b"] {
            assert!(bad.parse::<PackageName>().is_err(), "{bad}");
        }
    }

    #[test]
    fn the_file_is_overridden_by_the_options() {
        let path = Path::new("keikaku.toml");
        let file = PackageMetadata::from_toml(
            "title = \"T\"\nkeywords = [\"a, b\", \"c\"]\nversion = \"1\"\n",
            path,
        )
        .unwrap();
        assert_eq!(file.keyword_list(), ["a", "b", "c"]);
        let given = PackageMetadata {
            version: Some("2".into()),
            ..PackageMetadata::default()
        };
        let merged = file.overridden_by(given);
        assert_eq!(merged.version.as_deref(), Some("2"));
        assert_eq!(merged.title.as_deref(), Some("T"));
        let error =
            PackageMetadata::from_toml("title = \"T\"\nauthor = \"x\"\n", path).unwrap_err();
        assert!(error.starts_with("keikaku.toml: line 2:"), "{error}");
        assert!(error.contains("author"), "{error}");
        let error = PackageMetadata::from_toml("license = \"Nope\"\n", path).unwrap_err();
        assert!(error.contains("unknown licence \"Nope\""), "{error}");
    }
}
