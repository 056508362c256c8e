//! PDF input: the fixture PDFs of `fixtures/pdf/` (made from the fixture
//! texts by `fixtures/pdf/make_pdfs.py`, printed by Chromium and LibreOffice)
//! give the same records, goals and policies as the texts; bad PDFs are
//! refused with one line; the real PDFs of `../shared/real-pdf/` convert
//! without a wrong character when they are present.

mod common;

use common::build_pdf::PdfBuilder;
use common::*;
use keikaku::document::{FurnitureKind, WarningCode};
use keikaku::extract::CellColumns;
use keikaku::records::records;
use keikaku::Document;
use lopdf::dictionary;
use std::path::{Path, PathBuf};

fn pdf_path(name: &str) -> PathBuf {
    fixture_dir().join("pdf").join(name)
}

fn convert_pdf(name: &str) -> Document {
    keikaku::convert_path(&pdf_path(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn assert_same_records(stem: &str, pdf: &str, expected_count: usize) {
    let from_text = record_fields(&convert(stem));
    let from_pdf = record_fields(&convert_pdf(pdf));
    assert_eq!(from_text.len(), expected_count, "{stem}: text records");
    assert_eq!(from_pdf.len(), expected_count, "{pdf}: records");
    for (i, (t, p)) in from_text.iter().zip(&from_pdf).enumerate() {
        for (field, value) in t.as_object().unwrap() {
            assert_eq!(Some(value), p.get(field), "{pdf}: record {i} field {field}");
        }
    }
}

#[test]
fn tama_table_pdf_gives_the_76_records_of_the_text() {
    assert_same_records(TAMA_REPORT, "tama-progress-report-fy2019.chromium.pdf", 76);
}

#[test]
fn machida_report_pdfs_give_the_156_records_of_the_text() {
    assert_same_records(
        MACHIDA_REPORT,
        "machida-progress-report-fy2024.chromium.pdf",
        156,
    );
    assert_same_records(
        MACHIDA_REPORT,
        "machida-progress-report-fy2024.libreoffice.pdf",
        156,
    );
}

/// Goals and policies: number, title, priority, one line each.
fn outline(document: &Document) -> Vec<String> {
    let mut lines = Vec::new();
    for goal in &document.goals {
        lines.push(format!("goal {:?} {:?}", goal.number, goal.title));
        for policy in &goal.policies {
            lines.push(format!(
                "  policy {:?} {:?} priority {}",
                policy.number, policy.title, policy.priority
            ));
        }
    }
    lines
}

#[test]
fn prose_pdfs_give_the_goals_and_policies_of_their_texts() {
    for (stem, pdf) in [
        (TAMA_PLAN6_DRAFT, "tama-plan6-goals-draft.chromium.pdf"),
        (TAMA_PLAN6_DRAFT, "tama-plan6-goals-draft.libreoffice.pdf"),
        (TAMA_PLAN7_CHAPTER, "tama-plan7-goal2-chapter.chromium.pdf"),
        (
            SHAKYO_SUMMARY,
            "tama-shakyo-action-plan-summary.chromium.pdf",
        ),
    ] {
        let expected = outline(&convert(stem));
        assert!(!expected.is_empty(), "{stem} has goals");
        assert_eq!(outline(&convert_pdf(pdf)), expected, "{pdf}");
    }
}

#[test]
fn every_record_from_a_pdf_carries_its_page() {
    for pdf in [
        "tama-progress-report-fy2019.chromium.pdf",
        "machida-progress-report-fy2024.libreoffice.pdf",
    ] {
        let document = convert_pdf(pdf);
        let pages = document.source.page_count;
        let records = records(&document);
        assert!(records.iter().all(|r| r.page >= 1 && r.page <= pages));
        let first = records.first().unwrap().page;
        let last = records.last().unwrap().page;
        assert!(first < last, "{pdf}: records span pages {first}..{last}");
        let mut previous = 0;
        for record in &records {
            assert!(record.page >= previous, "{pdf}: pages run in order");
            previous = record.page;
        }
    }
}

/// Kangxi radicals, CJK radicals supplement, U+FFFD, the hyphenation point
/// pdf-extract gives for ・ in Type 3 fonts, private-use characters.
fn wrong_characters(text: &str) -> Vec<char> {
    text.chars()
        .filter(|&c| {
            matches!(c, '\u{2e80}'..='\u{2fdf}' | '\u{fffd}' | '\u{2027}' | '\u{e000}'..='\u{f8ff}')
        })
        .collect()
}

/// Converts `pdf` and checks that no wrong character reached the output,
/// and that none had to be repaired in normalization either: the PDF's own
/// text (its ActualText where its map is wrong) read right.
fn convert_without_wrong_characters(pdf: &Path) -> Document {
    let document = keikaku::convert_path(pdf).unwrap_or_else(|e| panic!("{}: {e}", pdf.display()));
    let json = serde_json::to_string(&document).unwrap();
    assert_eq!(
        wrong_characters(&json),
        Vec::<char>::new(),
        "{}",
        pdf.display()
    );
    let replaced: Vec<&str> = document
        .warnings
        .iter()
        .filter(|w| w.code == WarningCode::CharacterReplaced)
        .map(|w| w.message.as_str())
        .collect();
    assert_eq!(replaced, Vec::<&str>::new(), "{}", pdf.display());
    document
}

#[test]
fn no_radicals_replacement_characters_or_doubled_headings_in_pdf_output() {
    let pdfs: Vec<PathBuf> = std::fs::read_dir(fixture_dir().join("pdf"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
        .filter(|p| !p.to_string_lossy().contains("user-password"))
        .collect();
    assert!(pdfs.len() >= 8, "{pdfs:?}");
    for pdf in pdfs {
        let document = convert_without_wrong_characters(&pdf);
        for goal in &document.goals {
            let title = goal.title.clone().unwrap_or_default();
            assert!(!title.contains("基本目標"), "{}: {title}", pdf.display());
            let half = title.chars().count() / 2;
            let doubled: String = title.chars().take(half).collect();
            assert!(
                half < 2 || title != format!("{doubled}{doubled}"),
                "{}: doubled {title}",
                pdf.display()
            );
        }
    }
}

#[test]
fn fake_bold_glyph_copies_are_read_once_with_a_warning() {
    let document = convert_pdf("tama-progress-report-fy2019.chromium.pdf");
    let goal = &document.goals[0];
    assert_eq!(
        goal.title.as_deref(),
        Some("多様な主体が参加する地域づくり")
    );
    let warning = document
        .warnings
        .iter()
        .find(|w| w.line == goal.headings[0].line)
        .expect("a warning on the goal heading's line");
    assert!(warning.message.contains("fake bold"), "{}", warning.message);
}

#[test]
fn repeated_table_headers_are_listed_as_furniture_and_split_rows_joined() {
    let document = convert_pdf("tama-progress-report-fy2019.chromium.pdf");
    let repeated: Vec<_> = document
        .furniture
        .iter()
        .filter(|f| f.kind == FurnitureKind::RepeatedTableHeader)
        .collect();
    assert_eq!(repeated.len(), document.source.page_count as usize - 1);
    assert!(repeated.iter().all(|f| f.text.starts_with("基本方針\t")));
    let joined = document
        .warnings
        .iter()
        .filter(|w| w.code == keikaku::document::WarningCode::RowJoined)
        .count();
    assert!(joined >= 1, "a row split by a page break was joined");
}

#[test]
fn an_owner_password_pdf_converts_without_a_password() {
    let plain = outline(&convert_pdf("tama-plan6-goals-draft.chromium.pdf"));
    let owner = outline(&convert_pdf("tama-plan6-goals-draft.owner-password.pdf"));
    assert_eq!(owner, plain);
}

#[test]
fn a_user_password_pdf_needs_its_password() {
    let path = pdf_path("tama-plan6-goals-draft.user-password.pdf");
    let error = keikaku::convert_path(&path).unwrap_err().to_string();
    assert!(error.contains("--password"), "{error}");
    let options = keikaku::extract::ExtractOptions {
        password: Some("wrong".into()),
        ..Default::default()
    };
    let error = keikaku::convert_path_with(&path, &options)
        .unwrap_err()
        .to_string();
    assert!(error.contains("password given does not open it"), "{error}");
    let options = keikaku::extract::ExtractOptions {
        password: Some("open-sesame".into()),
        ..Default::default()
    };
    let document = keikaku::convert_path_with(&path, &options).unwrap();
    assert_eq!(outline(&document), outline(&convert(TAMA_PLAN6_DRAFT)));
}

#[test]
fn a_truncated_pdf_is_refused() {
    let bytes = std::fs::read(pdf_path("tama-plan6-goals-draft.chromium.pdf")).unwrap();
    assert_refused("cut.pdf", &bytes[..bytes.len() / 3], "PDF");
}

#[test]
fn a_pdf_encrypted_with_a_user_password_is_refused() {
    let bytes = std::fs::read(pdf_path("tama-plan6-goals-draft.user-password.pdf")).unwrap();
    assert_refused("locked.pdf", &bytes, "needs a password");
}

#[test]
fn an_image_only_pdf_is_refused_as_needing_ocr() {
    let mut builder = PdfBuilder::new();
    builder.image("Im0", 2, 2, vec![0, 255, 255, 0]);
    let bytes = builder.page(b"q 500 0 0 700 40 60 cm /Im0 Do Q");
    assert_refused("scan.pdf", &bytes, "OCR");
}

/// A form whose compressed content inflates to 80 MiB of spaces (80 KiB
/// in the file): refused before it is inflated past the 64 MiB cap.
#[test]
fn a_decompression_bomb_is_refused_not_inflated() {
    let mut builder = PdfBuilder::new();
    let mut bomb = lopdf::Stream::new(dictionary! {}, vec![b' '; 80 << 20]);
    bomb.compress().unwrap();
    assert!(bomb.content.len() < 1 << 20);
    builder.form_stream("Fx0", bomb);
    builder.alphabet_font("F1", "ab");
    let bytes = builder.page(b"BT /F1 12 Tf 50 700 Td (ab) Tj ET q /Fx0 Do Q");
    assert_refused("bomb.pdf", &bytes, "decompression bomb");
}

#[test]
fn bytes_that_are_not_a_pdf_are_refused() {
    assert_refused(
        "notes.pdf",
        "基本目標 1 これはテキスト".as_bytes(),
        "not a PDF",
    );
}

#[test]
fn a_cmap_no_reader_knows_is_reported_not_a_panic() {
    // A Type0 font with an encoding no PDF reader knows: pdf-extract
    // panicked on it ("unsupported encoding"); its codes are now read as
    // Identity-H, and with no ToUnicode to decode them the page has no
    // text, which the refusal explains.
    let mut builder = PdfBuilder::new();
    builder.font(
        "F1",
        dictionary! {
            "Type" => "Font", "Subtype" => "Type0", "BaseFont" => "Nothing",
            "Encoding" => "No-Such-CMap-H",
            "DescendantFonts" => vec![lopdf::Object::Dictionary(dictionary! {
                "Type" => "Font", "Subtype" => "CIDFontType2", "BaseFont" => "Nothing",
            })],
        },
    );
    let bytes = builder.page(b"BT /F1 12 Tf 72 720 Td <0041> Tj ET");
    assert_refused(
        "broken.pdf",
        &bytes,
        "PDF without any text (page 1: font Nothing: unsupported encoding No-Such-CMap-H; read as Identity-H)",
    );
}

#[test]
fn one_bad_pdf_does_not_stop_a_batch() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = dir.path().join("in");
    std::fs::create_dir(&inputs).unwrap();
    std::fs::copy(
        pdf_path("tama-plan6-goals-draft.libreoffice.pdf"),
        inputs.join("good.pdf"),
    )
    .unwrap();
    std::fs::write(inputs.join("bad.pdf"), b"%PDF-1.7\n garbage").unwrap();
    let out = dir.path().join("out");
    let output = keikaku()
        .arg("convert")
        .arg(&inputs)
        .arg("-o")
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let lines = stderr_lines(&output);
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert!(lines[0].contains("bad.pdf"));
    assert!(lines[1].starts_with("keikaku: 1 converted, 1 failed"));
    assert!(out.join("good.json").exists());
    assert!(!out.join("bad.json").exists());
}

/// The real PDFs of another municipality (Word and Ghostscript output),
/// when `../shared/real-pdf` is present: they cannot be committed here.
fn real_pdfs() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/real-pdf");
    let entries = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e} (build.rs found it: touch build.rs)", dir.display()));
    let mut pdfs: Vec<PathBuf> = entries
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
        .collect();
    pdfs.sort();
    assert!(!pdfs.is_empty(), "no PDF in {}", dir.display());
    pdfs
}

#[test]
#[cfg_attr(not(shared_real_pdf), ignore = "../shared/real-pdf is not present")]
fn real_pdfs_convert_without_wrong_characters() {
    for pdf in real_pdfs() {
        let document = convert_without_wrong_characters(&pdf);
        let json = serde_json::to_string(&document).unwrap();
        assert!(document.source.page_count >= 10, "{}", pdf.display());
        // Fake bold drawn four times (森森森森) is read once.
        assert!(!json.contains("森森"), "{}", pdf.display());
        let text = keikaku::extract_path(&pdf, &Default::default()).unwrap();
        let all = keikaku::extract::numbered_text(&text);
        assert!(!all.contains("ⅠⅠ"), "{}", pdf.display());
    }
}

/// A PDF's table rows as the later stages get them: the lines of several
/// cells or whose cells stand in known columns, with their line number,
/// each cell without white space (the action plan letter-spaces its
/// headers: `目　　標`).
fn table_rows(pdf: &Path) -> Vec<(u32, Vec<String>)> {
    let extracted = keikaku::extract_path(pdf, &Default::default()).unwrap();
    extracted
        .lines
        .iter()
        .filter(|line| line.cells.len() > 1 || line.columns == CellColumns::Known)
        .map(|line| {
            let cells = line
                .cells
                .iter()
                .map(|c| c.split_whitespace().collect())
                .collect();
            (line.location.line, cells)
        })
        .collect()
}

/// Issue 18: the real PDFs' tables come out as rows of cells, each cell in
/// its column: the strategy's overview table and its KPI tables (14 KPI
/// rows under the headers), the action plan's 目標 / 推進者 tables and its
/// check sheet (whose two columns to fill in are empty).
#[test]
#[cfg_attr(not(shared_real_pdf), ignore = "../shared/real-pdf is not present")]
fn the_real_pdfs_tables_come_out_as_rows_of_cells() {
    let pdfs = real_pdfs();
    let find = |name: &str| {
        pdfs.iter()
            .find(|p| p.to_string_lossy().contains(name))
            .unwrap()
    };
    let has = |rows: &[(u32, Vec<String>)], cells: &[&str]| rows.iter().any(|(_, r)| r == cells);

    let strategy = table_rows(find("sogo_senryaku"));
    assert!(has(
        &strategy,
        &[
            "基本目標（数値指標、2019年度）",
            "具体的な施策",
            "重要業績評価指標（ＫＰＩ）"
        ]
    ));
    assert!(has(
        &strategy,
        &[
            "短期移住体験者数",
            "９人（延べ２４３日）",
            "年１２人（延べ３００日）"
        ]
    ));
    assert!(has(
        &strategy,
        &["高齢者複合型施設関連の就業者数", "－", "５年間で２人"]
    ));
    // The KPI rows: the rows of three cells right under a KPI header.
    let mut kpi_rows = 0;
    for (k, (line, cells)) in strategy.iter().enumerate() {
        if !cells[0].starts_with("重要業績評価指標") {
            continue;
        }
        for (next_line, (row_line, row)) in (line + 1..).zip(&strategy[k + 1..]) {
            if *row_line != next_line || row.len() != 3 || row[0].starts_with("重要業績評価指標")
            {
                break;
            }
            kpi_rows += 1;
        }
    }
    assert_eq!(kpi_rows, 14);

    let action_plan = table_rows(find("koudou_keikaku"));
    assert!(has(&action_plan, &["目標", "推進者"]));
    assert!(has(
        &action_plan,
        &[
            "②出産費用の給付や、育児休業時の経済支援措置について、積極的に情報提供します。",
            "総務課長所属長"
        ]
    ));
    assert!(has(&action_plan, &["目標", "進捗状況等", "改善策等"]));
    // A target printed twice: with its 推進者 in the body, alone in the
    // check sheet's first column.
    let target: Vec<usize> = action_plan
        .iter()
        .filter(|(_, r)| r[0].starts_with("①母性保護及び母性の健康管理"))
        .map(|(_, r)| r.len())
        .collect();
    assert_eq!(target, [2, 1]);
}

/// The strategy PDF's goals carry no 基本目標 marker (`１．title` on their
/// own pages), but its text announces four: they come out, with the
/// 具体的な施策 ① under each as its policies and the ＜主な事業＞ bullets as
/// their initiatives, as `../shared/real-pdf/README.md` describes them. The
/// traps before them (contents, overview table, a quoted plan's goals, a
/// PDCA list) give no goal.
#[test]
#[cfg_attr(not(shared_real_pdf), ignore = "../shared/real-pdf is not present")]
fn the_real_strategy_pdf_gives_its_announced_goals() {
    let pdf = real_pdfs()
        .into_iter()
        .find(|p| p.to_string_lossy().contains("sogo_senryaku"))
        .expect("the strategy PDF is in ../shared/real-pdf");
    let document = convert_without_wrong_characters(&pdf);
    let goals: Vec<(u32, &str, usize)> = document
        .goals
        .iter()
        .map(|g| {
            (
                g.number,
                g.title.as_deref().unwrap_or_default(),
                g.headings.len(),
            )
        })
        .collect();
    assert_eq!(
        goals,
        [
            (1, "村の振興の要となる高校の機能強化", 1),
            (2, "卒業生のための雇用の場の創出", 1),
            (3, "高校を軸とした人の流れの促進", 1),
            (4, "高校生参加による個性的で魅力ある村づくり", 1),
        ]
    );
    let policies: Vec<usize> = document.goals.iter().map(|g| g.policies.len()).collect();
    assert_eq!(policies, [1, 2, 3, 1]);
    assert_eq!(
        document.goals[1].policies[1].title.as_deref(),
        Some("新規就農者・農業後継者の育成強化")
    );
    let records = records(&document);
    let initiatives = records
        .iter()
        .filter(|r| r.kind == keikaku::records::RecordKind::Initiative);
    assert_eq!(initiatives.count(), 26);
    let reposted: Vec<&str> = document
        .goals
        .iter()
        .flat_map(|g| &g.policies)
        .flat_map(|p| &p.initiatives)
        .filter(|i| i.reposted_from.is_some())
        .filter_map(|i| i.name.as_deref())
        .collect();
    assert_eq!(
        reposted,
        ["【再掲】村立おといねっぷ美術工芸高等学校振興事業"]
    );
    // The contents are kept as such; only the PDCA list is left unplaced.
    let contents = document
        .sections
        .iter()
        .find(|s| s.kind == keikaku::document::SectionKind::Contents)
        .expect("a table of contents");
    assert_eq!(contents.paragraphs.len(), 18);
    let first_goal_page = document.goals[0].headings[0].page;
    assert!(
        document.unplaced.iter().all(|u| u.page < first_goal_page),
        "{:?}",
        document.unplaced
    );
}

/// The strategy's 14 KPI rows (its ◎施策の目標 tables: 重要業績評価指標（ＫＰＩ）
/// / 現状値（2014年度） / 目標値（2019年度）), read by hand from the PDF: each
/// an indicator under its goal and 具体的な施策, with its baseline and target
/// values, units, periods and years (a `－` baseline is a value of none).
#[test]
#[cfg_attr(not(shared_real_pdf), ignore = "../shared/real-pdf is not present")]
fn the_real_strategy_pdf_gives_its_14_indicators() {
    type Value = (Option<f64>, Option<&'static str>, Option<u32>);
    let none: Value = (None, None, None);
    #[rustfmt::skip]
    let expected: [(u32, u32, &str, Value, Value); 14] = [
        (1, 1, "中学校訪問実施校数", (Some(111.0), Some("校"), Some(1)), (Some(111.0), Some("校"), Some(1))),
        (2, 1, "バイオガスプラント事業関連就業者数", none, (Some(1.0), Some("人"), Some(5))),
        (2, 1, "高齢者複合型施設関連の就業者数", none, (Some(2.0), Some("人"), Some(5))),
        (2, 2, "新規就農者数", none, (Some(3.0), Some("人"), Some(5))),
        (2, 2, "農業後継者数", none, (Some(2.0), Some("人"), Some(5))),
        (3, 1, "高齢者複合型施設就業に関わるUターン者数", none, (Some(5.0), Some("人"), Some(5))),
        (3, 1, "短期移住体験者数", (Some(9.0), Some("人"), None), (Some(12.0), Some("人"), Some(1))),
        (3, 2, "展覧会の開催数", (Some(1.0), Some("回"), Some(1)), (Some(1.0), Some("回"), Some(1))),
        (3, 2, "学校紹介DVDの制作", none, none),
        (3, 2, "おといねっぷ美術工芸高等学校応援団の組織化", none, (Some(1.0), Some("組織"), Some(5))),
        (3, 3, "レクサンド校への生徒派遣数", (Some(3.0), Some("人"), None), (Some(3.0), Some("人"), Some(1))),
        (3, 3, "留学生の受入数", (Some(2.0), Some("人"), None), (Some(3.0), Some("人"), Some(1))),
        (3, 3, "大学との連携授業数", (Some(3.0), Some("回"), None), (Some(3.0), Some("回"), Some(1))),
        (4, 1, "高校生によりデザイン化された村内施設数", none, (Some(2.0), Some("か所"), Some(5))),
    ];
    let pdf = real_pdfs()
        .into_iter()
        .find(|p| p.to_string_lossy().contains("sogo_senryaku"))
        .expect("the strategy PDF is in ../shared/real-pdf");
    let document = convert_without_wrong_characters(&pdf);
    let value_of = |q: &Option<keikaku::document::Quantity>| {
        let q = q.as_ref().expect("the column has a cell");
        assert!(!q.raw.is_empty());
        ((q.value, q.unit.clone(), q.period_years), q.year)
    };
    let mut found = Vec::new();
    for goal in &document.goals {
        assert!(goal.indicators.is_empty(), "goal {}", goal.number);
        for policy in &goal.policies {
            for indicator in &policy.indicators {
                found.push((goal.number, policy.number, indicator));
            }
        }
    }
    assert_eq!(found.len(), 14);
    for ((goal, policy, indicator), (g, p, name, baseline, target)) in found.iter().zip(expected) {
        assert_eq!((*goal, *policy, indicator.name.as_str()), (g, p, name));
        let own = |v: Value| (v.0, v.1.map(str::to_string), v.2);
        assert_eq!(
            value_of(&indicator.baseline),
            (own(baseline), Some(2014)),
            "{name}"
        );
        assert_eq!(
            value_of(&indicator.target),
            (own(target), Some(2019)),
            "{name}"
        );
    }
}

/// The action plan PDF names no level word: 第１章 is its background, 第２章
/// holds three sections `１`–`３` with their `(１)` items (ten), and under
/// those the targets ① as rows of a 目標 / 推進者 table (27; the two of
/// section ３ are sentences, not rows). The progress sheet at its end lists
/// the same items again and is merged into them.
#[test]
#[cfg_attr(not(shared_real_pdf), ignore = "../shared/real-pdf is not present")]
fn the_real_action_plan_pdf_gives_its_chapter_items() {
    let pdf = real_pdfs()
        .into_iter()
        .find(|p| p.to_string_lossy().contains("koudou_keikaku"))
        .expect("the action plan PDF is in ../shared/real-pdf");
    let document = convert_without_wrong_characters(&pdf);
    let goals: Vec<(u32, &str)> = document
        .goals
        .iter()
        .map(|g| (g.number, g.title.as_deref().unwrap_or_default()))
        .collect();
    assert_eq!(goals, [(2, "具体的な内容")]);
    let measures: Vec<usize> = document.goals[0]
        .policies
        .iter()
        .map(|p| p.measures.len())
        .collect();
    assert_eq!(measures, [5, 3, 2]);
    let targets: Vec<usize> = document.goals[0]
        .policies
        .iter()
        .flat_map(|p| &p.measures)
        .map(|m| m.initiatives.len())
        .collect();
    // Section ３ writes its two measures as prose; their targets are the
    // ones the progress check sheet prints after each title.
    assert_eq!(targets, [4, 1, 5, 4, 6, 2, 1, 4, 1, 1]);
    let target = |policy: usize, measure: usize, item: usize| {
        let initiative = &document.goals[0].policies[policy].measures[measure].initiatives[item];
        (
            initiative.number,
            initiative.name.as_deref().unwrap_or_default(),
        )
    };
    let first = target(0, 0, 0);
    assert_eq!(first.0, Some(1));
    assert!(first.1.starts_with("母性保護及び母性の健康管理"));
    // A single target printed without ① is still the target's name.
    let unnumbered = target(0, 1, 0);
    assert_eq!(unnumbered.0, None);
    assert!(unnumbered.1.starts_with("休暇で認めている男性職員"));
    assert_eq!(
        target(2, 0, 0),
        (
            None,
            "採用試験からの採用者に占める割合を50%程度とするよう努めます。"
        )
    );
    assert_eq!(
        target(2, 1, 0),
        (None, "女性管理職を3名程度の登用をめざします。")
    );
    let records = records(&document);
    assert_eq!(records.len(), 29);
    assert_eq!(records[0].departments, ["総務課長", "所属長"]);
    // Every target of the body's tables has its 推進者; the two from the
    // check sheet have none printed.
    let without_departments: Vec<usize> = records
        .iter()
        .enumerate()
        .filter(|(_, r)| r.departments.is_empty())
        .map(|(i, _)| i)
        .collect();
    assert_eq!(without_departments, [27, 28]);
}

#[test]
fn every_glyph_of_every_fixture_pdf_is_in_one_line() {
    let mut checked = 0;
    let folders = [
        "pdf",
        "layouts",
        "tables",
        "tables-holdout",
        "indicators/pdf",
        "indicators-holdout2/pdf",
        "indicators-holdout3/pdf",
    ]
    .map(|f| std::fs::read_dir(fixture_dir().join(f)).unwrap());
    for entry in folders.into_iter().flatten() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        // The one fixture that needs a password is the same PDF as the
        // owner-password one, which is checked.
        if !name.ends_with(".pdf") || name.contains("user-password") {
            continue;
        }
        let bytes = std::fs::read(&path).unwrap();
        glyphs::check_accounting(&bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
        checked += 1;
    }
    assert!(checked >= 50, "{checked} fixture PDFs checked");
}

#[test]
#[cfg_attr(not(shared_real_pdf), ignore = "../shared/real-pdf is not present")]
fn every_glyph_of_the_real_pdfs_is_in_one_line() {
    for pdf in real_pdfs() {
        let bytes = std::fs::read(&pdf).unwrap();
        glyphs::check_accounting(&bytes).unwrap_or_else(|e| panic!("{}: {e}", pdf.display()));
    }
}
