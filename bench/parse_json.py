"""Print `{"resume": <JSON Resume>}` for one file (used by bench/accuracy.sh).

Usage: python bench/parse_json.py FILE
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from cvlens.analysis.errors import AnalysisError
from cvlens.analysis.extract import extract_document
from cvlens.analysis.parse import parse_resume


def main() -> int:
    path = Path(sys.argv[1])
    try:
        document = extract_document(path.read_bytes(), path.name)
    except AnalysisError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    resume = parse_resume(document)
    print(json.dumps({"resume": resume.to_json_resume(), "document": document.summary()}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
