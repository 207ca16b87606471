// The rollouts dashboard: a plain page on the REST API (no build step). Every request goes through
// the same API as the CLI with the bearer token the person signed in with (kept in this tab's
// sessionStorage only). Who they are and which roles they hold is the server's answer (GET /me),
// never something the page asks them to claim.
"use strict";

const $ = (sel) => document.querySelector(sel);
const session = {
  get token() { return sessionStorage.getItem("rollout.token") || ""; },
  me: null, // {principal, groups, via} from GET /me, for the token above
};
let timers = [];

function esc(s) {
  return String(s ?? "").replace(/[&<>"']/g, c => ({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;"}[c]));
}

async function api(path, options = {}) {
  const headers = Object.assign({"Accept": "application/json"}, options.headers || {});
  if (session.token) headers["Authorization"] = "Bearer " + session.token;
  if (options.body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(path, {method: options.method || "GET", headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body)});
  const text = await response.text();
  if (!response.ok) {
    let detail = text;
    try { const p = JSON.parse(text); detail = p.detail || p.title || text; } catch (e) { /* not JSON */ }
    throw new Error(response.status + ": " + detail);
  }
  return options.raw ? text : (text ? JSON.parse(text) : null);
}

function showError(e) {
  const box = $("#error");
  box.textContent = e.message || String(e);
  box.hidden = false;
  setTimeout(() => { box.hidden = true; }, 8000);
}

function stateBadge(state) {
  return `<span class="state ${esc(state)}">${esc(state || "?")}</span>`;
}

function duration(ms) {
  if (ms <= 0) return "0s";
  const s = Math.floor(ms / 1000), d = Math.floor(s / 86400), h = Math.floor(s % 86400 / 3600),
    m = Math.floor(s % 3600 / 60), sec = s % 60;
  return (d ? d + "d " : "") + (d || h ? h + "h " : "") + (d || h || m ? m + "m " : "") + (d ? "" : sec + "s");
}

function when(iso) {
  return iso ? new Date(iso).toLocaleString() : "";
}

/**
 * What the server says the signed-in caller may be on this rollout: {roles} held on its targets
 * ("*" = any) and {actAs}, the plan's roles among them.
 */
async function myRoles(rolloutId) {
  if (!session.token) return {roles: [], actAs: []};
  const me = await api("/me?rollout=" + encodeURIComponent(rolloutId));
  return {roles: me.roles || [], actAs: me.actAs || []};
}

function roleKey(r) {
  return String(r).normalize("NFKC").trim().toLowerCase();
}

function holds(roles, role) {
  return roles.includes("*") || roles.includes(roleKey(role));
}

function waitsForMe(status, mine) {
  const w = status.waitingFor;
  return !!w && (w.roles || []).some(r => holds(mine.roles, r));
}

// ---- the list -------------------------------------------------------------------------------

