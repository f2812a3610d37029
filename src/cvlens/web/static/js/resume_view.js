// The parsed JSON Resume as readable sections (all text via text nodes).
import { el } from "./dom.js";

function dates(item) {
  const start = item.startDate || "";
  const end = item.endDate || (start ? "present" : "");
  return [start, end].filter(Boolean).join(" – ");
}

function entry(title, subtitle, when, extra = []) {
  return el(
    "li",
    { class: "resume-entry" },
    el("p", { class: "entry-title" }, title || "—"),
    subtitle ? el("p", { class: "entry-subtitle" }, subtitle) : null,
    when ? el("p", { class: "entry-dates" }, when) : null,
    ...extra,
  );
}

function list(items) {
  return items && items.length ? el("ul", { class: "bullets" }, ...items.map((text) => el("li", {}, text))) : null;
}

function section(title, body) {
  if (!body) return null;
  return el("section", { class: `resume-section ${title.toLowerCase()}` }, el("h4", {}, title), body);
}

function entries(items, render) {
  return items && items.length ? el("ul", { class: "entries" }, ...items.map(render)) : null;
}

// Jobs whose employer the document never names sit in meta (see Resume.to_json_resume).
function jobs(resume) {
  const unnamed = ((resume.meta || {}).cvlens || {}).workWithoutEmployer || [];
  return [...(resume.work || []), ...unnamed];
}

export function resumeView(resume) {
  const basics = resume.basics || {};
  const location = basics.location || {};
  const contact = [basics.email, basics.phone, [location.city, location.region].filter(Boolean).join(", ")]
    .filter(Boolean)
    .join(" · ");
  const profiles = (basics.profiles || []).map((p) => `${p.network || "Profile"}: ${p.url || p.username || ""}`);
  return el(
    "div",
    { class: "resume-view" },
    el(
      "section",
      { class: "resume-section basics" },
      el("h4", {}, "Basics"),
      el("p", { class: "resume-name" }, basics.name || "Unnamed"),
      basics.label ? el("p", { class: "entry-subtitle" }, basics.label) : null,
      contact ? el("p", { class: "entry-dates" }, contact) : null,
      basics.summary ? el("p", { class: "summary" }, basics.summary) : null,
      list(profiles),
    ),
    section(
      "Work",
      entries(jobs(resume), (w) =>
        entry(
          w.position,
          [w.name || "employer not named", w.location].filter(Boolean).join(", "),
          dates(w),
          [list(w.highlights)],
        ),
      ),
    ),
    section(
      "Education",
      entries(resume.education, (e) =>
        entry(e.institution, [e.studyType, e.area].filter(Boolean).join(", "), dates(e)),
      ),
    ),
    section(
      "Skills",
      entries(resume.skills, (s) => entry(s.name, (s.keywords || []).join(", "), "")),
    ),
    section(
      "Projects",
      entries(resume.projects, (p) => entry(p.name, p.description, dates(p), [list(p.highlights)])),
    ),
    section(
      "Certificates",
      entries(resume.certificates, (c) => entry(c.name, c.issuer, c.date)),
    ),
    section(
      "Languages",
      entries(resume.languages, (l) => entry(l.language, l.fluency, "")),
    ),
  );
}
