#!/usr/bin/env bash
# Fills fuzz/corpus/<target> with the seeds each fuzz target starts from,
# made from the repository's fixtures (nothing binary is committed for them):
# - text: the fixture texts, their re-encodings in fixtures/encodings/ (in
#   pieces of 8 KiB, see below), and two encodings made here with iconv
#   (ISO-2022-JP, UTF-16 without a BOM) that no fixture has;
# - pdf: small PDFs built with lopdf and the fixture PDFs' first pages
#   (examples/make_fuzz_seeds.rs).
# - both: what the fuzzers once found (fuzz/regressions/<target>/, each a
#   test in tests/fuzz_regressions.rs), so that a run starts from them.
# Files already in a corpus (what earlier runs found) are kept.
set -euo pipefail
cd "$(dirname "$0")/.."

# A text seed is at most 8 KiB: keikaku takes tens of milliseconds a
# kilobyte under the fuzzer's instrumentation, and small inputs make many
# more runs a second. A longer text is cut into pieces at line ends (a
# piece still has headings and table rows); one in UTF-16 is cut once at
# 8 KiB, as lines are not bytes there.
piece=8192
text=fuzz/corpus/text
mkdir -p "$text" fuzz/corpus/pdf
seed_text() { # FILE NAME
  split --line-bytes=$piece --numeric-suffixes=1 --additional-suffix=.txt "$1" "$text/$2."
}
for file in fixtures/input/*.txt; do
  seed_text "$file" "$(basename "$file" .txt)"
done
for folder in fixtures/encodings/*/; do
  variant=$(basename "$folder")
  for file in "$folder"*.txt; do
    name=$variant.$(basename "$file" .txt)
    case $variant in
      utf-16*) head -c $piece "$file" >"$text/$name.txt" ;;
      *) seed_text "$file" "$name" ;;
    esac
  done
done
if command -v iconv >/dev/null 2>&1; then
  draft=fixtures/input/tama-plan6-goals-draft.txt
  iconv -f UTF-8 -t ISO-2022-JP "$draft" >"$text/iso-2022-jp.draft.txt" 2>/dev/null || rm -f "$text/iso-2022-jp.draft.txt"
  iconv -f UTF-8 -t UTF-16BE "$draft" >"$text/utf-16be.draft.txt" 2>/dev/null || rm -f "$text/utf-16be.draft.txt"
fi

# The example is built by `cargo test` already; run here, it costs seconds.
cargo run --quiet --example make_fuzz_seeds -- fuzz/corpus/pdf
for target in text pdf; do
  if [ -d "fuzz/regressions/$target" ]; then
    cp fuzz/regressions/"$target"/* "fuzz/corpus/$target/" 2>/dev/null || true
  fi
done
echo "seed: $(ls "$text" | wc -l) texts, $(ls fuzz/corpus/pdf | wc -l) PDFs in fuzz/corpus/"