async function showList() {
  const view = viewNumber;
  const params = new URLSearchParams(location.hash.split("?")[1] || "");
  $("#view").innerHTML = `
    <div class="filters">
      <label>target <input id="f-target" value="${esc(params.get("target") || "")}" placeholder="service or service/env"></label>
      <label>state <select id="f-state">${["", "WAITING_FOR_APPROVAL", "WAITING_FOR_CHECKLIST", "ON_HOLD", "BAKING",
        "RUNNING_STEP", "PAUSED", "ROLLING_BACK", "COMPLETED", "ROLLED_BACK", "ROLLBACK_FAILED"]
        .map(s => `<option ${s === (params.get("state") || "") ? "selected" : ""}>${s}</option>`).join("")}</select></label>
      <label>waiting for role <input id="f-role" value="${esc(params.get("waitingFor") || "")}" placeholder="e.g. sre"></label>
      <label><input type="checkbox" id="f-mine" ${params.get("mine") ? "checked" : ""}> waiting for me</label>
    </div>
    <table id="rollouts"><thead><tr><th>rollout</th><th>state</th><th>plan</th><th>target</th><th>started</th><th>by</th></tr></thead>
    <tbody><tr><td colspan="6" class="muted">loading…</td></tr></tbody></table>`;
  const refilter = () => {
    const p = new URLSearchParams();
    if ($("#f-target").value) p.set("target", $("#f-target").value);
    if ($("#f-state").value) p.set("state", $("#f-state").value);
    if ($("#f-role").value) p.set("waitingFor", $("#f-role").value);
    if ($("#f-mine").checked) p.set("mine", "1");
    location.hash = "#/?" + p;
  };
  $("#f-target").addEventListener("change", refilter);
  $("#f-state").addEventListener("change", refilter);
  $("#f-role").addEventListener("change", refilter);
  $("#f-mine").addEventListener("change", refilter);

  const query = new URLSearchParams();
  if (params.get("target")) query.set("target", params.get("target"));
  if (params.get("state")) query.set("state", params.get("state"));
  if (params.get("waitingFor")) query.set("waitingFor", params.get("waitingFor"));
  let rows = await api("/rollouts?" + query);
  if (params.get("mine")) {
    const waiting = rows.filter(r => r.state === "WAITING_FOR_APPROVAL" || r.state === "WAITING_FOR_CHECKLIST" || r.state === "ON_HOLD");
    const statuses = await Promise.all(waiting.map(r => Promise.all(
      [api("/rollouts/" + encodeURIComponent(r.rolloutId)), myRoles(r.rolloutId)]).catch(() => null)));
    const mine = new Set(statuses.filter(x => x && waitsForMe(x[0], x[1])).map(x => x[0].rolloutId));
    rows = rows.filter(r => mine.has(r.rolloutId));
  }
  const tbody = $("#rollouts tbody");
  if (!tbody || view !== viewNumber) return; // the user moved on while this list loaded
  tbody.innerHTML = rows.length === 0
    ? `<tr><td colspan="6" class="muted">no rollouts${params.toString() ? " match" : " yet"}</td></tr>`
    : rows.map(r => `<tr class="row" data-id="${esc(r.rolloutId)}">
        <td><a href="#/rollout/${encodeURIComponent(r.rolloutId)}">${esc(r.rolloutId)}</a></td>
        <td>${stateBadge(r.state || r.execution)}</td><td>${esc(r.plan)}</td><td>${esc(r.target)}</td>
        <td>${esc(when(r.startedAt))}</td><td>${esc(r.startedBy)}</td></tr>`).join("");
  document.querySelectorAll("tr.row").forEach(tr =>
    tr.addEventListener("click", () => { location.hash = "#/rollout/" + encodeURIComponent(tr.dataset.id); }));
}

// ---- one rollout ----------------------------------------------------------------------------

async function showRollout(id) {
  const view = viewNumber;
  $("#view").innerHTML = `
    <p><a href="#/">← all rollouts</a></p>
    <div class="card"><h2 id="title">${esc(id)}</h2><div id="now" class="muted">loading…</div></div>
    <div class="card actions" id="actions"></div>
    <div class="card picture"><h2>Plan</h2><div id="picture" class="muted">drawing…</div></div>
    <div class="grid">
      <div class="card"><h2>Gate values</h2><div id="gates"></div></div>
      <div class="card"><h2>Decision log</h2><div id="decisions"></div></div>
    </div>`;
  api("/rollouts/" + encodeURIComponent(id) + "/plan.svg", {raw: true, headers: {"Accept": "image/svg+xml"}})
    .then(svg => { if ($("#picture") && view === viewNumber) $("#picture").innerHTML = svg; })  // our server-drawn SVG, text escaped there
    .catch(e => { if ($("#picture") && view === viewNumber) $("#picture").textContent = "no picture: " + e.message; });
  let status = null;
  let roles = {roles: [], actAs: []};
  try { roles = await myRoles(id); } catch (e) { showError(e); }
  const render = () => status && renderStatus(status, roles);
  const refresh = async () => {
    try {
      const next = await api("/rollouts/" + encodeURIComponent(id));
      if (view !== viewNumber) return; // another page is shown now
      const changed = JSON.stringify(next) !== JSON.stringify(status);
      status = next;
      if (changed) { render(); renderActions(status, roles); }
    } catch (e) { showError(e); }
  };
  await refresh();
  timers.push(setInterval(refresh, 2000));
  timers.push(setInterval(renderCountdown, 1000));
  function renderCountdown() {
    const el = $("#countdown");
    if (el && status && status.bakeEndsAt) el.textContent = duration(new Date(status.bakeEndsAt) - Date.now());
  }
}

