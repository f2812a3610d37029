"""A pdfium text page → positioned, styled Lines: the hot path of PDF extraction.

The whole analysis must stay within a few times bare text extraction, so nothing here loops
over characters in Python. The page text comes in one call, in which every character keeps
its pdfium index; boxes are read per *word* (first and last character) and font facts for
a few words per line, through unchecked ctypes prototypes; words travel as plain tuples
until the finished Line (the public pydantic model) is built once per line.
"""

from __future__ import annotations

import ctypes
import re
from typing import Any, TypeVar

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from pydantic import BaseModel

from cvlens.analysis.document import Line, Span
from cvlens.analysis.extract.bullets import strip_bullet

_ICON_RE = re.compile("[\ue000-\uf8ff\ufffd]")
"""Private-use code points: icon-font glyphs (phone, mail, pin) with no meaning as text."""
_SURROGATE_RE = re.compile("[\ud800-\udfff]")
_NOT_BMP_RE = re.compile("[\ud800-\udfff\U00010000-\U0010ffff]")
"""Characters that pdfium counts as one char but UTF-16 writes as two units."""
_LINE_RE = re.compile(r"[^\r\n]+")
_WORD_RE = re.compile(r"\S+")
_BOLD_NAME_RE = re.compile(r"bold|black|heavy|semibold|demi", re.IGNORECASE)
_ITALIC_NAME_RE = re.compile(r"italic|oblique", re.IGNORECASE)
_FLAG_ITALIC = 1 << 6
_FLAG_FORCE_BOLD = 1 << 18
_TAG_GAP = 0.45
"""Gaps wider than this (in ems) but narrower than a column gap separate tags: new span."""

_Font = tuple[float, bool, bool]
_Model = TypeVar("_Model", bound=BaseModel)


def _unchecked(function: Any, restype: Any) -> Any:
    """The same pdfium function without `argtypes`.

    ctypes then passes each argument by its own type instead of checking it against the
    declared one: a call costs a third to a sixth as much, which matters a few thousand
    times per page. Every call below passes the exact C types: a Python int for a C `int`,
    the text page's own pointer, `byref()` for out-parameters, a `c_ulong` for a length.
    """
    fast = type(function)(ctypes.cast(function, ctypes.c_void_p).value)
    fast.restype = restype
    return fast


_get_box = _unchecked(pdfium_c.FPDFText_GetLooseCharBox, ctypes.c_int)
_get_font_size = _unchecked(pdfium_c.FPDFText_GetFontSize, ctypes.c_double)
_get_font_info = _unchecked(pdfium_c.FPDFText_GetFontInfo, ctypes.c_ulong)
_NAME_SIZE = 128


class _FontReader:
    """Font size, bold and italic of a character; the style is worked out once per font."""

    def __init__(self, textpage: pdfium.PdfTextPage) -> None:
        self.raw = textpage.raw
        self._styles: dict[tuple[bytes, int], tuple[bool, bool]] = {}
        self._name = ctypes.create_string_buffer(_NAME_SIZE)
        self._name_size = ctypes.c_ulong(_NAME_SIZE)
        self._flags = ctypes.c_int()
        self._flags_ref = ctypes.byref(self._flags)

    def font(self, index: int) -> _Font:
        raw = self.raw
        size: float = _get_font_size(raw, index)
        _get_font_info(raw, index, self._name, self._name_size, self._flags_ref)
        key = (self._name.value, self._flags.value)
        style = self._styles.get(key)
        if style is None:
            name = key[0].decode("latin-1")
            flags = key[1]
            bold = bool(_BOLD_NAME_RE.search(name)) or bool(flags & _FLAG_FORCE_BOLD)
            if not bold:
                bold = pdfium_c.FPDFText_GetFontWeight(raw, index) >= 600
            italic = bool(_ITALIC_NAME_RE.search(name)) or bool(flags & _FLAG_ITALIC)
            style = self._styles[key] = (bold, italic)
        return size, style[0], style[1]


def page_text(textpage: pdfium.PdfTextPage, count: int) -> str:
    """The page text with exactly one character per pdfium char index.

    pdfium's text buffer (one call) leaves out the characters that have no Unicode value;
    `_aligned` puts those back from the char list, as the per-character reading (kept as
    the fallback) does. pdfium's buffer marks a hyphen at a line's end as U+FFFE (its
    char list says U+0002): it becomes the "-" that is printed ("MLS-" / "specific" →
    "MLS-specific"). Lone surrogates become U+FFFD so the text always encodes.
    """
    raw = textpage.raw
    buffer = (ctypes.c_ushort * (count + 1))()
    written = pdfium_c.FPDFText_GetText(raw, 0, count, buffer)
    text = ctypes.string_at(buffer, 2 * max(written - 1, 0)).decode("utf-16-le", "surrogatepass")
    aligned = _aligned(raw, text, count)
    if aligned is None:
        aligned = "".join(chr(pdfium_c.FPDFText_GetUnicode(raw, i) or 32) for i in range(count))
    aligned = _SURROGATE_RE.sub("\ufffd", aligned)
    return aligned.replace("\ufffe", "-") if "\ufffe" in aligned else aligned


