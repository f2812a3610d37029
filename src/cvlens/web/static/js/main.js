// Page wiring: auth ⇄ workspace, upload → live progress → report, history.
import * as auth from "./api.js";
import { $, setText, show } from "./dom.js";
import { loadHistory } from "./history.js";
import { followAnalysis } from "./progress.js";
import { renderReport } from "./report.js";
import { startAnalysis, uploadErrorMessage, uploadResume } from "./upload.js";

const STAGE_WORDS = {
  queued: "Waiting for a worker…",
  running: "Analysing…",
  succeeded: "Done.",
  failed: "The analysis failed.",
};

let mode = "signin";
let selectedFile = null;

function applySession(session) {
  show($("#auth"), !session);
  show($("#workspace"), Boolean(session));
  show($("#account"), Boolean(session));
  setText($("#account-email"), session ? session.email : "");
  if (session) refreshHistory();
  else setMode("signin");
}

function setMode(next) {
  mode = next;
  const signup = mode === "signup";
  $("#tab-signin").setAttribute("aria-selected", String(!signup));
  $("#tab-signup").setAttribute("aria-selected", String(signup));
  show($("#name-field"), signup);
  setText($("#auth-title"), signup ? "Create your account" : "Sign in to start");
  setText($("#auth-submit"), signup ? "Create account" : "Sign in");
  $("#auth-password").setAttribute("autocomplete", signup ? "new-password" : "current-password");
  setText($("#auth-error"), "");
}

async function submitAuth(event) {
  event.preventDefault();
  const email = $("#auth-email").value.trim();
  const password = $("#auth-password").value;
  const submit = $("#auth-submit");
  setText($("#auth-error"), "");
  if (!email || !password) {
    setText($("#auth-error"), "Enter your email and a password.");
    return;
  }
  submit.disabled = true;
  try {
    if (mode === "signup") await auth.register(email, password, $("#auth-name").value.trim());
    await auth.signIn(email, password);
    $("#auth-password").value = "";
  } catch (error) {
    setText($("#auth-error"), error.message);
  } finally {
    submit.disabled = false;
  }
}

function chooseFile(file) {
  selectedFile = file || null;
  setText($("#upload-error"), "");
  setText($("#file-name"), selectedFile ? `Selected: ${selectedFile.name}` : "");
}

function wireDropZone() {
  const zone = $("#drop-zone");
  for (const name of ["dragenter", "dragover"]) {
    zone.addEventListener(name, (event) => {
      event.preventDefault();
      zone.classList.add("dragging");
    });
  }
  for (const name of ["dragleave", "drop"]) {
    zone.addEventListener(name, () => zone.classList.remove("dragging"));
  }
  zone.addEventListener("drop", (event) => {
    event.preventDefault();
    const file = event.dataTransfer && event.dataTransfer.files[0];
    if (file) chooseFile(file);
  });
  $("#file-input").addEventListener("change", (event) => chooseFile(event.target.files[0]));
}

function showProgress(event, transport) {
  const status = $("#analysis-status");
  status.dataset.transport = transport;
  status.dataset.status = event.status;
  show(status, true);
  $("#analysis-progress").value = event.progress ?? 0;
  const stage = event.stage ? `${STAGE_WORDS[event.status] || ""} ${event.stage}` : STAGE_WORDS[event.status];
  setText($("#analysis-stage"), `${stage || event.status} (${event.progress ?? 0}%)`);
}

async function follow(analysisId) {
  const report = $("#report");
  show(report, false);
  setText($("#analysis-error"), "");
  show($("#analysis-status"), true);
  setText($("#status-title"), "Analysing");
  try {
    const analysis = await followAnalysis(analysisId, showProgress);
    if (analysis.status === "succeeded") {
      show($("#analysis-status"), false);
      renderReport(report, analysis);
      report.scrollIntoView({ block: "start" });
      $("#report-title").focus({ preventScroll: true });
    } else {
      setText($("#status-title"), "Analysis failed");
      const message = analysis.error ? analysis.error.message : "The analysis did not finish.";
      setText($("#analysis-error"), message);
    }
  } catch (error) {
    setText($("#analysis-error"), error.message);
  }
  refreshHistory();
}

async function submitUpload(event) {
  event.preventDefault();
  const error = $("#upload-error");
  setText(error, "");
  if (!selectedFile) {
    setText(error, "Choose a résumé file first.");
    return;
  }
  const submit = $("#upload-submit");
  const bar = $("#upload-progress");
  submit.disabled = true;
  bar.value = 0;
  show($("#upload-progress-wrap"), true);
  try {
    const resume = await uploadResume(selectedFile, (percent) => {
      bar.value = percent;
    });
    bar.value = 100;
    const accepted = await startAnalysis(resume.id, $("#job-description").value);
    show($("#upload-progress-wrap"), false);
    await follow(accepted.id);
  } catch (failure) {
    show($("#upload-progress-wrap"), false);
    setText(error, uploadErrorMessage(failure));
  } finally {
    submit.disabled = false;
  }
}

const historyActions = {
  open(analysis) {
    show($("#analysis-status"), false);
    renderReport($("#report"), analysis);
    $("#report").scrollIntoView({ block: "start" });
  },
  follow,
  async rerun(resumeId, jobDescription) {
    setText($("#history-error"), "");
    try {
      const accepted = await startAnalysis(resumeId, jobDescription);
      await follow(accepted.id);
    } catch (error) {
      setText($("#history-error"), error.message);
    }
  },
  async remove(resumeId) {
    setText($("#history-error"), "");
    try {
      await auth.api(`/api/v1/resumes/${encodeURIComponent(resumeId)}`, { method: "DELETE" });
    } catch (error) {
      setText($("#history-error"), error.message);
    }
    refreshHistory();
  },
};

async function refreshHistory() {
  try {
    await loadHistory($("#history-list"), historyActions);
    setText($("#history-error"), "");
  } catch (error) {
    setText($("#history-error"), error.message);
  }
}

function start() {
  $("#tab-signin").addEventListener("click", () => setMode("signin"));
  $("#tab-signup").addEventListener("click", () => setMode("signup"));
  $("#auth-form").addEventListener("submit", submitAuth);
  $("#sign-out").addEventListener("click", () => auth.signOut());
  $("#upload-form").addEventListener("submit", submitUpload);
  $("#history-refresh").addEventListener("click", refreshHistory);
  wireDropZone();
  auth.onSessionChange(applySession);
  auth.resumeSession();
  applySession(auth.currentSession());
}

start();