function renderStatus(s, roles) {
  if (!$("#now")) return; // the user moved on
  const w = s.waitingFor;
  let html = `<div>${stateBadge(s.state)} ${s.phaseIndex >= 0 ? `phase <b>${s.phaseIndex + 1}/${s.phaseCount}</b>: <b>${esc(s.phase)}</b>` : ""}
    ${s.step ? ` — step: ${esc(s.step)}` : ""}</div>
    <div class="muted">${esc(s.plan)} → ${esc(s.target)}, started ${esc(when(s.startedAt))} by ${esc(s.startedBy)}</div>`;
  if (s.bakeEndsAt && (s.state === "BAKING" || s.state === "PAUSED")) {
    html += `<p>bake time left: <span class="countdown" id="countdown">${duration(new Date(s.bakeEndsAt) - Date.now())}</span>
      <span class="muted">(ends ${esc(when(s.bakeEndsAt))})</span></p>`;
  }
  if (w) {
    html += `<p id="waiting">waiting for <b>${esc(w.kind)}</b>${w.item ? ` (${esc(w.item)})` : ""} from
      <b>${esc((w.roles || []).join(", "))}</b>${w.required > 1 ? ` — ${(w.approvedBy || []).length}/${w.required} given` : ""}
      ${w.until ? ` until ${esc(when(w.until))}` : ""}${waitsForMe(s, roles) ? " — <b>that is you</b>" : ""}</p>`;
  }
  if (s.windowOpensAt) html += `<p>window opens ${esc(when(s.windowOpensAt))}</p>`;
  if (s.pausedByOperator && s.state !== "PAUSED") {
    html += `<p id="paused-note"><b>paused by an operator</b>: it stops before its next step until resumed</p>`;
  }
  if (s.result) {
    const r = s.result;
    html += `<p><b>${esc(r.outcome)}</b>${r.trigger ? ` — ${esc(r.trigger)}` : ""}${r.reason ? `: ${esc(r.reason)}` : ""}</p>`;
    if (r.failedCompensation) html += `<p><b>undo that failed:</b> ${esc(r.failedCompensation)}</p>`;
  }
  if ((s.compensations || []).length) {
    const label = s.state === "ROLLBACK_FAILED" ? "left to undo by hand" : (s.result ? "undone" : "undos registered");
    html += `<details><summary>${label}: ${s.compensations.length}</summary><ul>${s.compensations.map(c => `<li>${esc(c)}</li>`).join("")}</ul></details>`;
  }
  $("#now").innerHTML = html;
  $("#gates").innerHTML = (s.lastGates || []).length === 0 ? `<span class="muted">no gate judged yet</span>` :
    `<table><tr><th>gate</th><th>value</th><th>needs</th><th>verdict</th></tr>${s.lastGates.map(g =>
      `<tr><td>${esc(g.gate)}</td><td>${esc(g.value == null ? "no data" : +Number(g.value).toPrecision(4))}</td>
       <td>${esc(g.threshold)}</td><td>${esc(g.verdict)}</td></tr>`).join("")}</table>`;
  $("#decisions").innerHTML = (s.decisions || []).length === 0 ? `<span class="muted">nothing decided yet</span>` :
    `<table>${s.decisions.map(d => `<tr><td class="muted">${esc(when(d.at))}</td><td>${esc(d.who)}</td>
      <td>${esc(d.what)}${d.comment ? ` — <i>${esc(d.comment)}</i>` : ""}</td></tr>`).join("")}</table>`;
}

/**
 * The buttons for what the rollout waits for, with the role to act as: for an approval or a
 * checklist the wait's roles the server says the caller holds come first; otherwise the plan's
 * roles the caller holds.
 */