def _unicode(raw: object, index: int) -> str:
    return chr(pdfium_c.FPDFText_GetUnicode(raw, index) or 32)


def _aligned(raw: object, text: str, count: int) -> str | None:
    """`text` with the characters pdfium's text buffer left out put back, or None when the
    buffer does not map onto the char list in order (then the caller reads char by char).

    The char index of every buffer position only grows, so the left-out characters are
    found by bisection with `FPDFText_GetCharIndexFromTextIndex`: a few calls per page.
    """
    size = len(text)
    if size == count:
        return text
    if size == 0 or size > count or _NOT_BMP_RE.search(text):
        return None
    char_at = pdfium_c.FPDFText_GetCharIndexFromTextIndex
    first, last = char_at(raw, 0), char_at(raw, size - 1)
    if first < 0 or last < first or last - first < size - 1 or last >= count:
        return None
    parts = [_unicode(raw, i) for i in range(first)]
    stack = [(0, first, size - 1, last)]
    cuts: list[tuple[int, int, int]] = []  # (buffer position, first char left out, end)
    while stack:
        lo, char_lo, hi, char_hi = stack.pop()
        if char_hi - char_lo == hi - lo:
            continue
        if char_hi - char_lo < hi - lo:
            return None
        if hi - lo == 1:
            cuts.append((hi, char_lo + 1, char_hi))
            continue
        mid = (lo + hi) // 2
        char_mid = char_at(raw, mid)
        if not char_lo < char_mid < char_hi:
            return None
        stack += [(mid, char_mid, hi, char_hi), (lo, char_lo, mid, char_mid)]
    start = 0
    for position, left_out, end in cuts:
        parts.append(text[start:position])
        parts.extend(_unicode(raw, i) for i in range(left_out, end))
        start = position
    parts.append(text[start:])
    parts.extend(_unicode(raw, i) for i in range(last + 1, count))
    return "".join(parts)


def page_lines(textpage: pdfium.PdfTextPage, text: str, height: float, page: int) -> list[Line]:
    """The non-empty Lines of one page, in pdfium's order (reading order comes later)."""
    reader = _LineReader(textpage, height, page)
    lines: list[Line] = []
    for line_match in _LINE_RE.finditer(text):
        lines += reader.lines(text, line_match.start(), line_match.end())
    return [line for line in lines if line.text]


