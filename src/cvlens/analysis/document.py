"""The layout-aware text of a file, as every extractor returns it."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

DocumentFormat = Literal["pdf", "docx", "txt", "md"]


class Span(BaseModel):
    """A run of text with one style, at a position on a page (PDF points, origin top-left)."""

    text: str
    x0: float = 0.0
    y0: float = 0.0
    x1: float = 0.0
    y1: float = 0.0
    font_size: float = 0.0
    bold: bool = False
    italic: bool = False


class Line(BaseModel):
    """One visual line in reading order.

    `style` carries the paragraph style for DOCX (e.g. "Heading 1", "List Bullet");
    `bullet` is true when the line is a list item (glyph or list style);
    `column` is 0 for single-column pages, 0/1 for left/right in two-column layouts.
    """

    text: str
    page: int = 1
    spans: list[Span] = Field(default_factory=list)
    x0: float = 0.0
    y0: float = 0.0
    x1: float = 0.0
    y1: float = 0.0
    font_size: float = 0.0
    bold: bool = False
    italic: bool = False
    style: str | None = None
    bullet: bool = False
    column: int = 0
    in_table: bool = False


class Document(BaseModel):
    format: DocumentFormat
    pages: int = 1
    lines: list[Line] = Field(default_factory=list)
    has_text_layer: bool = True
    columns: int = 1
    tables: int = 0
    images: int = 0
    links: list[str] = Field(default_factory=list)
    """Hyperlink targets found in the file (PDF link annotations, DOCX external relations)."""

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)

    @property
    def words(self) -> int:
        """Words of all lines: the lines are joined by a newline, which parts words too."""
        return len(self.text.split())

    def summary(self) -> dict[str, object]:
        """The `document` block of `cvlens analyze --format json`."""
        return {
            "format": self.format,
            "pages": self.pages,
            "words": self.words,
            "columns": self.columns,
            "has_text_layer": self.has_text_layer,
        }
