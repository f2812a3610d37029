// Horizontal SVG bar chart of the overall and per-dimension scores (0–100).
import { svg } from "./dom.js";

const ROW = 30;
const LABEL_WIDTH = 100;
const BAR_WIDTH = 240;
const VALUE_WIDTH = 40;

function band(score) {
  if (score >= 80) return "good";
  if (score >= 60) return "fair";
  return "poor";
}

/** rows: [{label, score, emphasis?}] */
export function scoreChart(rows, title) {
  const height = rows.length * ROW + 6;
  const width = LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH;
  const chart = svg("svg", {
    class: "score-chart",
    viewBox: `0 0 ${width} ${height}`,
    role: "img",
    "aria-labelledby": "score-chart-title",
    preserveAspectRatio: "xMinYMin meet",
  });
  chart.append(svg("title", { id: "score-chart-title" }, title));
  rows.forEach((row, index) => {
    const y = index * ROW + 4;
    const score = Math.max(0, Math.min(100, Number(row.score) || 0));
    const group = svg("g", { class: `bar-row ${row.emphasis ? "emphasis" : ""}`, "data-dimension": row.label });
    group.append(
      svg("text", { x: LABEL_WIDTH - 10, y: y + 16, class: "bar-label", "text-anchor": "end" }, row.label),
      svg("rect", { x: LABEL_WIDTH, y, width: BAR_WIDTH, height: 20, rx: 4, class: "bar-track" }),
      svg("rect", {
        x: LABEL_WIDTH,
        y,
        width: (BAR_WIDTH * score) / 100,
        height: 20,
        rx: 4,
        class: `bar-fill ${band(score)}`,
      }),
      svg("text", { x: LABEL_WIDTH + BAR_WIDTH + 8, y: y + 16, class: "bar-value" }, String(score)),
    );
    chart.append(group);
  });
  return chart;
}
