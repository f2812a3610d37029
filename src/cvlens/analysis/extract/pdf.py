"""PDF → Document with pypdfium2: spans with page, position, font size, bold and italic.

Speed matters (the whole analysis must stay within a few times bare text extraction), so
we never loop over characters in Python. pdfium hands us the page text in one call, in
which every character keeps its index; we then ask for boxes and font facts per *word*
only (first and last character box, font of the middle character), group words into
spans (one style) and lines, and rebuild the reading order from the boxes.
"""

from __future__ import annotations

import ctypes
import itertools
import re
from dataclasses import dataclass

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from cvlens.analysis.document import Document, Line, Span
from cvlens.analysis.errors import (
    CorruptFileError,
    EncryptedFileError,
    NoTextLayerError,
    TooManyPagesError,
)
from cvlens.analysis.extract.bullets import strip_bullet
from cvlens.analysis.extract.layout import order_page

MAX_CHARS_PER_PAGE = 60_000
"""Caps the work on a hostile page; a dense résumé page holds about 5,000 characters."""

_ICON_RE = re.compile("[\ue000-\uf8ff\ufffd]")
"""Private-use code points: icon-font glyphs (phone, mail, pin) with no meaning as text."""
_SURROGATE_RE = re.compile("[\ud800-\udfff]")
_LINE_RE = re.compile(r"[^\r\n]+")
_WORD_RE = re.compile(r"\S+")
_BOLD_NAME_RE = re.compile(r"bold|black|heavy|semibold|demi", re.IGNORECASE)
_ITALIC_NAME_RE = re.compile(r"italic|oblique", re.IGNORECASE)
_FLAG_ITALIC = 1 << 6
_LINK_PAGES = 2
"""Link targets are read from the first pages only: contact and profile links sit at the
top, and enumerating annotations is one of the slower pdfium calls."""
_TAG_GAP = 0.45
"""Gaps wider than this (in ems) but narrower than a column gap separate tags: new span."""
_FLAG_FORCE_BOLD = 1 << 18


@dataclass(slots=True)
class _Word:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    size: float
    bold: bool
    italic: bool


class _CharReader:
    """Per-character facts from a pdfium text page, with reusable ctypes buffers."""

    def __init__(self, textpage: pdfium.PdfTextPage, page_height: float) -> None:
        self.raw = textpage.raw
        self.height = page_height
        self._left, self._right = ctypes.c_double(), ctypes.c_double()
        self._bottom, self._top = ctypes.c_double(), ctypes.c_double()
        self._refs = tuple(
            ctypes.byref(v) for v in (self._left, self._right, self._bottom, self._top)
        )
        self._get_box = pdfium_c.FPDFText_GetCharBox
        self._name = ctypes.create_string_buffer(128)
        self._flags = ctypes.c_int()
        self._font_cache: dict[bytes, tuple[bool, bool]] = {}

    def box(self, index: int) -> tuple[float, float, float, float]:
        """(left, top, right, bottom) in top-left origin points."""
        self._get_box(self.raw, index, *self._refs)
        height = self.height
        return (
            self._left.value,
            height - self._top.value,
            self._right.value,
            height - self._bottom.value,
        )

    def font(self, index: int) -> tuple[float, bool, bool]:
        size = float(pdfium_c.FPDFText_GetFontSize(self.raw, index))
        pdfium_c.FPDFText_GetFontInfo(
            self.raw, index, self._name, len(self._name), ctypes.byref(self._flags)
        )
        key = self._name.value + self._flags.value.to_bytes(4, "little", signed=True)
        style = self._font_cache.get(key)
        if style is None:
            name = self._name.value.decode("latin-1")
            flags = self._flags.value
            bold = bool(_BOLD_NAME_RE.search(name)) or bool(flags & _FLAG_FORCE_BOLD)
            if not bold:
                bold = pdfium_c.FPDFText_GetFontWeight(self.raw, index) >= 600
            italic = bool(_ITALIC_NAME_RE.search(name)) or bool(flags & _FLAG_ITALIC)
            style = (bold, italic)
            self._font_cache[key] = style
        return size, style[0], style[1]


def _page_text(textpage: pdfium.PdfTextPage, count: int) -> str:
    """The page text with exactly one character per pdfium char index.

    Read as raw UTF-16 units: pdfium writes one unit per char index (a character
    outside the BMP would take two, and then we fall back to reading char by char).
    Lone surrogates become U+FFFD so the text always encodes.
    """
    raw = textpage.raw
    buffer = (ctypes.c_ushort * (count + 1))()
    written = pdfium_c.FPDFText_GetText(raw, 0, count, buffer)
    if written == count + 1:
        text = "".join(map(chr, buffer[:count]))
    else:
        text = "".join(chr(pdfium_c.FPDFText_GetUnicode(raw, i) or 32) for i in range(count))
    return _SURROGATE_RE.sub("\ufffd", text)


