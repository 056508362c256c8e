//! The review report (`keikaku report`, issue 20), read back two ways:
//!
//! - parsed as HTML (the `scraper` crate, no browser): every warning and
//!   every unplaced line of each document's JSON is in its page, in order,
//!   linked to an element of the source view that is its line; the records
//!   table has the CSV's columns and cells; every line of a text and every
//!   glyph of a PDF page is drawn;
//! - opened in Chromium (`headless_chrome`; ignored, with the reason, where
//!   there is no Chromium): the outline, the table and the source view are
//!   there, a click on a record highlights its lines, a click on a line
//!   tells where it went, sorting and filtering work, no console error, no
//!   request leaves the page, everything is readable with the script off; a
//!   screenshot of one report per kind of input goes to
//!   `target/report-screenshots/`, and a 100-page PDF's report is timed
//!   (`target/report-timing.md`).

mod common;

use common::{fixture_dir, keikaku};
use scraper::{ElementRef, Html, Selector};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// One kind of input and the files of that kind the tests read.
struct Kind {
    name: &'static str,
    files: Vec<PathBuf>,
}

fn files_in(folder: &Path, keep: impl Fn(&str) -> bool) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(folder)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().is_some_and(|n| keep(&n.to_string_lossy())))
        .collect();
    files.sort();
    files
}

/// The inputs: the five fixture texts, the fixture PDFs (but the one that
/// needs a password), a layout of each kind (columns, boxes, rotated,
/// vertical, another producer), and the real PDFs when `../shared` is
/// there.
fn kinds() -> Vec<Kind> {
    let fixtures = fixture_dir();
    let mut kinds = vec![
        Kind {
            name: "text",
            files: files_in(&fixtures.join("input"), |n| n.ends_with(".txt")),
        },
        Kind {
            name: "pdf",
            files: files_in(&fixtures.join("pdf"), |n| {
                n.ends_with(".pdf") && !n.contains("user-password")
            }),
        },
        Kind {
            name: "layouts",
            files: files_in(&fixtures.join("layouts"), |n| {
                n.ends_with(".pdf")
                    && [
                        "tama-plan6-goals-draft.two-columns.libreoffice",
                        "tama-plan6-goals-draft.vertical.chromium",
                        "tama-plan6-goals-draft.three-columns.reportlab",
                        "tama-plan7-goal2-chapter.boxed-lists.chromium",
                        "tama-progress-report-fy2019.landscape-rotated.chromium",
                    ]
                    .iter()
                    .any(|stem| n.starts_with(stem))
            }),
        },
    ];
    let real = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/real-pdf");
    if cfg!(shared_real_pdf) {
        kinds.push(Kind {
            name: "real-pdf",
            files: files_in(&real, |n| n.ends_with(".pdf")),
        });
    }
    kinds
}

/// Runs `keikaku report` and `keikaku convert` on a kind's files into
/// `<tmp>/report-tests/<test>/<kind>/` (a folder per test: the tests run at
/// once), and gives the pages and the JSON of each input by its stem.
fn report_and_json(test: &str, kind: &Kind) -> (PathBuf, BTreeMap<String, Value>) {
    let out = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("report-tests")
        .join(test)
        .join(kind.name);
    let _ = std::fs::remove_dir_all(&out);
    keikaku()
        .arg("report")
        .args(&kind.files)
        .arg("-o")
        .arg(out.join("html"))
        .assert()
        .success();
    keikaku()
        .arg("convert")
        .args(&kind.files)
        .arg("-o")
        .arg(out.join("json/"))
        .assert()
        .success();
    let documents = kind
        .files
        .iter()
        .map(|f| {
            let stem = f.file_stem().unwrap().to_string_lossy().into_owned();
            let json =
                std::fs::read_to_string(out.join("json").join(format!("{stem}.json"))).unwrap();
            (stem, serde_json::from_str(&json).unwrap())
        })
        .collect();
    (out.join("html"), documents)
}

fn select<'a>(html: &'a Html, selector: &str) -> Vec<ElementRef<'a>> {
    html.select(&Selector::parse(selector).unwrap()).collect()
}

fn text_of(element: &ElementRef) -> String {
    element.text().collect()
}

