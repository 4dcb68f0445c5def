// fluxagent workbench: sortable tables and live session updates (SSE). The pages read fine
// without this script; it only adds sorting, live refresh and progress bars.
"use strict";

function sortTable(button) {
  const table = button.closest("table");
  const col = Number(button.dataset.col);
  const dir = button.dataset.dir === "asc" ? "desc" : "asc";
  table.querySelectorAll("th button.sort").forEach((b) => { delete b.dataset.dir; });
  button.dataset.dir = dir;
  const body = table.tBodies[0];
  const rows = Array.from(body.rows);
  const key = (row) => {
    const cell = row.cells[col];
    if (!cell) return "";
    return cell.dataset.v !== undefined ? Number(cell.dataset.v) : cell.textContent.trim().toLowerCase();
  };
  rows.sort((a, b) => {
    const x = key(a), y = key(b);
    const c = (typeof x === "number" && typeof y === "number") ? x - y : String(x).localeCompare(String(y));
    return dir === "asc" ? c : -c;
  });
  rows.forEach((r) => body.appendChild(r));
  const th = button.closest("th");
  table.querySelectorAll("th").forEach((h) => h.removeAttribute("aria-sort"));
  th.setAttribute("aria-sort", dir === "asc" ? "ascending" : "descending");
}

document.addEventListener("click", (event) => {
  const button = event.target.closest("th button.sort");
  if (button) sortTable(button);
});

function live(root) {
  const sid = root.dataset.session;
  let last = Number(root.dataset.last);
  let pending = null;
  let progress = { fraction: 0, message: "" };

  function showProgress() {
    const box = document.getElementById("progress");
    if (!box) return;
    const bar = document.getElementById("progress-bar");
    const text = document.getElementById("progress-text");
    if (progress.message) {
      box.hidden = false;
      bar.value = progress.fraction;
      text.textContent = progress.message + " (" + Math.round(progress.fraction * 100) + "%)";
    } else {
      box.hidden = true;
    }
  }

  function refresh() {
    pending = null;
    fetch("/web/sessions/" + encodeURIComponent(sid) + "/live", { credentials: "same-origin" })
      .then((r) => (r.ok ? r.text() : Promise.reject(r.status)))
      .then((html) => {
        const state = new Map();  // keep what the reader opened or closed
        root.querySelectorAll("details[data-key]").forEach((d) => state.set(d.dataset.key, d.open));
        root.innerHTML = html;  // server-rendered, autoescaped HTML of this site
        root.querySelectorAll("details[data-key]").forEach((d) => {
          if (state.has(d.dataset.key)) d.open = state.get(d.dataset.key);
        });
        root.dataset.last = String(last);
        showProgress();
      })
      .catch(() => {});
  }

  function later() { if (!pending) pending = setTimeout(refresh, 150); }

  const url = "/web/sessions/" + encodeURIComponent(sid) + "/stream?follow=true&after=" + last;
  const source = new EventSource(url);
  source.addEventListener("event", (e) => {
    const ev = JSON.parse(e.data);
    last = Math.max(last, ev.seq);
    if (ev.type === "tool_result" || ev.type === "tool_error") progress = { fraction: 0, message: "" };
    later();
  });
  source.addEventListener("progress", (e) => {
    const p = JSON.parse(e.data);
    progress = { fraction: Math.max(0, Math.min(1, Number(p.fraction) || 0)), message: String(p.message || "") };
    showProgress();
  });
  source.addEventListener("run", (e) => {
    const run = JSON.parse(e.data);
    if (run.status !== "running") { progress = { fraction: 0, message: "" }; }
    later();
  });
  source.addEventListener("end", () => { later(); });
  root.dataset.live = "on";
}

document.addEventListener("DOMContentLoaded", () => {
  const root = document.getElementById("live");
  if (root && root.dataset.session) live(root);
});