def _words(reader: _CharReader, text: str) -> list[list[_Word]]:
    """Words grouped by pdfium's own line breaks.

    Font facts are read for the first, middle and last word of a line; only when they
    disagree (a bold lead-in, a size change) is every word of that line read.
    """
    groups: list[list[_Word]] = []
    box, font = reader.box, reader.font
    for line_match in _LINE_RE.finditer(text):
        start = line_match.start()
        bounds = [
            (start + w.start(), start + w.end() - 1, w.group())
            for w in _WORD_RE.finditer(line_match.group())
        ]
        if not bounds:
            continue
        last_index = len(bounds) - 1
        first_font = font((bounds[0][0] + bounds[0][1]) // 2)
        uniform = last_index == 0 or (
            font((bounds[last_index][0] + bounds[last_index][1]) // 2) == first_font
            and font((bounds[last_index // 2][0] + bounds[last_index // 2][1]) // 2) == first_font
        )
        words: list[_Word] = []
        for first, last, word_text in bounds:
            x0, top, x1, bottom = box(first)
            if last != first:
                _, top1, x1, bottom1 = box(last)
                if top1 < top:
                    top = top1
                if bottom1 > bottom:
                    bottom = bottom1
            size, bold, italic = first_font if uniform else font((first + last) // 2)
            words.append(
                _Word(word_text, x0, top, x1 if x1 > x0 else x0, bottom, size, bold, italic)
            )
        groups.append(words)
    return groups


def _split_on_gaps(words: list[_Word]) -> list[list[_Word]]:
    """Split a pdfium line where a wide gap separates text (a side label, a right-set date)."""
    pieces: list[list[_Word]] = [[words[0]]]
    for prev, word in itertools.pairwise(words):
        gap = word.x0 - prev.x1
        size = max(min(prev.size, word.size), 1.0)
        resized = max(prev.size, word.size) > 1.15 * size and gap > 0.5 * size
        if gap > 1.0 * size or gap < -2 * size or abs(word.y1 - prev.y1) > 0.8 * size or resized:
            pieces.append([word])
        else:
            pieces[-1].append(word)
    return pieces


def _line_from_words(words: list[_Word], page: int) -> Line:
    """One Line; consecutive words of one style and no tag-sized gap form a Span.

    Models are built with `model_construct`: every value comes from pdfium already typed,
    and validation here would cost more than the rest of the extraction.
    """
    runs: list[list[_Word]] = []
    for word in words:
        run = runs[-1] if runs else None
        last = run[-1] if run else None
        if (
            last is not None
            and run is not None
            and abs(last.size - word.size) < 0.5
            and last.bold == word.bold
            and last.italic == word.italic
            and word.x0 - last.x1 <= _TAG_GAP * max(word.size, 1.0)
        ):
            run.append(word)
        else:
            runs.append([word])
    spans = [
        Span.model_construct(
            text=" ".join(w.text for w in run),
            x0=run[0].x0,
            y0=min(w.y0 for w in run),
            x1=run[-1].x1,
            y1=max(w.y1 for w in run),
            font_size=run[0].size,
            bold=run[0].bold,
            italic=run[0].italic,
        )
        for run in runs
    ]
    main = max(spans, key=lambda s: len(s.text))
    text, bullet = strip_bullet(_ICON_RE.sub("", " ".join(s.text for s in spans)).strip())
    return Line.model_construct(
        text=text,
        page=page,
        spans=spans,
        x0=words[0].x0,
        y0=min(w.y0 for w in words),
        x1=max(w.x1 for w in words),
        y1=max(w.y1 for w in words),
        font_size=main.font_size,
        bold=main.bold,
        italic=main.italic,
        style=None,
        bullet=bullet,
        column=0,
        in_table=False,
    )


def _links(pdf: pdfium.PdfDocument, page: pdfium.PdfPage) -> list[str]:
    found: list[str] = []
    position = ctypes.c_int(0)
    link = pdfium_c.FPDF_LINK()
    while pdfium_c.FPDFLink_Enumerate(page.raw, ctypes.byref(position), ctypes.byref(link)):
        action = pdfium_c.FPDFLink_GetAction(link)
        if not action or pdfium_c.FPDFAction_GetType(action) != pdfium_c.PDFACTION_URI:
            continue
        size = pdfium_c.FPDFAction_GetURIPath(pdf.raw, action, None, 0)
        if 0 < size <= 4096:
            buffer = ctypes.create_string_buffer(size)
            pdfium_c.FPDFAction_GetURIPath(pdf.raw, action, buffer, size)
            found.append(buffer.value.decode("utf-8", "replace"))
    return found


def _open(data: bytes) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as err:
        if "password" in str(err).lower():
            raise EncryptedFileError("the PDF is password-protected") from None
        raise CorruptFileError("the PDF is corrupt and cannot be read") from None


def extract_pdf(data: bytes, *, max_pages: int = 20) -> Document:
    if b"%%EOF" not in data[-2048:]:
        raise CorruptFileError("the PDF is truncated (no end-of-file marker)")
    pdf = _open(data)
    try:
        page_count = len(pdf)
        if page_count == 0:
            raise CorruptFileError("the PDF has no pages")
        if page_count > max_pages:
            raise TooManyPagesError(
                f"the document has {page_count} pages; at most {max_pages} are read"
            )
        lines: list[Line] = []
        links: list[str] = []
        columns = 1
        for index in range(page_count):
            page = pdf[index]
            try:
                width, height = page.get_size()
                textpage = page.get_textpage()
                try:
                    count = min(textpage.count_chars(), MAX_CHARS_PER_PAGE)
                    reader = _CharReader(textpage, height)
                    raw_lines = [
                        _line_from_words(piece, index + 1)
                        for words in _words(reader, _page_text(textpage, count) if count else "")
                        for piece in _split_on_gaps(words)
                    ]
                finally:
                    textpage.close()
                ordered, page_columns = order_page([ln for ln in raw_lines if ln.text], width)
                columns = max(columns, page_columns)
                lines.extend(ordered)
                if index < _LINK_PAGES:
                    links.extend(_links(pdf, page))
            finally:
                page.close()
    finally:
        pdf.close()
    if not any(line.text.strip() for line in lines):
        raise NoTextLayerError("no text layer; OCR is not enabled")
    return Document(format="pdf", pages=page_count, lines=lines, columns=columns, links=links)