/// The element a link `#Ln` lands on: it must be the source view's element
/// for line n.
fn assert_lands_on_its_line(html: &Html, href: &str, line: u64, what: &str) {
    assert_eq!(href, format!("#L{line}"), "{what}: link");
    let target = select(html, &format!("[id=\"L{line}\"]"));
    assert_eq!(target.len(), 1, "{what}: one element is line {line}");
    assert_eq!(
        target[0].value().attr("data-l"),
        Some(line.to_string().as_str()),
        "{what}: the element of line {line} says it is"
    );
}

/// The rows of the section `id` (`warnings`, `unplaced`), one per entry of
/// the JSON `entries`, in order, each linked to its entry's line: each
/// entry with its row's two cells of words.
fn rows_against<'a>(
    html: &Html,
    stem: &str,
    id: &str,
    entries: &'a [Value],
) -> Vec<(&'a Value, [String; 2])> {
    let rows = select(html, &format!("#{id} tbody tr"));
    assert_eq!(rows.len(), entries.len(), "{stem}: {id}");
    rows.iter()
        .zip(entries)
        .map(|(row, entry)| {
            let line = entry["line"].as_u64().unwrap();
            let what = format!("{stem}: {id} at line {line}");
            let cells: Vec<ElementRef> = row.children().filter_map(ElementRef::wrap).collect();
            let link = cells[0]
                .select(&Selector::parse("a").unwrap())
                .next()
                .unwrap();
            assert_eq!(
                text_of(&link),
                format!("p.{} l.{line}", entry["page"]),
                "{what}"
            );
            assert_lands_on_its_line(html, link.value().attr("href").unwrap(), line, &what);
            (entry, [text_of(&cells[1]), text_of(&cells[2])])
        })
        .collect()
}

#[test]
fn every_warning_and_unplaced_line_is_in_the_report_linked_to_its_line() {
    let mut counted = (0, 0);
    for kind in kinds() {
        let (pages, documents) = report_and_json("linked", &kind);
        for (stem, document) in &documents {
            let page = std::fs::read_to_string(pages.join(format!("{stem}.html"))).unwrap();
            let html = Html::parse_document(&page);
            let warnings = document["warnings"].as_array().unwrap();
            for (warning, [code, message]) in rows_against(&html, stem, "warnings", warnings) {
                let line = warning["line"].as_u64().unwrap();
                let what = format!("{stem}: warning at line {line}");
                assert_eq!(code, warning["code"].as_str().unwrap(), "{what}");
                assert_eq!(message, warning["message"].as_str().unwrap(), "{what}");
                // The line itself says so in the source view.
                let element = select(&html, &format!("[id=\"L{line}\"]"))[0];
                let title = element.value().attr("title").unwrap_or_default();
                assert!(
                    title.contains(&format!("warning {code}: ")),
                    "{what}: the line's title {title:?}"
                );
                assert!(element.value().classes().any(|c| c == "warn"), "{what}");
            }
            let unplaced = document["unplaced"].as_array().unwrap();
            for (entry, [text, reason]) in rows_against(&html, stem, "unplaced", unplaced) {
                let line = entry["line"].as_u64().unwrap();
                let what = format!("{stem}: unplaced line {line}");
                assert_eq!(text, entry["text"].as_str().unwrap(), "{what}");
                assert_eq!(reason, entry["reason"].as_str().unwrap(), "{what}");
                let element = select(&html, &format!("[id=\"L{line}\"]"))[0];
                assert!(
                    element.value().classes().any(|c| c == "unplaced"),
                    "{what}: marked unplaced in the source view"
                );
            }
            counted.0 += warnings.len();
            counted.1 += unplaced.len();
        }
    }
    assert!(counted.0 > 100 && counted.1 > 0, "checked {counted:?}");
}

