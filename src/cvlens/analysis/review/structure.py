"""Structure: the sections a reader expects, and a way to reach the candidate."""

from __future__ import annotations

from cvlens.analysis.review.context import MAX_EXAMPLES, CheckResult, ReviewContext
from cvlens.analysis.review.models import Severity

CONTACT_FIELDS: list[tuple[str, float, Severity]] = [
    # (field, weight, severity when missing)
    ("name", 0.3, "critical"),
    ("email", 0.3, "critical"),
    ("phone", 0.2, "warning"),
    ("location", 0.1, "info"),
    ("profile", 0.1, "info"),
]


def check_sections(ctx: ReviewContext) -> CheckResult:
    resume = ctx.resume
    required: list[tuple[str, bool, Severity, str]] = [
        ("work", bool(resume.work), "critical", "Add a Work Experience section with your roles."),
        ("education", bool(resume.education), "warning", "Add an Education section."),
        ("skills", bool(resume.skills), "warning", "Add a Skills section listing your tools."),
    ]
    result = CheckResult("structure.sections", 0.5, 0.0)
    present = 0.0
    for section, found, severity, fix in required:
        if found:
            present += 1
            continue
        result.findings.append(
            ctx.finding(
                "structure",
                "structure.missing_section",
                severity,
                f"No {section} section was found.",
                fix,
                section=section,
            )
        )
    unnamed = [job for job in resume.work if not job.name]
    if unnamed:  # the section is there but ATS imports cannot file these jobs
        present -= len(unnamed) / len(resume.work)
    for job in unnamed[:MAX_EXAMPLES]:
        role = job.position or "a role"
        result.findings.append(
            ctx.finding(
                "structure",
                "structure.work_employer",
                "warning",
                f"The job “{role}” names no employer.",
                f"Put the employer on the role's line (“{role}, Employer”): ATS imports and "
                "recruiters file a job under its employer, and skip one without.",
                section="work",
                text=job.position,
            )
        )
    result.score = present / len(required)
    return result


def check_contact(ctx: ReviewContext) -> CheckResult:
    basics = ctx.resume.basics
    values = {
        "name": basics.name,
        "email": basics.email,
        "phone": basics.phone,
        "location": basics.location
        and (
            basics.location.city
            or basics.location.region
            or basics.location.countryCode
            or basics.location.address
        ),
        "profile": basics.url or (basics.profiles[0].url if basics.profiles else None),
    }
    result = CheckResult("structure.contact", 0.4, 0.0)
    for field, weight, severity in CONTACT_FIELDS:
        if values[field]:
            result.score += weight
            continue
        result.findings.append(
            ctx.finding(
                "structure",
                f"structure.contact.{field}",
                severity,
                f"The contact details have no {field}.",
                f"Add your {field} to the header so recruiters can reach you.",
                section="basics",
            )
        )
    return result


def check_summary(ctx: ReviewContext) -> CheckResult:
    if ctx.resume.basics.summary:
        return CheckResult("structure.summary", 0.1, 1.0)
    finding = ctx.finding(
        "structure",
        "structure.summary",
        "info",
        "There is no summary at the top.",
        "Add two or three lines that say who you are and what you are looking for.",
        section="basics",
    )
    return CheckResult("structure.summary", 0.1, 0.0, [finding])


CHECKS = [check_sections, check_contact, check_summary]
