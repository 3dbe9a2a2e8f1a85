#!/usr/bin/env python3
"""Run docfacts over many documents on Apache Spark.

The driver lists the input files (local folders, or any Hadoop file system: hdfs://, s3a://,
abfs://, ...), spreads them over partitions, and each partition is piped through one
`docfacts run --stdin --jsonl` process on an executor. The JSON lines it prints (one record per
document, the same as a plain `docfacts run INPUT --jsonl`) are written as text files.

Document ids are the file paths relative to the input root they were found under, exactly as
the plain run names them, so the output of this job equals the plain run's after sorting lines.

Local inputs (on a file system every executor sees, e.g. local mode or an NFS mount) are handed
to docfacts by path. Inputs on other file systems are read by Spark (`binaryFiles`) and handed
over as base64 on stdin, so the executors need no access to the storage themselves.

    spark-submit contrib/spark/docfacts_spark.py INPUT [INPUT...] -o OUTPUT \
        [--docfacts PATH] [--partitions N] [--jobs N]
"""

import argparse
import base64
import json
import os
import subprocess
import sys
import threading
from urllib.parse import urlparse

# docfacts exit codes: 0 all documents fine, 1 some documents failed (each has an error record
# in the output, so the partition's output is still complete), 2 fatal.
EXIT_FATAL = 2


def is_local(uri):
    """True when `uri` is a plain path or a file:// URI."""
    scheme = urlparse(uri).scheme
    return scheme in ("", "file") or (len(scheme) == 1 and os.name == "nt")


def local_path(uri):
    return urlparse(uri).path if uri.startswith("file:") else uri


def is_hidden(rel):
    return any(part.startswith(".") for part in rel.split("/"))


def list_local(root, binary):
    """(id, absolute path) of the documents under a local root, found and named as
    `docfacts run` does: `docfacts list` applies hidden files and `.docfactsignore` files. When
    the driver cannot run docfacts, a plain walk that skips hidden files only."""
    root = os.path.abspath(local_path(root))
    try:
        listed = subprocess.run([docfacts_command(binary, 0)[0], "list", root],
                                capture_output=True, text=True, check=False)
    except OSError as err:
        print(f"docfacts_spark: cannot run docfacts on the driver ({err}); listing {root} "
              "without its .docfactsignore files", file=sys.stderr)
        listed = None
    if listed is not None:
        if listed.returncode not in (0, 1):
            raise SystemExit(f"docfacts_spark: docfacts list {root} failed: {listed.stderr}")
        sys.stderr.write(listed.stderr)
        # docfacts prints the paths as it was given them: absolute here.
        return [tuple(line.split("\t", 1)) for line in listed.stdout.splitlines() if "\t" in line]
    if os.path.isfile(root):
        return [(os.path.basename(root), root)]
    found = []
    for folder, dirs, files in os.walk(root, followlinks=True):
        dirs.sort()
        for name in sorted(files):
            path = os.path.join(folder, name)
            rel = os.path.relpath(path, root).replace(os.sep, "/")
            if not is_hidden(rel):
                found.append((rel, path))
    return found


def list_hadoop(sc, root):
    """(id, URI) of every file under a root on a Hadoop file system (HDFS, S3, ...)."""
    jvm = sc._jvm
    path = jvm.org.apache.hadoop.fs.Path(root)
    fs = path.getFileSystem(sc._jsc.hadoopConfiguration())
    qualified = fs.makeQualified(path).toString()
    status = fs.getFileStatus(path)
    if status.isFile():
        return [(path.getName(), qualified)]
    prefix = qualified.rstrip("/") + "/"
    found = []
    files = fs.listFiles(path, True)
    while files.hasNext():
        uri = files.next().getPath().toString()
        rel = uri[len(prefix):] if uri.startswith(prefix) else uri.rsplit("/", 1)[-1]
        if not is_hidden(rel):
            found.append((rel, uri))
    return found


def docfacts_command(binary, jobs):
    """The command run on each partition; a binary shipped with --files is found by name."""
    if os.path.sep not in binary and not os.path.exists(binary):
        try:
            from pyspark import SparkFiles

            shipped = SparkFiles.get(binary)
            if os.path.exists(shipped):
                binary = shipped
                if not os.access(binary, os.X_OK):
                    # Some cluster managers drop the execute bit of files shipped with --files.
                    os.chmod(binary, 0o755)
        except Exception:  # noqa: BLE001 - not inside a Spark task: use PATH
            pass
    cmd = [binary, "run", "--stdin", "--jsonl"]
    if jobs:
        cmd += ["--jobs", str(jobs)]
    return cmd


