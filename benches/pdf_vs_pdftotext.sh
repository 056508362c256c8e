#!/usr/bin/env bash
# Times keikaku's whole conversion of PDFs (read, rebuild lines, segment,
# validate, write JSON) against poppler's `pdftotext` (text only) on the
# same files, with hyperfine, and prints a Markdown table for the README:
# mean wall time of each, their ratio, and keikaku's pages per second, on
# all threads and on one.
#
#   bash benches/pdf_vs_pdftotext.sh [PDF ...]
#
# Without arguments it times the fixture PDFs and, when ../shared/real-pdf
# is present, the real PDFs there. Needs poppler-utils and hyperfine
# (Debian: apt-get install poppler-utils hyperfine).
set -euo pipefail
cd "$(dirname "$0")/.."

for tool in pdftotext pdfinfo hyperfine python3; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "bench: $tool is missing (Debian: apt-get install poppler-utils hyperfine)" >&2
    exit 1
  fi
done

if [ "$#" -gt 0 ]; then
  files=("$@")
else
  files=(fixtures/pdf/*.chromium.pdf fixtures/pdf/*.libreoffice.pdf)
  if [ -d ../shared/real-pdf ]; then
    files+=(../shared/real-pdf/*.pdf)
  fi
fi

cargo build --release --quiet
keikaku="$PWD/target/release/keikaku"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

for i in "${!files[@]}"; do
  file=${files[$i]}
  pages=$(pdfinfo "$file" | awk '/^Pages:/ {print $2}')
  echo "$file $pages" >> "$work/files"
  echo "bench: $file ($pages pages)" >&2
  hyperfine --shell=none --warmup 3 --runs 30 --style none \
    --export-json "$work/$i.json" \
    -n pdftotext "pdftotext -q $file $work/out.txt" \
    -n keikaku "$keikaku convert $file -o $work/out.json" \
    -n keikaku-1-thread "env RAYON_NUM_THREADS=1 $keikaku convert $file -o $work/out.json" \
    > /dev/null
done

python3 - "$work" <<'PY'
import json, os, sys
work = sys.argv[1]
rows, totals = [], {"pdftotext": 0.0, "keikaku": 0.0, "keikaku-1-thread": 0.0}
total_pages = 0
for i, line in enumerate(open(os.path.join(work, "files"))):
    path, pages = line.rsplit(" ", 1)
    pages = int(pages)
    means = {r["command"]: r["mean"] for r in json.load(open(os.path.join(work, f"{i}.json")))["results"]}
    for name in totals:
        totals[name] += means[name]
    total_pages += pages
    rows.append((os.path.basename(path), pages, means))
rows.append(("**all files**", total_pages, totals))
print(f"{os.cpu_count()} CPUs; mean of 30 runs after 3 warm-ups (hyperfine), wall time.\n")
print("| file | pages | pdftotext | keikaku | ratio | pages/s | keikaku, 1 thread | ratio |")
print("|---|---:|---:|---:|---:|---:|---:|---:|")
for name, pages, m in rows:
    base = m["pdftotext"]
    print(f"| {name} | {pages} | {base*1000:.1f} ms | {m['keikaku']*1000:.1f} ms | "
          f"{m['keikaku']/base:.2f}× | {pages/m['keikaku']:.0f} | "
          f"{m['keikaku-1-thread']*1000:.1f} ms | {m['keikaku-1-thread']/base:.2f}× |")
PY
