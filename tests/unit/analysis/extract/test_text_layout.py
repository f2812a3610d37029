"""Plain text laid out in columns (as `pdftotext -layout` writes it) is read in layout order."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from cvlens.analysis.document import Document
from cvlens.analysis.extract import extract_document
from cvlens.analysis.parse import parse_resume
from cvlens.analysis.resume import Resume

SIDE_BAR = """\
Jordan Example
Data Engineer

Contact                   Experience
jordan@example.org
Berlin, Germany           Lumen Analytics                              2020 - Present
                          Senior Data Engineer
Skills                    Built streaming pipelines for forty retail clients and cut
Python                    the nightly batch from six hours to forty minutes.
Spark                          Designed the event schema registry
Airflow                        Mentored four junior engineers
Kafka
                          Northwind Labs                               2017 - 2020
Languages                 Data Engineer
German                    Wrote the ingestion service for the sensor fleet.
English
                          Education

                          Technical University of Munich               2013 - 2017
                          BSc Computer Science
"""

GUTTER = """\
       Riley Sample
       Platform Engineer
       riley@example.net


Work   Orbit Systems
       Site Reliability Engineer
       Mar 2019 - Present
       Ran the reliability programme of the storage platform in three regions
       and on two cloud providers.

         Automated failover for 300 database clusters
         Halved the paging alerts of the on-call rotation
\f\
            Kestrel Software
            Backend Developer
            Jan 2016 - Feb 2019
            Wrote the order service and its public API.


Education   Lyon Institute of Technology
            MSc Computer Science
            2014 - 2016


Skills      Languages
            Go     Python     Rust

            Infrastructure
            Terraform     PostgreSQL
\f\
Languages   English
            Native speaker
"""

PLAIN = """\
Sam Plain
Backend Engineer
sam@example.com

EXPERIENCE
Backend Engineer at Quill Systems
Jan 2020 - Present
Rebuilt the billing service.  Cut the invoice run from an hour to five minutes.
  Moved the queue to Kafka, which halved the cost of retries.
"""

MARKDOWN = """\
# Ada Markdown
Staff Engineer · ada@example.org

## Experience
### Staff Engineer, Comet Robotics
Feb 2018 - Present
- Led the motion-planning team of six
- Shipped the fleet simulator
  - Cut simulation cost by 60%

