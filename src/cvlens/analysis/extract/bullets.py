"""List-item glyphs shared by every extractor."""

from __future__ import annotations

import re

BULLET_RE = re.compile(r"^\s*(?:[•●○◦▪▫■□►▸‣⁃∙·✓✔➢➤→\-*–—]|\d{1,2}[.)])\s+")
"""A glyph (or `1.`/`1)` numbering) followed by white space at the start of a line."""


def strip_bullet(text: str) -> tuple[str, bool]:
    """The text without its leading list glyph, and whether it had one."""
    match = BULLET_RE.match(text)
    if match is None:
        if text[:1] in "•●▪■◦":
            return text[1:].strip(), True
        return text.strip(), False
    return text[match.end() :].strip(), True