function renderActions(s, held) {
  const box = $("#actions");
  if (!box) return;
  const ended = ["COMPLETED", "ROLLED_BACK", "ROLLBACK_FAILED"].includes(s.state);
  if (ended) { box.innerHTML = `<span class="muted">the rollout has ended</span>`; return; }
  const w = s.waitingFor;
  const roles = w ? (w.roles || []) : [];
  const mine = roles.filter(r => holds(held.roles, r));
  const answering = s.state === "WAITING_FOR_APPROVAL" || s.state === "WAITING_FOR_CHECKLIST";
  const offered = answering ? mine.concat(roles.filter(r => !mine.includes(r))) : held.actAs;
  const roleSelect = `<label>as <select id="role">${offered.map(r => `<option>${esc(r)}</option>`).join("")}</select></label>`;
  let html = `<h2>Act${session.me ? " as " + esc(session.me.principal) : ""}</h2>`;
  if (!session.me) html += `<p class="muted">sign in with your API token (top right) to act; the server decides who may.</p>`;
  html += `<input id="comment" placeholder="comment (optional)" size="30">`;
  if (s.state === "WAITING_FOR_APPROVAL") {
    html += `${roleSelect}
      <button class="primary" data-act="approve">Approve</button>
      <button data-act="reject">Reject</button>`;
  }
  if (s.state === "WAITING_FOR_CHECKLIST") {
    html += `${roleSelect}<button class="primary" data-act="confirm">Confirm</button>`;
  }
  if (!answering && offered.length) html += roleSelect;
  if (s.state === "ON_HOLD") {
    html += ["CONTINUE", "RETRY", "ROLLBACK"].map(c => `<button data-act="decide" data-choice="${c}">${c.toLowerCase()}</button>`).join("");
  }
  // Resume answers an operator's pause, whatever the rollout shows meanwhile (an approval it waits
  // for, a step); a rollout PAUSED by its deployment window was not paused by anyone. A worker
  // older than pausedByOperator leaves it null: then PAUSED is all there is to go by.
  const paused = s.pausedByOperator ?? s.state === "PAUSED";
  if (paused) html += `<button data-act="resume">Resume</button>`;
  else if (s.state !== "ROLLING_BACK") html += `<button data-act="pause">Pause</button>`;
  if (s.state !== "ROLLING_BACK") html += `<button class="danger" data-act="abort">Abort…</button>`;
  box.innerHTML = html;
  box.querySelectorAll("button[data-act]").forEach(b => b.addEventListener("click", () => act(s, b.dataset.act, b.dataset.choice)));
}

async function act(s, action, choice) {
  const comment = $("#comment") ? $("#comment").value || null : null;
  const role = $("#role") ? $("#role").value || null : null;
  const waitId = s.waitingFor ? s.waitingFor.id || null : null; // answers this wait, not a later one
  let body;
  switch (action) {
    case "approve": case "reject": body = {role, comment, waitId}; break;
    case "confirm": body = {role, item: s.waitingFor && s.waitingFor.item, comment, waitId}; break;
    case "decide": body = {choice, comment, role, waitId}; break;
    case "abort": {
      const reason = prompt("Why abort? (the rollout rolls back)");
      if (!reason) return;
      body = {reason, role};
      break;
    }
    default: body = {comment, role};
  }
  try {
    const answer = await api("/rollouts/" + encodeURIComponent(s.rolloutId) + "/" + action, {method: "POST", body});
    // Recorded, but the server could not read the whole status right after: it happened, say so.
    if (answer && answer.recorded) showRecorded(answer);
    route();
  } catch (e) { showError(e); }
}

/** An action the rollout recorded whose full status could not be read: not an error, and not to repeat. */
function showRecorded(answer) {
  const box = $("#notice");
  const reason = answer.statusUnavailable ? answer.statusUnavailable.reason : "no reason given";
  box.textContent = `${answer.action} recorded (the rollout was ${answer.state} then); its full status could not be read: `
    + `${reason}. The page reloads it; the ${answer.action} need not be repeated.`;
  box.hidden = false;
  setTimeout(() => { box.hidden = true; }, 15000);
}

// ---- sign-in and routing --------------------------------------------------------------------

/** Asks the server who the token belongs to; a refused token is forgotten. */
async function showWho() {
  session.me = null;
  if (session.token) {
    try {
      session.me = await api("/me");
    } catch (e) {
      sessionStorage.removeItem("rollout.token");
      showError(e);
    }
  }
  const me = session.me;
  $("#who").textContent = me ? `signed in as ${me.principal}${me.groups.length ? " (" + me.groups.join(", ") + ")" : ""}` : "";
  $("#token").hidden = !!me;
  $("#signin button[type=submit]").hidden = !!me;
  $("#signout").hidden = !me;
}

$("#signin").addEventListener("submit", async (e) => {
  e.preventDefault();
  const token = $("#token").value.trim();
  $("#token").value = "";
  if (token) sessionStorage.setItem("rollout.token", token);
  await showWho();
  route();
});

$("#signout").addEventListener("click", async () => {
  sessionStorage.removeItem("rollout.token");
  await showWho();
  route();
});

/** Counts views: a load that finishes after the user moved on (another filter, another rollout) draws nothing. */
let viewNumber = 0;

function route() {
  viewNumber++;
  timers.forEach(clearInterval);
  timers = [];
  if (!session.me) {
    $("#view").innerHTML = `<p class="muted">sign in with your API token (top right): every request needs it.</p>`;
    return;
  }
  const hash = location.hash || "#/";
  const m = hash.match(/^#\/rollout\/([^?]+)/);
  (m ? showRollout(decodeURIComponent(m[1])) : showList()).catch(showError);
}

window.addEventListener("hashchange", route);
showWho().then(route);