## Skills
Rust, C++, ROS
"""


def _doc(text: str, name: str = "cv.txt") -> Document:
    return extract_document(text.encode(), name)


def _resume(text: str, name: str = "cv.txt") -> Resume:
    return parse_resume(_doc(text, name))


def test_pieces_of_a_row_are_placed_at_their_character_columns() -> None:
    lines = {line.text: line for line in _doc(SIDE_BAR).lines}
    assert "Built streaming pipelines for forty retail clients and cut" in lines
    python, body = lines["Python"], lines["Senior Data Engineer"]
    assert python.x1 < body.x0  # the side bar ends before the body starts
    assert lines["2020 - Present"].x0 > lines["Lumen Analytics"].x1


def test_a_side_bar_is_read_as_a_column_of_its_own() -> None:
    doc = _doc(SIDE_BAR)
    assert doc.columns == 2
    texts = [line.text for line in doc.lines]
    # the side bar's skills stay together, not interleaved with the body beside them
    at = texts.index("Python")
    assert texts[at : at + 4] == ["Python", "Spark", "Airflow", "Kafka"]
    resume = parse_resume(doc)
    assert [(w.name, w.position, w.startDate) for w in resume.work] == [
        ("Lumen Analytics", "Senior Data Engineer", "2020"),
        ("Northwind Labs", "Data Engineer", "2017"),
    ]
    assert resume.work[0].highlights == [
        "Designed the event schema registry",
        "Mentored four junior engineers",
    ]
    keywords = {k for s in resume.skills for k in [s.name, *s.keywords]}
    assert {"Python", "Spark", "Airflow", "Kafka"} <= keywords
    assert [e.institution for e in resume.education] == ["Technical University of Munich"]
    assert resume.basics.email == "jordan@example.org"


def test_headings_in_a_left_gutter_open_their_sections() -> None:
    resume = _resume(GUTTER)
    assert resume.basics.name == "Riley Sample"
    assert [(w.name, w.position, w.startDate, w.endDate) for w in resume.work] == [
        ("Orbit Systems", "Site Reliability Engineer", "2019-03", None),
        ("Kestrel Software", "Backend Developer", "2016-01", "2019-02"),
    ]  # the next page starts its body at another column: still entries, not list items
    assert resume.work[0].highlights == [
        "Automated failover for 300 database clusters",
        "Halved the paging alerts of the on-call rotation",
    ]
    assert [e.institution for e in resume.education] == ["Lyon Institute of Technology"]
    # "Languages" inside the body names a group of skills, not a section: the labels in
    # the gutter are the headings
    keywords = {k for s in resume.skills for k in [s.name, *s.keywords]}
    assert {"Languages", "Go", "Python", "Rust", "Terraform", "PostgreSQL"} <= keywords
    # a last page that holds little but a label still reads it as a heading
    assert [(lang.language, lang.fluency) for lang in resume.languages] == [
        ("English", "Native speaker")
    ]


def test_single_column_text_is_not_split() -> None:
    doc = _doc(PLAIN)
    assert doc.columns == 1
    rows = [row.strip() for row in PLAIN.splitlines() if row.strip()]
    assert [line.text for line in doc.lines] == rows
    resume = parse_resume(doc)
    assert [(w.name, w.position) for w in resume.work] == [("Quill Systems", "Backend Engineer")]


def test_list_items_with_glyphs_stay_apart() -> None:
    """Each `-` item is its own highlight even though the rows sit tight under each other."""
    resume = _resume(MARKDOWN, "cv.md")
    assert resume.basics.name == "Ada Markdown"
    assert [(w.name, w.position) for w in resume.work] == [("Comet Robotics", "Staff Engineer")]
    assert resume.work[0].highlights == [
        "Led the motion-planning team of six",
        "Shipped the fleet simulator",
        "Cut simulation cost by 60%",
    ]
    assert {k for s in resume.skills for k in [s.name, *s.keywords]} >= {"Rust", "C++", "ROS"}


def test_markdown_lines_carry_their_indentation() -> None:
    doc = _doc(MARKDOWN, "cv.md")
    lines = {line.text: line for line in doc.lines}
    assert lines["Experience"].bold and lines["Experience"].style == "Heading 2"
    nested, parent = lines["Cut simulation cost by 60%"], lines["Shipped the fleet simulator"]
    assert nested.bullet and parent.bullet
    assert nested.x0 > parent.x0 and parent.x1 > parent.x0


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(" \t\f\nab1-•#*|:@./\uf041"), max_size=600))
def test_any_text_extracts_and_parses(text: str) -> None:
    if not text.strip():
        return
    for name in ("cv.txt", "cv.md"):
        doc = extract_document(text.encode(), name)
        parse_resume(doc).to_json_resume()


def test_tabs_inside_a_line_separate_fields_not_columns() -> None:
    text = (
        "Kim Tab\nkim@example.com\n\nEXPERIENCE\n"
        "Acme Payments\tSenior Engineer\tMar 2021 - Present\n"
        "\t* Cut checkout latency by 45%\n\n"
        "SKILLS\nLanguages:\tPython, Go\n"
    )
    doc = _doc(text)
    by_text = {line.text: line for line in doc.lines}
    assert "Acme Payments\tSenior Engineer\tMar 2021 - Present" in by_text
    assert by_text["Cut checkout latency by 45%"].x0 > by_text["EXPERIENCE"].x0  # indented
    resume = parse_resume(doc)
    assert [(w.name, w.position, w.startDate) for w in resume.work] == [
        ("Acme Payments", "Senior Engineer", "2021-03")
    ]
    assert [(s.name, s.keywords) for s in resume.skills] == [("Languages", ["Python", "Go"])]


def test_icon_glyphs_place_their_row_but_are_not_text() -> None:
    side = "\n".join(
        f"{left:<26}{right}"
        for left, right in [
            ("\uf0e0", "Experience"),
            ("kim@example.com", ""),
            ("\uf095", "Acme Payments                       2021 - Present"),
            ("+1 415 555 0134", "Senior Engineer"),
            ("\uf041 Lisbon", "Ran the payments platform for six markets."),
            ("", ""),
        ]
    )
    doc = _doc("Kim Icon\nEngineer\n\n" + side)
    texts = [line.text for line in doc.lines]
    assert not any("\uf0e0" in t or "\uf095" in t or "\uf041" in t for t in texts)
    assert "Lisbon" in texts and "" not in texts


def test_an_address_cut_by_a_narrow_column_is_joined() -> None:
    rows = [
        ("Contact", "Experience"),
        ("hello@kim-sample.", ""),
        ("dev", "Acme Payments                        2021 - Present"),
        ("www.kim-sample.d", "Senior Engineer"),
        ("ev", "Ran the payments platform for six markets and four currencies."),
        ("Lisbon", "Built the settlement service."),
        ("", "Rewrote the ledger in Go."),
    ]
    text = "Kim Sample\nEngineer\n\n" + "\n".join(f"{a:<20}{b}".rstrip() for a, b in rows)
    doc = _doc(text)
    texts = [line.text for line in doc.lines]
    assert "hello@kim-sample.dev" in texts and "www.kim-sample.dev" in texts
    assert "dev" not in texts and "ev" not in texts
    assert parse_resume(doc).basics.email == "hello@kim-sample.dev"


def test_a_whole_address_is_not_joined_with_the_word_below() -> None:
    for below in ("Experience", "com", "github"):
        doc = _doc(f"Kim Sample\nkim@example.com\n{below}\nBuilt the ledger.\n")
        assert [line.text for line in doc.lines][1:3] == ["kim@example.com", below]


def test_a_page_too_crowded_for_a_resume_is_read_row_by_row() -> None:
    row = "   ".join(f"cell{i}" for i in range(12))
    doc = _doc("\n".join([row] * 60))
    assert len(doc.lines) == 60
    assert doc.lines[0].text == " ".join(f"cell{i}" for i in range(12))
    # a page of a résumé with a few pieces per row is laid out
    assert len(_doc("\n".join([row] * 5)).lines) == 60