#[test]
fn the_records_table_has_the_csv_columns_and_cells() {
    let fixtures = fixture_dir().join("input");
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("report-records");
    let _ = std::fs::remove_dir_all(&out);
    let input = fixtures.join("machida-progress-report-fy2024.txt");
    keikaku()
        .args(["convert", "--format", "html,csv", "-o"])
        .arg(&out)
        .arg(&input)
        .assert()
        .success();
    let mut csv = csv::Reader::from_path(out.join("records.csv")).unwrap();
    let header: Vec<String> = csv.headers().unwrap().iter().map(str::to_string).collect();
    let rows: Vec<Vec<String>> = csv
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect();
    let page = std::fs::read_to_string(out.join("machida-progress-report-fy2024.html")).unwrap();
    let html = Html::parse_document(&page);
    let columns: Vec<String> = select(&html, "#records-table thead th button")
        .iter()
        .map(text_of)
        .collect();
    assert_eq!(columns, header);
    let table_rows = select(&html, "#records-table tbody tr");
    assert_eq!(table_rows.len(), rows.len());
    assert!(rows.len() > 100);
    for (index, (row, expected)) in table_rows.iter().zip(&rows).enumerate() {
        let cells: Vec<String> = row
            .children()
            .filter_map(ElementRef::wrap)
            .skip(1)
            .map(|c| text_of(&c))
            .collect();
        assert_eq!(&cells, expected, "record {}", index + 1);
    }
    // The index lists the input and links to its page.
    let index = Html::parse_document(&std::fs::read_to_string(out.join("index.html")).unwrap());
    let links: Vec<String> = select(&index, "#index-table a")
        .iter()
        .map(|a| a.value().attr("href").unwrap().to_string())
        .collect();
    assert_eq!(links, ["machida-progress-report-fy2024.html"]);
}

#[test]
fn the_diff_page_shows_each_change_under_its_goal() {
    let dir = tempfile::tempdir().unwrap();
    let expected = fixture_dir().join("expected");
    let old = expected.join("machida-progress-report-fy2024.records.jsonl");
    let mut records: Vec<Value> = std::fs::read_to_string(&old)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    // Record 41 (goal 3) gets another mark; the last record of goal 1 is
    // removed.
    let record = records.iter_mut().find(|r| r["number"] == 41).unwrap();
    let old_mark = record["progress_mark"].as_str().unwrap().to_string();
    let new_mark = if old_mark == "○" { "△" } else { "○" };
    record["progress_mark"] = Value::from(new_mark);
    let goal_three = record["goal_title"].as_str().unwrap().to_string();
    let last_of_goal_one = records.iter().rposition(|r| r["goal_number"] == 1).unwrap();
    let removed = records.remove(last_of_goal_one);
    let new = dir.path().join("new.jsonl");
    let text: String = records.iter().map(|r| format!("{r}\n")).collect();
    std::fs::write(&new, text).unwrap();
    let page_path = dir.path().join("diff.html");
    keikaku()
        .arg("diff")
        .arg(&old)
        .arg(&new)
        .arg("--html")
        .arg(&page_path)
        .assert()
        .code(1);
    let html = Html::parse_document(&std::fs::read_to_string(&page_path).unwrap());
    let status = select(&html, "#summary [role=status]");
    assert_eq!(text_of(&status[0]), "1 changed, 0 added, 1 removed");
    let goal_three_rows = select(&html, "section#goal-3 tbody tr");
    assert_eq!(goal_three_rows.len(), 1);
    let row = text_of(&goal_three_rows[0]);
    assert!(row.contains("No.41"), "{row}");
    assert!(
        row.contains(&format!("progress_mark\"{old_mark}\" → \"{new_mark}\"")),
        "{row}"
    );
    let heading = text_of(&select(&html, "section#goal-3 h2")[0]);
    assert_eq!(heading, format!("goal 3: {goal_three}"));
    let goal_one_rows = select(&html, "section#goal-1 tbody tr.removed");
    assert_eq!(goal_one_rows.len(), 1);
    assert!(text_of(&goal_one_rows[0]).contains(&format!("No.{}", removed["number"])));
}

/// Characters that are not white space, counted.
fn ink(text: &str) -> BTreeMap<char, usize> {
    let mut counts = BTreeMap::new();
    for c in text.chars().filter(|c| !c.is_whitespace()) {
        *counts.entry(c).or_insert(0) += 1;
    }
    counts
}

