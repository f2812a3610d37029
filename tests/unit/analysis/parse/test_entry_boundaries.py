"""Where one work entry ends and the next begins: style cues, repeated headers."""

from __future__ import annotations

from cvlens.analysis.document import Line
from cvlens.analysis.parse.sections import parse_work


def _para(text: str, *, style: str = "Body Text", bold: bool = False, bullet: bool = False) -> Line:
    """A DOCX paragraph: no positions, a paragraph style."""
    return Line(text=text, font_size=11.0, bold=bold, style=style, bullet=bullet)


def test_heading_styled_role_opening_in_lower_case_is_not_a_wrapped_bullet() -> None:
    lines = [
        _para("Android Engineer", style="Heading 5", bold=True),
        _para("Sep 2010 – May 2011", style="First Paragraph"),
        _para("Shipped a ticketing app for a regional rail operator", style="Normal", bullet=True),
        _para("iOS Engineer, Co-founder", style="Heading 5", bold=True),
        _para("May 2011 – Jun 2012", style="First Paragraph"),
        _para("Built a menu app for cafés and restaurants", style="Normal", bullet=True),
    ]
    work = parse_work(lines)
    assert [(w.position, w.startDate) for w in work] == [
        ("Android Engineer", "2010-09"),
        ("iOS Engineer, Co-founder", "2011-05"),
    ]
    assert work[0].highlights == ["Shipped a ticketing app for a regional rail operator"]


def test_lower_case_line_in_the_bullet_style_still_continues_the_bullet() -> None:
    lines = [
        _para("Android Engineer", style="Heading 5", bold=True),
        _para("Sep 2010 – May 2011", style="First Paragraph"),
        _para("Shipped a ticketing app for", style="Normal", bullet=True),
        _para("iOS and Android devices", style="Normal"),
    ]
    work = parse_work(lines)
    assert work[0].highlights == ["Shipped a ticketing app for iOS and Android devices"]
