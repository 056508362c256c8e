#!/usr/bin/env bash
# Whole runs of the command on the benchmark corpus: 1 and 2 jobs on 1,000
# documents (hyperfine), and peak memory (GNU time) for 100 and 1,000
# documents, to show that memory does not grow with the batch.
# Usage: bash benches/batch.sh      (needs hyperfine and /usr/bin/time)
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in hyperfine /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "batch.sh: $tool is needed" >&2; exit 1; }
done

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cargo build --release --quiet --example make_corpus
cargo build --release --quiet
keikaku="$PWD/target/release/keikaku"
for count in 100 1000; do
  target/release/examples/make_corpus "$work/corpus$count" "$count"
done
mb=$(du -sm --apparent-size "$work/corpus1000" | cut -f1)

echo "== 1,000 documents ($mb MB), whole run (JSON per document), by jobs"
hyperfine --warmup 1 --runs 5 --export-json "$work/jobs.json" \
  -n "jobs 1" "$keikaku convert $work/corpus1000 -o $work/out1 --jobs 1" \
  -n "jobs 2" "$keikaku convert $work/corpus1000 -o $work/out2 --jobs 2" 2>&1 | grep -v "^$" || true
python3 - "$work/jobs.json" "$mb" <<'PY'
import json, sys
results = json.load(open(sys.argv[1]))["results"]
mb = float(sys.argv[2])
one, two = results[0]["mean"], results[1]["mean"]
print(f"jobs 1: {one:.2f} s, {1000/one:.0f} documents/s, {mb/one:.1f} MB/s")
print(f"jobs 2: {two:.2f} s, {1000/two:.0f} documents/s, {mb/two:.1f} MB/s")
print(f"scaling 1 -> 2 jobs: {one/two:.2f}x")
PY

echo "== 1,000 documents, jobs 2: in this process against worker processes (--isolate)"
hyperfine --warmup 1 --runs 5 --export-json "$work/isolate.json" \
  -n "in process" "$keikaku convert $work/corpus1000 -o $work/outp --jobs 2 --no-isolate" \
  -n "isolated" "$keikaku convert $work/corpus1000 -o $work/outi --jobs 2 --isolate" 2>&1 | grep -v "^$" || true
python3 - "$work/isolate.json" <<'PY'
import json, sys
results = json.load(open(sys.argv[1]))["results"]
inproc, isolated = results[0]["mean"], results[1]["mean"]
# Seconds more over 1,000 documents are milliseconds more a document.
print(f"in process: {inproc:.2f} s; isolated: {isolated:.2f} s; cost {100*(isolated/inproc-1):+.0f}%, {isolated - inproc:.2f} ms a document")
PY
diff -r "$work/outp" "$work/outi" >/dev/null && echo "isolated output: byte-identical"

echo "== peak memory (maximum resident set size)"
for count in 100 1000; do
  /usr/bin/time -f "$count documents: %M KB peak, %e s" \
    "$keikaku" convert "$work/corpus$count" -o "$work/mem$count" --format json,jsonl,csv 2>&1 | grep "peak"
  /usr/bin/time -f "$count documents, JSON only: %M KB peak, %e s" \
    "$keikaku" convert "$work/corpus$count" -o "$work/memj$count" 2>&1 | grep "peak"
done
