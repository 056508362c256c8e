"""Runs keikaku as the per-partition step of Spark, in local mode, and checks
that it gives what a plain run gives.

The command reads a list of paths on standard input (`-`) and writes one
output per input, so Spark's `RDD.pipe` runs it unchanged: each partition's
paths go to one `keikaku` process. Two steps:

1. `keikaku convert - -o OUT`: one document JSON per input, into a shared
   directory (on a cluster, a mounted or object-store path);
2. `keikaku records -`: the flat records on standard output, which become the
   lines of an RDD and then a Spark DataFrame.

Usage (by hand, not in CI; needs Java 17 and `pip install pyspark==3.5.*`):

    cargo build --release
    cargo run --release --example make_corpus -- /tmp/corpus 1000
    python3 tools/spark_local.py /tmp/corpus /tmp/spark-out target/release/keikaku
"""

import filecmp
import json
import os
import subprocess
import sys
import time

from pyspark.sql import SparkSession


def main() -> None:
    corpus, out, keikaku = sys.argv[1:4]
    keikaku = os.path.abspath(keikaku)
    paths = sorted(os.path.join(corpus, name) for name in os.listdir(corpus))
    spark = (
        SparkSession.builder.master("local[2]")
        .appName("keikaku")
        .config("spark.ui.enabled", "false")
        .getOrCreate()
    )
    sc = spark.sparkContext
    sc.setLogLevel("ERROR")
    partitions = sc.parallelize(paths, 8)

    started = time.time()
    # One keikaku process per partition, one thread each: Spark gives the
    # parallelism. A non-zero exit fails the task, as it should.
    partitions.pipe(f"{keikaku} convert --jobs 1 - -o {out}/spark").collect()
    lines = partitions.pipe(f"{keikaku} records --jobs 1 -")
    records = spark.read.json(lines)
    count = records.count()
    elapsed = time.time() - started
    with_records = records.select("source_file").distinct().count()

    # The same inputs through one plain run, for comparison.
    subprocess.run([keikaku, "convert", corpus, "-o", f"{out}/plain"], check=True,
                   stderr=subprocess.DEVNULL)
    plain = subprocess.run([keikaku, "records", corpus], check=True, capture_output=True,
                           text=True).stdout.splitlines()
    names = sorted(os.listdir(f"{out}/plain"))
    same, different, missing = filecmp.cmpfiles(f"{out}/plain", f"{out}/spark", names,
                                                shallow=False)
    spark_records = sorted(json.dumps(r.asDict(recursive=True), sort_keys=True)
                           for r in records.collect())
    plain_records = sorted(json.dumps(json.loads(l), sort_keys=True) for l in plain)
    # Spark's JSON reader gives absent fields as null and orders keys: compare
    # the records as sets of their non-null fields.
    def essence(text):
        return json.dumps({k: v for k, v in json.loads(text).items() if v is not None},
                          sort_keys=True)
    same_records = sorted(map(essence, spark_records)) == sorted(map(essence, plain_records))

    print(f"inputs: {len(paths)}, partitions: {partitions.getNumPartitions()}")
    print(f"Spark local[2]: {len(os.listdir(f'{out}/spark'))} documents written, "
          f"{count} records in a DataFrame (from the {with_records} inputs that have any), {elapsed:.1f} s")
    print(f"against a plain run: {len(same)} documents byte-identical, "
          f"{len(different)} different, {len(missing)} missing; "
          f"records {'the same' if same_records else 'DIFFERENT'} ({len(plain)})")
    spark.stop()
    if different or missing or not same_records:
        sys.exit(1)


if __name__ == "__main__":
    main()
