"""Where the work-entry score comes from: per-rendering TP/FP/FN with the shared scorer.

    .venv/bin/python bench/accuracy_detail.py [-v] [FILTER ...]

Runs extraction and parsing in process (no CLI start-up) on every PDF/DOCX rendering of
the corpus (CORPUS, default ../shared/resumes), scores each with the shared scorer's own
`score_one` (SCORER, default ../shared/bench/score_resume.py), and prints:

- one line per rendering: work TP/FP/FN and education TP/FP/FN;
- with -v, the unmatched entries (FN: truth the rendering shows; FP: our entries);
- the totals as scored, and how many jobs named no employer (e.g. a theme that hides an
  old-style `company` key): those leave `work` for `meta.cvlens.workWithoutEmployer`
  (see `Resume.to_json_resume`); with -v they are listed as NE.

FILTER keeps renderings whose "rNN/theme.ext" contains one of the strings.
"""

from __future__ import annotations

import importlib.util
import json
import os
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

from cvlens.analysis.extract import extract_document
from cvlens.analysis.parse import parse_resume

ROOT = Path(__file__).resolve().parents[1]


def _scorer() -> ModuleType:
    path = Path(os.environ.get("SCORER", ROOT / "../shared/bench/score_resume.py"))
    spec = importlib.util.spec_from_file_location("score_resume", path)
    if spec is None or spec.loader is None:
        raise SystemExit(f"no scorer at {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules["score_resume"] = module  # its dataclasses look themselves up here
    spec.loader.exec_module(module)
    return module


def _unmatched(sc: ModuleType, truth: dict[str, Any], pred: dict[str, Any], seen: Any) -> None:
    keys = ("name", "position")
    t_all = [e for e in sc.canonical(truth).get("work") or [] if e.get("name")]
    p_all = [e for e in sc.canonical(pred).get("work") or [] if any(e.get(k) for k in keys)]
    pairs = sc.match_entries(t_all, p_all, keys)
    hit_t, hit_p = {id(t) for t, _ in pairs}, {id(p) for _, p in pairs}
    for e in t_all:
        if id(e) not in hit_t and seen(e.get("name")):
            print(f"    FN {e.get('name')!r} | {e.get('position')!r}")
    for e in p_all:
        if id(e) not in hit_p:
            print(f"    FP {e.get('name')!r} | {e.get('position')!r} | {e.get('startDate')}")


def _summary(sc: ModuleType, total: Any, label: str) -> None:
    basics = sc.Count()
    for key in sc.BASICS:
        basics.add(total.counts[key])
    work = total.counts["work"]
    p, r, f = work.prf()
    print(
        f"{label:<26} basics F1 {basics.prf()[2]:.3f}  work P {p:.3f} R {r:.3f} F1 {f:.3f}"
        f" (tp {work.tp} fp {work.fp} fn {work.fn})  education F1"
        f" {total.counts['education'].prf()[2]:.3f}  skills recall"
        f" {total.counts['skills'].prf()[1]:.3f}"
    )


def main() -> int:
    verbose = "-v" in sys.argv[1:]
    filters = [a for a in sys.argv[1:] if not a.startswith("-")]
    sc = _scorer()
    corpus = Path(os.environ.get("CORPUS", ROOT / "../shared/resumes"))
    as_scored, unnamed = sc.Score(), 0
    for truth_path in sorted(corpus.glob("*/resume.json")):
        truth = json.loads(truth_path.read_text())
        for rendering in sorted(truth_path.parent.iterdir()):
            key = f"{truth_path.parent.name}/{rendering.name}"
            if rendering.suffix not in (".pdf", ".docx") or (
                filters and not any(f in key for f in filters)
            ):
                continue
            document = extract_document(rendering.read_bytes(), rendering.name)
            pred = parse_resume(document).to_json_resume()
            seen = sc.Visible(sc.rendering_text(rendering))
            score = sc.score_one(truth, pred, seen)
            as_scored.merge(score)
            no_employer = pred.get("meta", {}).get("cvlens", {}).get("workWithoutEmployer", [])
            unnamed += len(no_employer)
            w, e = score.counts["work"], score.counts["education"]
            print(
                f"{key:<30} work {w.tp}/{w.fp}/{w.fn}  education {e.tp}/{e.fp}/{e.fn}"
                f"  no employer {len(no_employer)}"
            )
            if verbose and (w.fp or w.fn):
                _unmatched(sc, truth, pred, seen)
            for job in no_employer if verbose else []:
                print(f"    NE {job.get('position')!r} | {job.get('startDate')}")
    print("(counts are tp/fp/fn)")
    _summary(sc, as_scored, "as scored")
    print(f"jobs naming no employer (meta, not scored): {unnamed}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
