"""ATS readiness: can an applicant tracking system read this file the way a person does?"""

from __future__ import annotations

from cvlens.analysis.review.context import CheckResult, ReviewContext
from cvlens.analysis.review.locate import standard_section

MAX_PAGES = 2
MIN_WORDS = 250
MAX_WORDS_PER_PAGE = 700


def check_text_layer(ctx: ReviewContext) -> CheckResult:
    if ctx.document.has_text_layer:
        return CheckResult("ats.text_layer", 0.3, 1.0)
    finding = ctx.finding(
        "ats",
        "ats.no_text_layer",
        "critical",
        "The file has no text layer: an ATS sees an empty page.",
        "Export the résumé from your editor as a text PDF instead of scanning or printing it.",
        section="document",
    )
    return CheckResult("ats.text_layer", 0.3, 0.0, [finding])


def check_layout(ctx: ReviewContext) -> CheckResult:
    """Columns and tables are read out of order by many parsers; images are skipped."""
    doc = ctx.document
    result = CheckResult("ats.layout", 0.25, 1.0)
    if doc.columns > 1:
        result.score -= 0.4
        first_right = next((line.text for line in doc.lines if line.column > 0), None)
        result.findings.append(
            ctx.finding(
                "ats",
                "ats.columns",
                "warning",
                f"The layout has {doc.columns} columns; many ATS read across them line by line.",
                "Use a single column; put skills and contact details in the main flow.",
                section="document",
                line=first_right,
            )
        )
    if doc.tables > 0:
        result.score -= 0.4
        in_table = next((line.text for line in doc.lines if line.in_table), None)
        result.findings.append(
            ctx.finding(
                "ats",
                "ats.tables",
                "warning",
                f"The file holds {doc.tables} table(s); their cells are often read out of order.",
                "Replace tables with plain lines and bullets.",
                section="document",
                line=in_table,
            )
        )
    if doc.images > 0:
        result.score -= 0.2
        result.findings.append(
            ctx.finding(
                "ats",
                "ats.images",
                "info",
                f"The file holds {doc.images} image(s); any text inside them is invisible to ATS.",
                "Keep all information as text; drop photos, logos and skill bars.",
                section="document",
            )
        )
    result.score = max(0.0, result.score)
    return result


def check_headings(ctx: ReviewContext) -> CheckResult:
    headings = ctx.locator.headings
    standard = [h for h in headings if standard_section(h.line.text) is not None]
    result = CheckResult("ats.headings", 0.25, 1.0)
    if not standard:
        result.score = 0.0
        result.findings.append(
            ctx.finding(
                "ats",
                "ats.no_standard_headings",
                "warning",
                "No standard section headings (Experience, Education, Skills) were found.",
                "Title sections with the usual names so an ATS can file their content.",
                section="document",
            )
        )
        return result
    unusual = [h for h in headings if h.section == "other"]
    result.score = len(standard) / (len(standard) + len(unusual))
    for heading in unusual:
        result.findings.append(
            ctx.finding(
                "ats",
                "ats.nonstandard_heading",
                "warning",
                f"Heading '{heading.line.text.strip()}' is not a name an ATS recognises.",
                "Rename it to a standard heading such as Experience, Projects or Skills.",
                section="document",
                line=heading.line.text,
            )
        )
    return result


def check_length(ctx: ReviewContext) -> CheckResult:
    doc = ctx.document
    words = doc.words
    result = CheckResult("ats.length", 0.2, 1.0)
    if doc.pages > MAX_PAGES and doc.format in ("pdf", "docx"):  # text files have no pages
        result.score -= 0.5
        result.findings.append(
            ctx.finding(
                "ats",
                "ats.too_many_pages",
                "critical" if doc.pages > MAX_PAGES + 1 else "warning",
                f"The résumé runs to {doc.pages} pages.",
                f"Keep it to {MAX_PAGES} pages: cut older roles to one line each.",
                section="document",
            )
        )
    if words < MIN_WORDS:
        result.score -= 0.5
        result.findings.append(
            ctx.finding(
                "ats",
                "ats.too_short",
                "warning",
                f"Only {words} words: too little for a reader or an ATS to judge.",
                f"Aim for at least {MIN_WORDS} words: add results and context to each role.",
                section="document",
            )
        )
    elif words > MAX_WORDS_PER_PAGE * max(doc.pages, 1):
        result.score -= 0.3
        result.findings.append(
            ctx.finding(
                "ats",
                "ats.dense",
                "info",
                f"{words} words on {doc.pages} page(s) is dense reading.",
                "Trim bullets to the strongest results; leave white space.",
                section="document",
            )
        )
    result.score = max(0.0, result.score)
    return result


CHECKS = [check_text_layer, check_layout, check_headings, check_length]
