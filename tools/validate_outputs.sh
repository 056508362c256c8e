#!/usr/bin/env bash
# Validates keikaku's outputs with tools this project did not write:
# check-jsonschema (every document JSON and every record against schema/)
# and frictionless (the Data Package, with its CSV and JSON Lines).
# Usage: bash tools/validate_outputs.sh   (needs: pip install check-jsonschema 'frictionless[json]')
set -euo pipefail
cd "$(dirname "$0")/.."

work="$(mktemp -d)"
inputs="$(mktemp -d)"
trap 'rm -rf "$work" "$inputs"' EXIT

# The debug build: `cargo test` has just made it (CI runs this after the
# tests), and a release build would cost minutes more for seconds of work.
cargo build --quiet
keikaku=target/debug/keikaku
"$keikaku" convert fixtures/input -o "$work/text" --format json,jsonl,csv
# The fixture PDF that needs a password fails (exit 1); the rest convert.
"$keikaku" convert fixtures/pdf -o "$work/pdf" --format json,jsonl,csv 2>/dev/null || true
# A package made with every metadata option: inputs with Japanese file
# names, a keikaku.toml beside them, and the options over it.
cp fixtures/input/machida-progress-report-fy2024.txt "$inputs/町田市地域福祉計画 進捗状況.txt"
cp fixtures/input/tama-progress-report-fy2019.txt "$inputs/多摩区地域福祉計画 進捗状況.txt"
cp fixtures/input/tama-plan6-goals-draft.txt "$inputs/多摩区 Plan.txt"
cat >"$inputs/keikaku.toml" <<'TOML'
title = "地域福祉計画の取組（町田市・川崎市多摩区）"
description = "町田市と川崎市多摩区の地域福祉計画と進捗状況の取組を、keikaku で変換したもの"
publisher = "keikaku"
source_urls = ["https://www.city.machida.tokyo.jp/"]
keywords = ["地域福祉計画", "進捗状況"]
license = "PDL-1.0"
TOML
"$keikaku" convert "$inputs" -o "$work/metadata" --format json,jsonl,csv \
  --name welfare-plans.machida-tama --version 2024.1 --license gov-std-2.0 \
  --source-url https://www.city.kawasaki.jp/tama/ --keywords 町田市,多摩区 \
  --description "町田市と川崎市多摩区の地域福祉計画の取組" --publisher "keikaku の利用者" \
  2>/dev/null
# Indicators (KPI records with their values) and evaluation scales: the
# indicator corpus, CSV included.
"$keikaku" convert fixtures/indicators -o "$work/indicators" --format json,jsonl,csv
if [ -d ../shared/real-pdf ]; then
  "$keikaku" convert ../shared/real-pdf -o "$work/real" --format json,jsonl,csv
fi

for dir in "$work"/*/; do
  documents=()
  for file in "$dir"*.json; do
    [ "$(basename "$file")" = datapackage.json ] || documents+=("$file")
  done
  python3 -m check_jsonschema --schemafile schema/document.schema.json "${documents[@]}"
  # One file per record: check-jsonschema reads JSON, not JSON Lines.
  mkdir -p "$dir/records"
  split -l 1 -a 4 --additional-suffix=.json "$dir/records.jsonl" "$dir/records/r"
  python3 -m check_jsonschema --schemafile schema/record.schema.json "$dir"/records/*.json
  (cd "$dir" && python3 -m frictionless validate datapackage.json)
done
echo "validate_outputs: every output is valid"
