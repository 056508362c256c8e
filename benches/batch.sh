#!/usr/bin/env bash
# Whole runs of the command on the benchmark corpus: 1 and 2 jobs on 1,000
# documents (hyperfine, outputs in memory and on disk), and peak memory
# (GNU time) for 100 and 1,000 documents, to show that memory does not grow
# with the batch.
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

# The outputs are written twice: to memory (/dev/shm, when there is one),
# which measures keikaku, and to the disk, which adds the file system's own
# cost: on ext4, runs that replace a thousand outputs every few seconds make
# its inode allocation skip the inodes freed by the run before
# (`recently_deleted`), 31 % of a one-job run's samples on this project's
# machine (perf).
shm=""
if [ -d /dev/shm ] && [ -w /dev/shm ]; then
  shm="$(mktemp -d /dev/shm/keikaku-bench.XXXXXX)"
  trap 'rm -rf "$work" "$shm"' EXIT
fi
for outputs in ${shm:+"$shm"} "$work"; do
  where=$([ "$outputs" = "$shm" ] && echo "memory (/dev/shm)" || echo "disk ($(df --output=fstype "$work" | tail -1))")
  echo "== 1,000 documents ($mb MB), whole run (JSON per document), by jobs, outputs on $where"
  hyperfine --warmup 1 --runs 5 --export-json "$work/jobs.json" \
    -n "jobs 1" "$keikaku convert $work/corpus1000 -o $outputs/out1 --jobs 1" \
    -n "jobs 2" "$keikaku convert $work/corpus1000 -o $outputs/out2 --jobs 2" 2>&1 | grep -v "^$" || true
  python3 - "$work/jobs.json" "$mb" <<'PY'
import json, sys
results = json.load(open(sys.argv[1]))["results"]
mb = float(sys.argv[2])
one, two = results[0]["mean"], results[1]["mean"]
print(f"jobs 1: {one:.2f} s, {1000/one:.0f} documents/s, {mb/one:.1f} MB/s")
print(f"jobs 2: {two:.2f} s, {1000/two:.0f} documents/s, {mb/two:.1f} MB/s")
print(f"scaling 1 -> 2 jobs: {one/two:.2f}x")
PY
  rm -rf "$outputs/out1" "$outputs/out2"
done

# The machine's speed drifts between hyperfine's block of one-job runs and
# its block of two-job runs; runs in pairs, one job then two back to back,
# see the same machine, and the median of their ratios shrugs off a pair
# that another job on the machine spoiled.
echo "== 1,000 documents, scaling in 10 pairs of runs (jobs 1 then jobs 2), outputs on $([ -n "$shm" ] && echo memory || echo disk)"
python3 - "$keikaku" "$work/corpus1000" "${shm:-$work}/pairs" <<'PY'
import shutil, statistics, subprocess, sys, time
keikaku, corpus, outputs = sys.argv[1:]
def run(jobs):
    shutil.rmtree(outputs, ignore_errors=True)
    start = time.perf_counter()
    subprocess.run([keikaku, "convert", corpus, "-o", outputs, "--jobs", str(jobs)],
                   check=True, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start
pairs = [(run(1), run(2)) for _ in range(10)]
shutil.rmtree(outputs, ignore_errors=True)
ratios = [one / two for one, two in pairs]
print("pairs (s): " + ", ".join(f"{one:.2f}/{two:.2f}" for one, two in pairs))
print("ratios: " + " ".join(f"{r:.2f}" for r in ratios))
print(f"scaling 1 -> 2 jobs, median of the pairs: {statistics.median(ratios):.2f}x")
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
