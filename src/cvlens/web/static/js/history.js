// Past résumés and their analyses: open a report, re-run with a new job description, delete.
import { api } from "./api.js";
import { el } from "./dom.js";

function when(iso) {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? "" : date.toLocaleString();
}

function analysisItem(analysis, actions) {
  const score = analysis.result ? `score ${analysis.result.review.score}` : analysis.status;
  const match = analysis.result && analysis.result.match ? `, match ${analysis.result.match.score}` : "";
  const label = `${when(analysis.created_at)} — ${score}${match}${analysis.has_job_description ? " (with job)" : ""}`;
  return el(
    "li",
    { class: `analysis-item ${analysis.status}`, "data-analysis-id": analysis.id },
    el("span", {}, label),
    analysis.status === "failed" && analysis.error ? el("span", { class: "error-inline" }, ` ${analysis.error.message}`) : null,
    analysis.status === "succeeded"
      ? el("button", { type: "button", class: "button small secondary", on: { click: () => actions.open(analysis) } }, "View report")
      : null,
    analysis.status === "queued" || analysis.status === "running"
      ? el("button", { type: "button", class: "button small secondary", on: { click: () => actions.follow(analysis.id) } }, "Watch")
      : null,
  );
}

function rerunForm(resume, actions) {
  const id = `rerun-${resume.id}`;
  const textarea = el("textarea", { id, rows: 4, maxlength: 50000 });
  const form = el(
    "form",
    { class: "rerun stack" },
    el("label", { for: id }, "New job description"),
    textarea,
    el("button", { type: "submit", class: "button small" }, "Re-run analysis"),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    actions.rerun(resume.id, textarea.value);
  });
  return el("details", { class: "rerun-details" }, el("summary", {}, "Re-run against a job description"), form);
}

function deleteButton(resume, actions) {
  const button = el("button", { type: "button", class: "button small danger" }, "Delete");
  let armed = false;
  button.addEventListener("click", () => {
    if (!armed) {
      armed = true;
      button.textContent = "Confirm delete";
      button.setAttribute("aria-label", `Confirm deleting ${resume.filename} and its analyses`);
      return;
    }
    actions.remove(resume.id);
  });
  button.addEventListener("blur", () => {
    armed = false;
    button.textContent = "Delete";
    button.removeAttribute("aria-label");
  });
  return button;
}

export async function loadHistory(list, actions) {
  const [resumes, analyses] = await Promise.all([
    api("/api/v1/resumes?limit=100"),
    api("/api/v1/analyses?limit=100"),
  ]);
  const byResume = new Map();
  for (const analysis of analyses.items) {
    if (!byResume.has(analysis.resume_id)) byResume.set(analysis.resume_id, []);
    byResume.get(analysis.resume_id).push(analysis);
  }
  if (!resumes.items.length) {
    list.replaceChildren(el("li", { class: "muted" }, "Nothing yet: your uploads will appear here."));
    return;
  }
  list.replaceChildren(
    ...resumes.items.map((resume) => {
      const runs = byResume.get(resume.id) || [];
      return el(
        "li",
        { class: "history-item", "data-resume-id": resume.id },
        el(
          "div",
          { class: "history-head" },
          el("p", { class: "history-file" }, resume.filename),
          el("p", { class: "muted" }, `${resume.format.toUpperCase()} · ${Math.ceil(resume.size_bytes / 1024)} KB · ${when(resume.created_at)}`),
          deleteButton(resume, actions),
        ),
        runs.length ? el("ul", { class: "analysis-list" }, ...runs.map((a) => analysisItem(a, actions))) : null,
        rerunForm(resume, actions),
      );
    }),
  );
}