#[test]
fn every_line_of_a_text_and_every_glyph_of_a_pdf_page_is_drawn() {
    let options = keikaku::extract::ExtractOptions::default();
    for kind in kinds() {
        for file in &kind.files {
            let reviewed = keikaku::review_path(file, &options).unwrap();
            let summary = keikaku::report::summary(&reviewed.document);
            let page = keikaku::report::document_page(&reviewed, &summary);
            let html = Html::parse_document(&page);
            let name = file.display();
            if reviewed.source.page_views.is_empty() {
                // A text: each line, numbered, its cells in order.
                for line in &reviewed.source.lines {
                    let n = line.location.line;
                    let element = select(&html, &format!("li[id=\"L{n}\"] .t"));
                    assert_eq!(element.len(), 1, "{name}: line {n}");
                    assert_eq!(
                        text_of(&element[0]),
                        line.cells.join("⇥"),
                        "{name}: line {n}"
                    );
                }
                continue;
            }
            // A PDF: the ink of each page drawn is the ink the page drew
            // (copies drawn over a glyph for fake bold aside).
            let bytes = std::fs::read(file).unwrap();
            let contents =
                keikaku::extract::pdf::read_page_contents(&bytes, None, &options.limits).unwrap();
            let figures = select(&html, "figure.page");
            assert_eq!(figures.len(), contents.len(), "{name}: pages");
            for (figure, content) in figures.iter().zip(&contents) {
                let drawn: String = figure
                    .select(&Selector::parse("text").unwrap())
                    .map(|t| text_of(&t))
                    .collect();
                let view = &reviewed.source.page_views[content.number as usize - 1];
                let read: String = view.runs.iter().map(|r| r.text.as_str()).collect();
                assert_eq!(ink(&drawn), ink(&read), "{name}: page {}", content.number);
                let page_ink = ink(&content
                    .glyphs
                    .iter()
                    .map(|g| g.text.as_str())
                    .collect::<String>());
                let drawn_ink = ink(&drawn);
                for (c, count) in &drawn_ink {
                    assert!(
                        page_ink.get(c).is_some_and(|n| n >= count),
                        "{name}: page {}: {c} drawn more often than the page has it",
                        content.number
                    );
                }
                // Every glyph is drawn once or is a copy of one drawn
                // beside it: no character of the page is missing.
                for c in page_ink.keys() {
                    assert!(
                        drawn_ink.contains_key(c),
                        "{name}: page {}: {c} not drawn",
                        content.number
                    );
                }
            }
            // Every line with ink has its box, and the box is the line's.
            for line in reviewed
                .source
                .lines
                .iter()
                .filter(|l| !l.text().trim().is_empty())
            {
                let n = line.location.line;
                let boxes = select(&html, &format!("rect[data-l=\"{n}\"]"));
                assert!(!boxes.is_empty(), "{name}: line {n} has no box");
            }
        }
    }
}

mod browser {
    //! The reports in Chromium.

    use super::*;
    use headless_chrome::protocol::cdp::Emulation;
    use headless_chrome::protocol::cdp::Page::CaptureScreenshotFormatOption;
    use headless_chrome::{Browser, LaunchOptions, Tab};
    use std::ffi::OsStr;
    use std::sync::{Arc, Mutex};
    use std::time::Duration;

    fn chromium() -> PathBuf {
        std::env::var_os("KEIKAKU_CHROMIUM")
            .map(PathBuf::from)
            .unwrap_or_else(|| "/usr/bin/chromium".into())
    }

    fn browser() -> Browser {
        // Without these, Chromium reaches out to Google's services at
        // start; on a machine without network they fail, many at a time.
        let args: Vec<&OsStr> = [
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ]
        .iter()
        .map(OsStr::new)
        .collect();
        Browser::new(LaunchOptions {
            path: Some(chromium()),
            headless: true,
            sandbox: false,
            window_size: Some((1280, 1024)),
            args,
            idle_browser_timeout: Duration::from_secs(120),
            ..LaunchOptions::default()
        })
        .expect("Chromium starts")
    }

