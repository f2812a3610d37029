// The report: scores chart, findings by severity, match chips, parsed résumé, JSON Resume download.
import { el } from "./dom.js";
import { scoreChart } from "./chart.js";
import { resumeView } from "./resume_view.js";

const SEVERITIES = [
  ["critical", "Critical"],
  ["warning", "Warnings"],
  ["info", "Suggestions"],
];
const MATCH_KINDS = [
  ["matched", "Matched"],
  ["partial", "Partial"],
  ["missing", "Missing"],
];

function findingItem(finding) {
  const evidence = finding.evidence || {};
  return el(
    "li",
    { class: `finding ${finding.severity}` },
    el("p", { class: "finding-message" }, finding.message),
    evidence.line
      ? el(
          "p",
          { class: "evidence" },
          el("span", { class: "evidence-label" }, `Evidence (${evidence.section}): `),
          el("q", {}, evidence.line.trim()),
        )
      : el("p", { class: "evidence muted" }, `Applies to: ${evidence.section || "the whole document"}`),
    el("p", { class: "fix" }, el("span", { class: "fix-label" }, "Fix: "), finding.fix),
  );
}

function findingsBlock(findings) {
  const block = el("section", { class: "card findings", "aria-labelledby": "findings-title" });
  block.append(el("h3", { id: "findings-title" }, `Findings (${findings.length})`));
  if (!findings.length) {
    block.append(el("p", {}, "No findings: nothing to fix."));
    return block;
  }
  for (const [severity, title] of SEVERITIES) {
    const group = findings.filter((f) => f.severity === severity);
    if (!group.length) continue;
    block.append(
      el(
        "div",
        { class: `severity-group ${severity}` },
        el("h4", {}, `${title} (${group.length})`),
        el("ul", { class: "finding-list" }, ...group.map(findingItem)),
      ),
    );
  }
  return block;
}

function chip(item) {
  const note = item.detail || (item.evidence && item.evidence.line) || "";
  return el(
    "li",
    { class: `chip ${item.status}`, title: note || null, "data-status": item.status },
    el("span", { class: "visually-hidden" }, `${item.status}: `),
    el("span", { class: "chip-text" }, item.requirement),
  );
}

function matchBlock(match) {
  const block = el("section", { class: "card match", "aria-labelledby": "match-title" });
  if (!match) {
    block.append(
      el("h3", { id: "match-title" }, "Job match"),
      el("p", { class: "muted" }, "No job description was given. Re-run from the history below with one to see the match."),
    );
    return block;
  }
  block.append(el("h3", { id: "match-title" }, `Job match: ${match.score}/100`));
  for (const [kind, title] of MATCH_KINDS) {
    const items = match[kind] || [];
    block.append(
      el(
        "div",
        { class: "chip-group" },
        el("h4", {}, `${title} (${items.length})`),
        items.length ? el("ul", { class: "chips", "data-kind": kind }, ...items.map(chip)) : el("p", { class: "muted" }, "None"),
      ),
    );
  }
  if (match.explanation && match.explanation.length) {
    block.append(el("ul", { class: "explanation" }, ...match.explanation.map((line) => el("li", {}, line))));
  }
  return block;
}

function download(resume) {
  const name = (resume.basics && resume.basics.name) || "resume";
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") || "resume";
  const blob = new Blob([JSON.stringify(resume, null, 2)], { type: "application/json" });
  const url = URL.createObjectURL(blob);
  const link = el("a", { href: url, download: `${slug}.resume.json` });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function renderReport(container, analysis) {
  const { resume, review, match } = analysis.result;
  const basics = resume.basics || {};
  const rows = [
    { label: "overall", score: review.score, emphasis: true },
    ...review.dimensions.map((d) => ({ label: d.name, score: d.score })),
  ];
  container.replaceChildren(
    el(
      "div",
      { class: "card report-head" },
      el(
        "div",
        { class: "report-title" },
        el("h2", { id: "report-title", tabindex: "-1" }, basics.name || "Unnamed résumé"),
        basics.label ? el("p", { class: "entry-subtitle" }, basics.label) : null,
      ),
      el(
        "div",
        { class: "overall", "aria-label": `Overall score ${review.score} out of 100` },
        el("span", { id: "overall-score", class: "overall-score" }, String(review.score)),
        el("span", { class: "overall-max" }, "/100"),
      ),
      el("button", { type: "button", id: "download-json", class: "button secondary", on: { click: () => download(resume) } }, "Download JSON Resume"),
    ),
    el(
      "section",
      { class: "card scores", "aria-labelledby": "scores-title" },
      el("h3", { id: "scores-title" }, "Scores"),
      scoreChart(rows, `Overall ${review.score}/100; ${review.dimensions.map((d) => `${d.name} ${d.score}`).join(", ")}`),
    ),
    findingsBlock(review.findings || []),
    matchBlock(match),
    el("section", { class: "card parsed", "aria-labelledby": "parsed-title" }, el("h3", { id: "parsed-title" }, "What we read"), resumeView(resume)),
  );
  container.hidden = false;
}
