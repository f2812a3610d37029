"""Speed of the full analysis against bare pypdfium2 text extraction of the same PDFs.

    .venv/bin/python bench/speed.py [FOLDER] [--rounds 5] [--job FILE]

FOLDER defaults to ../shared/resumes when present, else tests/fixtures (files that either
peer refuses as bad input are skipped and listed). Each PDF under it is
run `rounds` times by both peers in the same process, pinned to one core, the peers taking
turns; the figures are medians of per-document times, wall clock and (on a shared machine,
the steadier one) CPU time. The stage split (extract / parse / review / match) says
where the time goes. Peak RSS is the process maximum (getrusage). The process is readied as
an analysis worker is (`platform/cpu.py: prepare_process`: warm-up, then `gc.freeze`).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pypdfium2 as pdfium

from cvlens.analysis.errors import AnalysisError
from cvlens.analysis.extract import extract_document
from cvlens.analysis.match import match_job
from cvlens.analysis.parse import parse_resume
from cvlens.analysis.pipeline import analyze_bytes
from cvlens.analysis.review import review_resume
from cvlens.platform.cpu import prepare_process

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "resumes"
DEFAULT_JOB = (
    "Senior software engineer, 5+ years of experience. Python, Go, PostgreSQL, Kubernetes, "
    "AWS, React or Vue.js; BS in Computer Science. Nice to have: Terraform, Kafka."
)


def bare_extract(data: bytes) -> str:
    pdf = pdfium.PdfDocument(data)
    try:
        return "".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    finally:
        pdf.close()


def paired_medians(
    bare: Callable[[bytes, str], object],
    full: Callable[[bytes, str], object],
    docs: list[tuple[str, bytes]],
    rounds: int,
) -> dict[str, list[float]]:
    """Median seconds per document of each peer, wall clock and CPU time of this process.

    The peers alternate run by run on each document, so a change of machine load between
    runs weighs on both alike; CPU time leaves out the time other processes hold the core.
    """
    medians: dict[str, list[float]] = {"bare": [], "full": [], "bare cpu": [], "full cpu": []}
    for name, data in docs:
        runs: dict[str, list[float]] = {key: [] for key in medians}
        for _ in range(rounds):
            for key, fn in (("bare", bare), ("full", full)):
                cpu, wall = time.process_time(), time.perf_counter()
                fn(data, name)
                runs[key].append(time.perf_counter() - wall)
                runs[f"{key} cpu"].append(time.process_time() - cpu)
        for key, values in runs.items():
            medians[key].append(statistics.median(values))
    return medians


def stage_split(docs: list[tuple[str, bytes]], job: str, rounds: int) -> dict[str, float]:
    """Median ms per document of each stage, and of everything after extraction."""
    times: dict[str, list[float]] = {"extract": [], "parse": [], "review": [], "match": []}
    after: list[float] = []
    for name, data in docs:
        runs: dict[str, list[float]] = {stage: [] for stage in times}
        for _ in range(rounds):
            t0 = time.perf_counter()
            document = extract_document(data, name)
            t1 = time.perf_counter()
            resume = parse_resume(document)
            t2 = time.perf_counter()
            review_resume(resume, document)
            t3 = time.perf_counter()
            match_job(resume, document, job)
            t4 = time.perf_counter()
            for stage, seconds in zip(runs, (t1 - t0, t2 - t1, t3 - t2, t4 - t3), strict=True):
                runs[stage].append(seconds)
        for stage, values in runs.items():
            times[stage].append(statistics.median(values))
        after.append(sum(statistics.median(runs[s]) for s in ("parse", "review", "match")))
    split = {stage: 1000 * statistics.median(values) for stage, values in times.items()}
    split["after extract"] = 1000 * statistics.median(after)
    return split


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path, default=None)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--job", type=Path, default=None)
    args = parser.parse_args()
    folder = args.folder or (SHARED if SHARED.is_dir() else REPO / "tests" / "fixtures")
    paths = sorted(folder.rglob("*.pdf"))
    if not paths:
        sys.exit(f"no PDF under {folder}")
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    job = args.job.read_text(encoding="utf-8") if args.job else DEFAULT_JOB
    # the engine as a worker process runs it (platform/cpu.py): shipped data loaded and
    # caches filled once, then what the process holds frozen for the garbage collector
    prepare_process("cvlens.analysis.pipeline:warm_up")  # = platform.resources.ENGINE_WARM_UP
    docs, refused = [], []
    for path in paths:  # warm-up (imports, caches, pdfium init) and drop files either refuses
        data = path.read_bytes()
        try:
            bare_extract(data)
            analyze_bytes(data, path.name, job)
        except (AnalysisError, pdfium.PdfiumError):
            refused.append(path.name)
            continue
        docs.append((path.name, data))
    if not docs:
        sys.exit(f"every PDF under {folder} was refused")
    medians = paired_medians(
        lambda data, _name: bare_extract(data),
        lambda data, name: analyze_bytes(data, name, job),
        docs,
        args.rounds,
    )
    bare, full = medians["bare"], medians["full"]
    bare_median, full_median = statistics.median(bare), statistics.median(full)
    bare_cpu = statistics.median(medians["bare cpu"])
    full_cpu = statistics.median(medians["full cpu"])
    stages = stage_split(docs, job, args.rounds)
    rss_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"corpus: {len(docs)} PDFs under {folder}, {args.rounds} rounds, 1 core")
    if refused:
        print(f"skipped (refused as bad input): {', '.join(refused)}")
    print(f"bare pypdfium2 text extraction : median {1000 * bare_median:7.2f} ms/doc")
    print(f"full analysis (with job match) : median {1000 * full_median:7.2f} ms/doc")
    print(f"ratio full / bare              : {full_median / bare_median:7.2f}x  (target <= 3x)")
    print(f"throughput full analysis       : {1 / statistics.mean(full):7.1f} doc/s (target >= 30)")
    print(
        f"same in CPU time of the process: bare {1000 * bare_cpu:.2f} ms/doc, "
        f"full {1000 * full_cpu:.2f} ms/doc, ratio {full_cpu / bare_cpu:.2f}x, "
        f"{1 / statistics.mean(medians['full cpu']):.1f} doc/s"
    )
    print(
        "median per stage (ms/doc)      : " + ", ".join(f"{k} {v:.2f}" for k, v in stages.items())
    )
    after = stages["after extract"] / (1000 * bare_median)
    print(f"parse+review+match / bare      : {after:7.2f}x  (the rest is extraction)")
    print(f"peak RSS                       : {rss_mib:7.1f} MiB")


if __name__ == "__main__":
    main()