    /// The errors the page reports: exceptions, console errors, log
    /// entries of level error.
    fn listen_for_errors(tab: &Arc<Tab>) -> Arc<Mutex<Vec<String>>> {
        use headless_chrome::protocol::cdp::types::Event;
        let errors = Arc::new(Mutex::new(Vec::new()));
        let sink = errors.clone();
        tab.enable_runtime().unwrap();
        tab.enable_log().unwrap();
        tab.add_event_listener(Arc::new(move |event: &Event| {
            let message = match event {
                Event::RuntimeExceptionThrown(e) => {
                    Some(format!("{:?}", e.params.exception_details))
                }
                Event::RuntimeConsoleAPICalled(e)
                    if format!("{:?}", e.params.Type)
                        .to_lowercase()
                        .contains("error") =>
                {
                    Some(format!("console: {:?}", e.params.args))
                }
                Event::LogEntryAdded(e)
                    if format!("{:?}", e.params.entry.level)
                        .to_lowercase()
                        .contains("error") =>
                {
                    Some(format!("log: {}", e.params.entry.text))
                }
                _ => None,
            };
            if let Some(message) = message {
                sink.lock().unwrap().push(message);
            }
        }))
        .unwrap();
        errors
    }

    fn url(path: &Path) -> String {
        format!("file://{}", path.canonicalize().unwrap().display())
    }

    /// The value of a JavaScript expression (sent back as JSON: the
    /// protocol gives objects by reference otherwise).
    fn eval(tab: &Tab, expression: &str) -> Value {
        let json = tab
            .evaluate(&format!("JSON.stringify(({expression}))"), false)
            .unwrap_or_else(|e| panic!("{expression}: {e}"))
            .value;
        match json {
            Some(Value::String(json)) => serde_json::from_str(&json).unwrap(),
            _ => Value::Null,
        }
    }

    /// Checks one report page in the browser; with `clicks`, the clicks on
    /// a record and on a line too.
    fn check_page(tab: &Arc<Tab>, page: &Path, document: &Value, name: &str, clicks: bool) {
        let errors = listen_for_errors(tab);
        tab.navigate_to(&url(page)).unwrap();
        tab.wait_until_navigated().unwrap();
        let count = |selector: &str| {
            eval(
                tab,
                &format!("document.querySelectorAll({selector:?}).length"),
            )
            .as_u64()
            .unwrap()
        };
        assert_eq!(count("#outline .tree"), 1, "{name}: the outline");
        let goals = document["goals"].as_array().unwrap().len() as u64;
        assert_eq!(
            count("#outline li.goal"),
            goals,
            "{name}: goals in the outline"
        );
        let is_pdf = document["source"]["format"] == "pdf";
        let source_parts = if is_pdf {
            count("#source figure.page svg")
        } else {
            count("#source ol.lines")
        };
        assert!(source_parts > 0, "{name}: the source view");
        if is_pdf {
            assert_eq!(
                count("#source figure.page"),
                document["source"]["page_count"].as_u64().unwrap(),
                "{name}: a figure per page"
            );
        }
        // Every warning's and unplaced line's link lands on its line.
        let dangling = eval(
            tab,
            "Array.from(document.querySelectorAll('#warnings a.loc, #unplaced a.loc')).filter(a => { const t = document.getElementById(a.getAttribute('href').slice(1)); return !t || t.getAttribute('data-l') !== a.dataset.from; }).length",
        );
        assert_eq!(dangling, 0, "{name}: links that land on no line");
        assert_eq!(
            count("#warnings tbody tr"),
            document["warnings"].as_array().unwrap().len() as u64,
            "{name}: warnings"
        );
        assert_eq!(
            count("#unplaced tbody tr"),
            document["unplaced"].as_array().unwrap().len() as u64,
            "{name}: unplaced lines"
        );
        // A click on a record's row highlights its lines, and only them.
        if clicks && count("#records-table tbody tr") > 0 {
            let row = tab
                .find_element("#records-table tbody tr:nth-child(2) td:nth-child(3)")
                .or_else(|_| tab.find_element("#records-table tbody tr td:nth-child(3)"))
                .unwrap();
            row.scroll_into_view().unwrap();
            row.click().unwrap();
            let lit = eval(
                tab,
                "(() => { const row = document.querySelector('#records-table tr.hl'); const a = row.querySelector('a.loc'); const from = +a.dataset.from, to = +a.dataset.to; const lines = Array.from(document.querySelectorAll('[data-l].hl')).map(e => +e.dataset.l); return [lines.length, lines.every(l => l >= from && l <= to), to - from + 1]; })()",
            );
            let lit = lit.as_array().unwrap();
            assert!(
                lit[0].as_u64().unwrap() >= 1,
                "{name}: a click on a record lights no line"
            );
            assert_eq!(lit[1], true, "{name}: a line outside the record is lit");
        }
        // A click on a line tells where it went.
        let line = eval(
            tab,
            "(() => { const e = document.querySelector('#source [data-l][data-p]:not([data-p=\"\"])'); if (!e) return null; e.scrollIntoView({block: 'center'}); return e.dataset.l; })()",
        );
        if let Some(line) = line.as_str().filter(|_| clicks) {
            let element = tab
                .find_element(&format!("#source [data-l=\"{line}\"]"))
                .unwrap();
            element.click().unwrap();
            let panel = eval(
                tab,
                "(() => { const p = document.getElementById('line-panel'); return [p.hidden, p.textContent, p.querySelectorAll('a').length]; })()",
            );
            let panel = panel.as_array().unwrap();
            assert_eq!(panel[0], false, "{name}: the line panel opens");
            assert!(
                panel[1]
                    .as_str()
                    .unwrap()
                    .contains(&format!("line {line} ")),
                "{name}: the panel names line {line}: {panel:?}"
            );
            assert!(
                panel[2].as_u64().unwrap() >= 1,
                "{name}: the panel links to where the line went"
            );
        }
        // Nothing was fetched: the page is all there is.
        assert_eq!(
            eval(tab, "performance.getEntriesByType('resource').length"),
            0,
            "{name}: requests"
        );
        let errors = errors.lock().unwrap().clone();
        assert!(
            errors.is_empty(),
            "{name}: errors in the browser: {errors:?}"
        );
    }

