// Upload with XHR (for upload progress events), then queue the analysis.
import { accessToken, ApiError, api, refresh } from "./api.js";

function sendFile(file, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", "/api/v1/resumes");
    xhr.setRequestHeader("Authorization", `Bearer ${accessToken()}`);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.responseType = "text";
    xhr.upload.addEventListener("progress", (event) => {
      if (event.lengthComputable) onProgress(Math.round((event.loaded / event.total) * 100));
    });
    xhr.addEventListener("load", () => {
      let body = null;
      try {
        body = JSON.parse(xhr.responseText || "null");
      } catch {
        body = null;
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve(body);
      else reject(new ApiError(xhr.status, body));
    });
    xhr.addEventListener("error", () =>
      reject(new ApiError(0, { detail: "The upload failed: the server could not be reached." })),
    );
    const form = new FormData();
    form.append("file", file, file.name);
    xhr.send(form);
  });
}

/** Upload `file`; returns the résumé record. Refreshes the token once on 401. */
export async function uploadResume(file, onProgress) {
  try {
    return await sendFile(file, onProgress);
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 401) throw error;
    await refresh();
    return sendFile(file, onProgress);
  }
}

export function startAnalysis(resumeId, jobDescription) {
  const text = (jobDescription || "").trim();
  return api("/api/v1/analyses", {
    method: "POST",
    json: { resume_id: resumeId, job_description: text || null },
  });
}

/** Plain words for a rejected upload, from the problem+json `detail`. */
export function uploadErrorMessage(error) {
  const reasons = {
    413: "This file is too large.",
    415: "This file type is not supported: use PDF, DOCX, TXT or Markdown.",
    422: "This file is empty.",
  };
  const detail = error?.problem?.detail;
  const lead = reasons[error?.status];
  if (lead && detail) return `${lead} (${detail})`;
  return lead || error?.message || "The upload failed.";
}