def pipe_partition(lines, binary, jobs):
    """Streams the partition's request lines into one docfacts process, yields its JSON lines."""
    # Resolved here, on the executor: a binary shipped with --files lives in its work folder.
    cmd = docfacts_command(binary, jobs)
    proc = subprocess.Popen(
        cmd,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    errors = []

    def feed():
        try:
            for line in lines:
                proc.stdin.write(line.encode("utf-8") + b"\n")
        except BrokenPipeError:
            pass  # docfacts died: its exit code and stderr tell why
        except Exception as err:  # noqa: BLE001 - reported below, in the task
            errors.append(err)
        finally:
            proc.stdin.close()

    stderr_chunks = []
    drain = threading.Thread(target=lambda: stderr_chunks.append(proc.stderr.read()))
    writer = threading.Thread(target=feed)
    drain.start()
    writer.start()
    for raw in proc.stdout:
        yield raw.decode("utf-8").rstrip("\n")
    writer.join()
    code = proc.wait()
    drain.join()
    stderr = b"".join(stderr_chunks).decode("utf-8", "replace")
    if errors:
        raise RuntimeError(f"feeding docfacts failed: {errors[0]}")
    if code >= EXIT_FATAL or code < 0:
        raise RuntimeError(f"{' '.join(cmd)} exited with {code}: {stderr.strip()}")
    if stderr:
        sys.stderr.write(stderr)


def request_lines(sc, inputs, partitions, binary, ship_bytes=False):
    """An RDD of docfacts stdin lines ({"id", "path"} or {"id", "data_base64"})."""
    local, remote = [], []
    for root in inputs:
        if not is_local(root):
            remote.extend(list_hadoop(sc, root))
            continue
        found = list_local(root, binary)
        if ship_bytes:
            remote.extend((doc_id, "file://" + path) for doc_id, path in found)
        else:
            local.extend(found)
    ids = [doc_id for doc_id, _ in local + remote]
    if len(set(ids)) != len(ids):
        # docfacts' own run keeps the first of two inputs with the same relative path.
        seen = set()
        local = [(i, p) for i, p in local if not (i in seen or seen.add(i))]
        remote = [(i, u) for i, u in remote if not (i in seen or seen.add(i))]
    count = len(local) + len(remote)
    slices = max(1, min(partitions or sc.defaultParallelism, max(count, 1)))
    parts = []
    if local:
        parts.append(
            sc.parallelize(local, slices).map(
                lambda item: json.dumps({"id": item[0], "path": item[1]}, ensure_ascii=False)
            )
        )
    if remote:
        id_of = dict((uri, doc_id) for doc_id, uri in remote)
        by_uri = sc.broadcast(id_of)
        data = sc.binaryFiles(",".join(uri for _, uri in remote), minPartitions=slices)
        if data.getNumPartitions() < slices:
            # binaryFiles packs small files into few splits: spread them over the executors.
            data = data.repartition(slices)
        parts.append(
            data.map(
                lambda kv: json.dumps(
                    {
                        "id": by_uri.value.get(kv[0], kv[0].rsplit("/", 1)[-1]),
                        "data_base64": base64.b64encode(kv[1]).decode("ascii"),
                    },
                    ensure_ascii=False,
                )
            )
        )
    if not parts:
        return sc.parallelize([], 1), 0
    rdd = parts[0] if len(parts) == 1 else sc.union(parts)
    return rdd, count


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("inputs", nargs="+", help="input files or folders (paths or URIs)")
    ap.add_argument("-o", "--output", required=True, help="output folder of JSON-lines part files")
    ap.add_argument("--docfacts", default="docfacts",
                    help="docfacts binary: a path on every executor, or a name shipped with "
                         "spark-submit --files (default: docfacts, else PATH)")
    ap.add_argument("--partitions", type=int, default=0,
                    help="number of partitions (default: Spark's default parallelism)")
    ap.add_argument("--jobs", type=int, default=0,
                    help="docfacts threads per partition (default: all cores of the executor; "
                         "use spark.task.cpus to match)")
    ap.add_argument("--ship-bytes", action="store_true",
                    help="read local inputs with Spark too and hand docfacts their bytes (as for "
                         "HDFS/S3), for executors that do not share the driver's file system")
    ap.add_argument("--master", default=None, help="Spark master when not set by spark-submit")
    args = ap.parse_args(argv)

    from pyspark.sql import SparkSession

    builder = SparkSession.builder.appName("docfacts")
    if args.master:
        builder = builder.master(args.master)
    spark = builder.getOrCreate()
    sc = spark.sparkContext
    try:
        lines, count = request_lines(sc, args.inputs, args.partitions, args.docfacts,
                                     args.ship_bytes)
        binary, jobs = args.docfacts, args.jobs
        records = lines.mapPartitions(lambda part: pipe_partition(part, binary, jobs))
        records.saveAsTextFile(args.output)
        print(f"docfacts_spark: {count} documents -> {args.output}", file=sys.stderr)
    finally:
        spark.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