    /// Sorting and filtering the records table.
    fn check_table_script(tab: &Arc<Tab>, page: &Path) {
        tab.navigate_to(&url(page)).unwrap();
        tab.wait_until_navigated().unwrap();
        let button = tab
            .find_element("#records-table th button[data-col=\"10\"]")
            .unwrap();
        let column = eval(
            tab,
            "document.querySelector('#records-table th button[data-col=\"10\"]').textContent",
        );
        button.click().unwrap();
        button.click().unwrap();
        let order = eval(
            tab,
            "Array.from(document.querySelectorAll('#records-table tbody tr')).map(r => r.cells[10].textContent)",
        );
        let values: Vec<String> = order
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().to_string())
            .collect();
        let numbers: Vec<f64> = values
            .iter()
            .map(|v| v.parse().unwrap_or(f64::NEG_INFINITY))
            .collect();
        assert!(
            numbers.windows(2).all(|w| w[0] >= w[1]),
            "sorted descending by {column}: {values:?}"
        );
        let shown = eval(
            tab,
            "(() => { const s = document.querySelector('select[data-filter=goal]'); s.value = s.options[1].value; s.dispatchEvent(new Event('change', {bubbles: true})); return [s.value, Array.from(document.querySelectorAll('#records-table tbody tr')).filter(r => !r.hidden).map(r => r.dataset.goal)]; })()",
        );
        let goal = shown[0].as_str().unwrap().to_string();
        let goals = shown[1].as_array().unwrap();
        assert!(!goals.is_empty());
        assert!(
            goals.iter().all(|g| g.as_str() == Some(&goal)),
            "filter by goal {goal}"
        );
    }

    /// With the script off, the page still says everything.
    fn check_without_script(tab: &Arc<Tab>, page: &Path, document: &Value) {
        tab.call_method(Emulation::SetScriptExecutionDisabled { value: true })
            .unwrap();
        tab.navigate_to(&url(page)).unwrap();
        tab.wait_until_navigated().unwrap();
        // The script did not run: the filters stay hidden, every record
        // row is shown.
        let state = eval(
            tab,
            "[document.querySelector('form.filters').hidden, Array.from(document.querySelectorAll('#records-table tbody tr')).filter(r => !r.hidden).length, document.querySelector('main').textContent]",
        );
        assert_eq!(state[0], true, "the filters are the script's");
        let records = document_records(document);
        assert_eq!(state[1], records, "every record shown without script");
        let text = state[2].as_str().unwrap();
        let first_goal = document["goals"][0]["title"].as_str().unwrap();
        assert!(text.contains(first_goal), "the outline without script");
        assert!(text.contains(document["warnings"][0]["message"].as_str().unwrap()));
        tab.call_method(Emulation::SetScriptExecutionDisabled { value: false })
            .unwrap();
    }

    /// The records of a document JSON: its initiatives and indicators at
    /// every level.
    fn document_records(document: &Value) -> u64 {
        fn count(node: &Value) -> u64 {
            let own = ["initiatives", "indicators"]
                .iter()
                .map(|k| node[k].as_array().map_or(0, |a| a.len() as u64))
                .sum::<u64>();
            own + ["goals", "policies", "measures", "sub_measures"]
                .iter()
                .flat_map(|k| node[k].as_array().into_iter().flatten())
                .map(count)
                .sum::<u64>()
        }
        count(document)
    }

    fn screenshot(tab: &Arc<Tab>, page: &Path, kind: &str) {
        tab.navigate_to(&format!("{}#source", url(page))).unwrap();
        tab.wait_until_navigated().unwrap();
        // The first record clicked, so that the picture shows a highlight.
        let _ = eval(
            tab,
            "(() => { const a = document.querySelector('#records-table a.loc') || document.querySelector('#outline a.loc'); if (a) a.click(); })()",
        );
        std::thread::sleep(Duration::from_millis(300));
        let png = tab
            .capture_screenshot(CaptureScreenshotFormatOption::Png, None, None, true)
            .unwrap();
        let folder = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("target")
            .join("report-screenshots");
        std::fs::create_dir_all(&folder).unwrap();
        std::fs::write(folder.join(format!("{kind}.png")), png).unwrap();
    }

    #[test]
    #[cfg_attr(not(chromium), ignore = "needs Chromium (apt-get install chromium)")]
    fn reports_work_in_chromium() {
        let browser = browser();
        let tab = browser.new_tab().unwrap();
        tab.set_default_timeout(Duration::from_secs(60));
        for kind in kinds() {
            let (pages, documents) = report_and_json("browser", &kind);
            for (index, (stem, document)) in documents.iter().enumerate() {
                let page = pages.join(format!("{stem}.html"));
                check_page(&tab, &page, document, stem, index == 0);
            }
            let (stem, _) = documents.iter().next().unwrap();
            screenshot(&tab, &pages.join(format!("{stem}.html")), kind.name);
            // The index opens with no error and links to every page.
            let errors = listen_for_errors(&tab);
            tab.navigate_to(&url(&pages.join("index.html"))).unwrap();
            tab.wait_until_navigated().unwrap();
            let links = eval(&tab, "document.querySelectorAll('#index-table a').length");
            assert_eq!(links, documents.len() as u64);
            assert!(errors.lock().unwrap().is_empty());
        }
        let machida = Path::new(env!("CARGO_TARGET_TMPDIR"))
            .join("report-tests/browser/text/html/machida-progress-report-fy2024.html");
        let machida_json: Value = serde_json::from_str(
            &std::fs::read_to_string(
                Path::new(env!("CARGO_TARGET_TMPDIR"))
                    .join("report-tests/browser/text/json/machida-progress-report-fy2024.json"),
            )
            .unwrap(),
        )
        .unwrap();
        check_table_script(&tab, &machida);
        check_without_script(&tab, &machida, &machida_json);
        time_a_hundred_pages(&tab);
    }

    /// A PDF of at least 100 pages, printed by Chromium from the fixture
    /// texts: thirty lines a page (a line of cells a table row), the texts
    /// over and over.
    fn hundred_page_pdf(tab: &Arc<Tab>, folder: &Path) -> PathBuf {
        let lines: Vec<String> = files_in(&fixture_dir().join("input"), |n| n.ends_with(".txt"))
            .iter()
            .flat_map(|f| {
                std::fs::read_to_string(f)
                    .unwrap()
                    .lines()
                    .filter(|l| !l.trim().is_empty())
                    .map(str::to_string)
                    .collect::<Vec<_>>()
            })
            .collect();
        let escape = |s: &str| s.replace('&', "&amp;").replace('<', "&lt;");
        let mut body = String::new();
        for page in 0..100 {
            body.push_str(r#"<div style="break-after: page">"#);
            for line in lines.iter().cycle().skip(page * 30).take(30) {
                if line.contains('\t') {
                    body.push_str("<table><tr>");
                    for cell in line.split('\t') {
                        body.push_str(&format!("<td>{}</td>", escape(cell)));
                    }
                    body.push_str("</tr></table>");
                } else {
                    body.push_str(&format!("<p>{}</p>", escape(line)));
                }
            }
            body.push_str("</div>");
        }
        let html = format!(
            r#"<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8"><style>body {{ font: 9pt sans-serif; }} p {{ margin: 0; }} table {{ border-collapse: collapse; width: 100%; }} td {{ border: 1px solid #000; font-size: 7pt; }}</style></head><body>{body}</body></html>"#
        );
        let source = folder.join("hundred-pages.html");
        std::fs::write(&source, html).unwrap();
        tab.navigate_to(&url(&source)).unwrap();
        tab.wait_until_navigated().unwrap();
        let pdf = tab.print_to_pdf(None).unwrap();
        let path = folder.join("hundred-pages.pdf");
        std::fs::write(&path, pdf).unwrap();
        path
    }

    /// How long the report of a 100-page PDF takes to open: the browser's
    /// own measure, from the start of navigation to the end of the load
    /// event, the median of three loads. Written to
    /// `target/report-timing.md`; the README gives it.
    fn time_a_hundred_pages(tab: &Arc<Tab>) {
        let folder = Path::new(env!("CARGO_TARGET_TMPDIR")).join("report-hundred");
        let _ = std::fs::remove_dir_all(&folder);
        std::fs::create_dir_all(&folder).unwrap();
        let pdf = hundred_page_pdf(tab, &folder);
        keikaku()
            .arg("report")
            .arg(&pdf)
            .arg("-o")
            .arg(folder.join("html"))
            .assert()
            .success();
        let page = folder.join("html/hundred-pages.html");
        let pages = eval_pages(tab, &page);
        assert!(pages >= 100, "the PDF has {pages} pages");
        let mut loads: Vec<f64> = (0..3)
            .map(|_| {
                tab.navigate_to(&url(&page)).unwrap();
                tab.wait_until_navigated().unwrap();
                eval(
                    tab,
                    "(() => { const n = performance.getEntriesByType('navigation')[0]; return n.loadEventEnd - n.startTime; })()",
                )
                .as_f64()
                .unwrap()
            })
            .collect();
        loads.sort_by(f64::total_cmp);
        let median = loads[1];
        let size = std::fs::metadata(&page).unwrap().len();
        let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
        let cpu = std::fs::read_to_string("/proc/cpuinfo")
            .ok()
            .and_then(|info| {
                info.lines()
                    .find(|l| l.starts_with("model name"))
                    .and_then(|l| l.split(':').nth(1))
                    .map(|m| m.trim().to_string())
            })
            .unwrap_or_else(|| "unknown CPU".into());
        let report = format!(
            "# The review report of a 100-page PDF\n\n{pages} pages, report {:.1} MB: opened in {median:.0} ms (median of three loads: {:.0}, {:.0}, {:.0} ms; navigation start to the end of the load event, Chromium headless), on {cores} cores of {cpu}.\n",
            size as f64 / 1e6,
            loads[0],
            loads[1],
            loads[2],
        );
        std::fs::write(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("target/report-timing.md"),
            &report,
        )
        .unwrap();
        eprint!("{report}");
        assert!(median < 2000.0, "{report}");
    }

    /// The pages the report of a PDF shows.
    fn eval_pages(tab: &Arc<Tab>, page: &Path) -> u64 {
        tab.navigate_to(&url(page)).unwrap();
        tab.wait_until_navigated().unwrap();
        eval(tab, "document.querySelectorAll('figure.page').length")
            .as_u64()
            .unwrap()
    }
}
