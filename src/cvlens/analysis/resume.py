"""JSON Resume (https://jsonresume.org/schema) as Pydantic models.

Field names follow the schema exactly (camelCase), so `model_dump(exclude_none=True)`
is a valid JSON Resume document.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class _Model(BaseModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=True)


class Location(_Model):
    address: str | None = None
    postalCode: str | None = None  # noqa: N815 - JSON Resume field name
    city: str | None = None
    countryCode: str | None = None  # noqa: N815
    region: str | None = None


class Profile(_Model):
    network: str | None = None
    username: str | None = None
    url: str | None = None


class Basics(_Model):
    name: str | None = None
    label: str | None = None
    image: str | None = None
    email: str | None = None
    phone: str | None = None
    url: str | None = None
    summary: str | None = None
    location: Location | None = None
    profiles: list[Profile] = Field(default_factory=list)


class Work(_Model):
    name: str | None = None
    position: str | None = None
    location: str | None = None
    description: str | None = None
    url: str | None = None
    startDate: str | None = None  # noqa: N815
    endDate: str | None = None  # noqa: N815
    summary: str | None = None
    highlights: list[str] = Field(default_factory=list)


class Volunteer(_Model):
    organization: str | None = None
    position: str | None = None
    url: str | None = None
    startDate: str | None = None  # noqa: N815
    endDate: str | None = None  # noqa: N815
    summary: str | None = None
    highlights: list[str] = Field(default_factory=list)


class Education(_Model):
    institution: str | None = None
    url: str | None = None
    area: str | None = None
    studyType: str | None = None  # noqa: N815
    startDate: str | None = None  # noqa: N815
    endDate: str | None = None  # noqa: N815
    score: str | None = None
    courses: list[str] = Field(default_factory=list)


class Award(_Model):
    title: str | None = None
    date: str | None = None
    awarder: str | None = None
    summary: str | None = None


class Certificate(_Model):
    name: str | None = None
    date: str | None = None
    issuer: str | None = None
    url: str | None = None


class Publication(_Model):
    name: str | None = None
    publisher: str | None = None
    releaseDate: str | None = None  # noqa: N815
    url: str | None = None
    summary: str | None = None


class Skill(_Model):
    name: str | None = None
    level: str | None = None
    keywords: list[str] = Field(default_factory=list)


class Language(_Model):
    language: str | None = None
    fluency: str | None = None


class Interest(_Model):
    name: str | None = None
    keywords: list[str] = Field(default_factory=list)


class Reference(_Model):
    name: str | None = None
    reference: str | None = None


class Project(_Model):
    name: str | None = None
    description: str | None = None
    highlights: list[str] = Field(default_factory=list)
    keywords: list[str] = Field(default_factory=list)
    startDate: str | None = None  # noqa: N815
    endDate: str | None = None  # noqa: N815
    url: str | None = None
    roles: list[str] = Field(default_factory=list)


class Resume(_Model):
    basics: Basics = Field(default_factory=Basics)
    work: list[Work] = Field(default_factory=list)
    volunteer: list[Volunteer] = Field(default_factory=list)
    education: list[Education] = Field(default_factory=list)
    awards: list[Award] = Field(default_factory=list)
    certificates: list[Certificate] = Field(default_factory=list)
    publications: list[Publication] = Field(default_factory=list)
    skills: list[Skill] = Field(default_factory=list)
    languages: list[Language] = Field(default_factory=list)
    interests: list[Interest] = Field(default_factory=list)
    references: list[Reference] = Field(default_factory=list)
    projects: list[Project] = Field(default_factory=list)

    def to_json_resume(self) -> dict[str, object]:
        """The JSON Resume document. A job whose employer the document never names stays
        on the model (the review and the match read its dates and bullets) but leaves
        `work`: JSON Resume consumers, matchers and ATS imports key a job on its employer,
        and an entry without one reads as a parsing error there. It is kept, whole, under
        `meta.cvlens.workWithoutEmployer` (the schema's place for tooling data), and the
        review names each one as a finding."""
        data = self.model_dump(mode="json", exclude_none=True, exclude_defaults=False)
        jobs = list(zip(data["work"], self.work, strict=True))
        unnamed = [job for job, entry in jobs if not entry.name]
        if unnamed:
            data["work"] = [job for job, entry in jobs if entry.name]
            data["meta"] = {"cvlens": {"workWithoutEmployer": unnamed}}
        return data
