#!/usr/bin/env bash
# Validates keikaku's outputs with tools this project did not write:
# check-jsonschema (every document JSON and every record against schema/)
# and frictionless (the Data Package, with its CSV and JSON Lines).
# Usage: bash tools/validate_outputs.sh   (needs: pip install check-jsonschema 'frictionless[json]')
set -euo pipefail
cd "$(dirname "$0")/.."

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# The debug build: `cargo test` has just made it (CI runs this after the
# tests), and a release build would cost minutes more for seconds of work.
cargo build --quiet
keikaku=target/debug/keikaku
"$keikaku" convert fixtures/input -o "$work/text" --format json,jsonl,csv
# The fixture PDF that needs a password fails (exit 1); the rest convert.
"$keikaku" convert fixtures/pdf -o "$work/pdf" --format json,jsonl,csv 2>/dev/null || true
if [ -d ../shared/real-pdf ]; then
  "$keikaku" convert ../shared/real-pdf -o "$work/real" --format json,jsonl
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
