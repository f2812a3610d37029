// Follow an analysis: WebSocket first, then Server-Sent Events, then polling.
import { accessToken, api, authorizedFetch } from "./api.js";

const TERMINAL = new Set(["succeeded", "failed"]);
const POLL_MS = 1000;

function eventsPath(id) {
  return `/api/v1/analyses/${encodeURIComponent(id)}/events`;
}

/** Resolves with the last event when terminal; rejects if the socket never carried one. */
function viaWebSocket(id, onEvent) {
  return new Promise((resolve, reject) => {
    if (!("WebSocket" in window)) {
      reject(new Error("no WebSocket"));
      return;
    }
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    let socket;
    try {
      socket = new WebSocket(`${scheme}//${location.host}${eventsPath(id)}`, ["bearer", accessToken()]);
    } catch (error) {
      reject(error);
      return;
    }
    let last = null;
    socket.addEventListener("message", (message) => {
      try {
        last = JSON.parse(message.data);
      } catch {
        return;
      }
      onEvent(last);
    });
    socket.addEventListener("close", () => {
      if (last && TERMINAL.has(last.status)) resolve(last);
      else reject(new Error("the WebSocket closed before the analysis ended"));
    });
  });
}

function* parseSse(buffer) {
  // Yields [event-data, rest] pairs for every complete block in `buffer`.
  let index;
  while ((index = buffer.indexOf("\n\n")) !== -1) {
    const block = buffer.slice(0, index);
    buffer = buffer.slice(index + 2);
    const data = block
      .split("\n")
      .filter((line) => line.startsWith("data:"))
      .map((line) => line.slice(5).trimStart())
      .join("\n");
    yield [data, buffer];
  }
  yield [null, buffer];
}

/** EventSource cannot send an Authorization header, so read the stream with fetch. */
async function viaSse(id, onEvent) {
  const response = await authorizedFetch(eventsPath(id), { headers: { Accept: "text/event-stream" } });
  if (!response.ok || !response.body) throw new Error(`SSE answered ${response.status}`);
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  let last = null;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += value.replaceAll("\r\n", "\n");
    for (const [data, rest] of parseSse(buffer)) {
      buffer = rest;
      if (!data) continue;
      last = JSON.parse(data);
      onEvent(last);
    }
  }
  if (last && TERMINAL.has(last.status)) return last;
  throw new Error("the event stream ended before the analysis did");
}

async function viaPolling(id, onEvent) {
  for (;;) {
    const analysis = await api(`/api/v1/analyses/${encodeURIComponent(id)}`);
    onEvent(analysis);
    if (TERMINAL.has(analysis.status)) return analysis;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/**
 * Calls `onEvent(event, transport)` for each state; resolves with the full analysis (with result).
 * `transports` lets a caller (or a test) skip some, e.g. ["sse", "polling"].
 */
export async function followAnalysis(id, onEvent, transports = ["websocket", "sse", "polling"]) {
  const ways = { websocket: viaWebSocket, sse: viaSse, polling: viaPolling };
  let lastError = null;
  for (const name of transports) {
    try {
      await ways[name](id, (event) => onEvent(event, name));
      return api(`/api/v1/analyses/${encodeURIComponent(id)}`);
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError ?? new Error("no way to follow the analysis");
}