class _LineReader:
    """The Lines of one pdfium line, from reusable ctypes buffers, in one pass over its words.

    A pdfium line is split where a wide gap separates text (a side label, a right-set date);
    within a piece, consecutive words of one style and no tag-sized gap form a Span.
    """

    def __init__(self, textpage: pdfium.PdfTextPage, height: float, page: int) -> None:
        self.raw = textpage.raw
        self.height = height
        self.page = page
        self.font = _FontReader(textpage).font
        self._rect = pdfium_c.FS_RECTF()
        self._rect_ref = ctypes.byref(self._rect)

    def lines(self, text: str, start: int, end: int) -> list[Line]:
        """Font facts are read for the first, middle and last word; only when they disagree
        (a bold lead-in, a size change) is every word of the line read.

        Boxes are pdfium's loose boxes (font ascent to descent), so every glyph of a line
        gets the same top and bottom: steadier baselines than tight glyph boxes. The open
        run of words lives in plain locals (char range, box, style) and becomes a Span when
        a word does not continue it.
        """
        words = [m.span() for m in _WORD_RE.finditer(text, start, end)]
        if not words:
            return []
        font = self.font
        last_index = len(words) - 1
        style = font((words[0][0] + words[0][1] - 1) // 2)
        middle = last_index // 2  # 0 for two words: the first word, already read
        uniform = last_index == 0 or (
            font((words[last_index][0] + words[last_index][1] - 1) // 2) == style
            and (middle == 0 or font((words[middle][0] + words[middle][1] - 1) // 2) == style)
        )
        raw, height, rect, rect_ref = self.raw, self.height, self._rect, self._rect_ref
        get_box = _get_box
        line_first = words[0][0]
        size, bold, italic = style
        found: list[Line] = []
        spans: list[Span] = []
        # the open run: chars [run_start, run_stop), box, style, and whether it has 2+ words
        run_start = run_stop = 0
        run_x0 = run_top = run_x1 = run_bottom = 0.0
        run_style, several = style, False
        line_x0 = right = prev_x1 = prev_bottom = prev_size = 0.0
        prev_bold = prev_italic = False
        for first, stop in words:
            last = stop - 1
            get_box(raw, first, rect_ref)
            x0, x1 = rect.left, rect.right
            top, bottom = height - rect.top, height - rect.bottom
            if last != first:  # (comparisons, not min/max calls: this runs per word)
                get_box(raw, last, rect_ref)
                x1 = rect.right
                other = height - rect.top
                if other < top:
                    top = other
                other = height - rect.bottom
                if other > bottom:
                    bottom = other
            if not x1 > x0:
                x1 = x0
            if not uniform:
                style = font((first + last) // 2)
                size, bold, italic = style
            if first == line_first:
                line_x0, right = x0, x1
            else:
                gap = x0 - prev_x1
                small, large = (prev_size, size) if prev_size <= size else (size, prev_size)
                em = 1.0 if small < 1.0 else small
                wide = (
                    gap > em
                    or gap < -2 * em
                    or abs(bottom - prev_bottom) > 0.8 * em
                    or (large > 1.15 * em and gap > 0.5 * em)
                )
                if (
                    not wide
                    and abs(prev_size - size) < 0.5
                    and prev_bold == bold
                    and prev_italic == italic
                    and gap <= _TAG_GAP * (1.0 if size < 1.0 else size)
                ):  # the word continues the run
                    run_stop, run_x1, several = stop, x1, True
                    if top < run_top:
                        run_top = top
                    if bottom > run_bottom:
                        run_bottom = bottom
                    if x1 > right:
                        right = x1
                    prev_x1, prev_bottom, prev_size = x1, bottom, size
                    continue
                chars = text[run_start:run_stop]
                spans.append(_span(chars, several, run_x0, run_top, run_x1, run_bottom, run_style))
                if wide:  # a wide gap also ends the line
                    found.append(_line(spans, line_x0, right, self.page))
                    spans = []
                    line_x0, right = x0, x1
                elif x1 > right:
                    right = x1
            run_start, run_stop, run_x0, run_top, run_x1, run_bottom = (
                first,
                stop,
                x0,
                top,
                x1,
                bottom,
            )
            run_style, several = style, False
            prev_x1, prev_bottom, prev_size, prev_bold, prev_italic = x1, bottom, size, bold, italic
        chars = text[run_start:run_stop]
        spans.append(_span(chars, several, run_x0, run_top, run_x1, run_bottom, run_style))
        found.append(_line(spans, line_x0, right, self.page))
        return found


def _span(
    chars: str, several: bool, x0: float, y0: float, x1: float, y1: float, style: _Font
) -> Span:
    """A run of words from its chars (blanks collapsed when it holds several), box and style."""
    return _built(
        Span,
        {
            "text": " ".join(chars.split()) if several else chars,
            "x0": x0,
            "y0": y0,
            "x1": x1,
            "y1": y1,
            "font_size": style[0],
            "bold": style[1],
            "italic": style[2],
        },
    )


def _line(spans: list[Span], x0: float, right: float, page: int) -> Line:
    """One Line from its spans; `x0` is its first word's start, `right` the rightmost end."""
    main = spans[0]
    if len(spans) == 1:
        joined = main.text
        y0, y1 = main.y0, main.y1
    else:
        for span in spans[1:]:
            if len(span.text) > len(main.text):
                main = span
        joined = " ".join([s.text for s in spans])
        y0, y1 = min([s.y0 for s in spans]), max([s.y1 for s in spans])
    text, bullet = strip_bullet(_ICON_RE.sub("", joined).strip())
    return _built(
        Line,
        {
            "text": text,
            "page": page,
            "spans": spans,
            "x0": x0,
            "y0": y0,
            "x1": right,
            "y1": y1,
            "font_size": main.font_size,
            "bold": main.bold,
            "italic": main.italic,
            "style": None,
            "bullet": bullet,
            "column": 0,
            "in_table": False,
        },
    )


def _built(model: type[_Model], fields: dict[str, Any]) -> _Model:
    """`model(**fields)` without validation, a third of its cost (about 250 per document).

    Only for values that already are what validation would make of them: every field
    given, in declaration order (JSON output follows it), each of its declared type (floats
    from pdfium's float outputs, real bools, the page's text). This is what pydantic's
    `model_construct` does, without its per-call field walk, which makes it slower than
    validating; tests compare these models with validated ones.
    """
    instance = model.__new__(model)
    object.__setattr__(instance, "__dict__", fields)
    object.__setattr__(instance, "__pydantic_fields_set__", set(fields))
    object.__setattr__(instance, "__pydantic_extra__", None)
    object.__setattr__(instance, "__pydantic_private__", None)
    return instance
