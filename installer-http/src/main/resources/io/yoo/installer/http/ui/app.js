// Yoo Installer web UI: plain JS, no build step. Data comes from /api/v1 (admin bearer token) and
// live updates from the SSE stream /api/v1/stream; the page never reloads.
(() => {
  "use strict";
  const STATES = ["unknown", "dhcp", "booting", "installing", "installed", "rebooting", "running", "failed"];
  // which states count as done (progress, elapsed time) is the server's: the stream's snapshot brings it
  let DONE = new Set();
  const machines = new Map();   // name -> machine JSON
  let token = null;
  let timelineFor = null;
  let source = null;

  const $ = (id) => document.getElementById(id);
  const el = (tag, cls, text) => {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  };

  function readToken() {
    const m = /(?:^|[#&])token=([^&]+)/.exec(location.hash);
    if (m) {
      localStorage.setItem("yooToken", decodeURIComponent(m[1]));
      history.replaceState(null, "", location.pathname + location.search);
    }
    return localStorage.getItem("yooToken");
  }

  async function api(method, path, body) {
    const res = await fetch("/api/v1/" + path, {
      method,
      headers: Object.assign({ "Authorization": "Bearer " + token }, body ? { "Content-Type": "application/json" } : {}),
      body: body ? JSON.stringify(body) : undefined,
    });
    if (res.status === 401) { showLogin("The admin token was refused."); throw new Error("unauthorised"); }
    if (!res.ok) { const p = await res.json().catch(() => ({})); throw new Error(p.detail || p.error || res.statusText); } // RFC 9457 problem
    return res.json();
  }

  function showLogin(msg) {
    if (source) { source.close(); source = null; }
    $("app").hidden = true;
    $("login").hidden = false;
    if (msg) setStatus(msg);
  }

  function setStatus(text) { $("status").textContent = text; }

  // API times are RFC 3339 strings (older servers: epoch milliseconds)
  function ms(t) { return typeof t === "number" ? t : Date.parse(t); }

  function elapsed(m) {
    const from = m.attemptStartedAt || m.stateSince;
    if (!from) return "";
    const to = DONE.has(m.state) && m.installedAt ? ms(m.installedAt) : Date.now();
    let s = Math.max(0, Math.round((to - ms(from)) / 1000));
    const h = Math.floor(s / 3600); s -= h * 3600;
    const min = Math.floor(s / 60); s -= min * 60;
    return (h ? h + "h " : "") + (h || min ? min + "m " : "") + s + "s";
  }

  function matches(m) {
    const st = $("filter-state").value, role = $("filter-role").value, lab = $("filter-label").value.trim();
    if (st && m.state !== st) return false;
    if (role && m.role !== role) return false;
    if (lab) {
      const [k, v] = lab.split("=", 2);
      const labels = m.labels || {};
      if (v === undefined) {
        if (!Object.entries(labels).some(([a, b]) => a.includes(k) || String(b).includes(k))) return false;
      } else if (labels[k.trim()] !== v.trim()) return false;
    }
    return true;
  }

  function row(m) {
    const tr = el("tr");
    tr.id = "row-" + m.name;
    tr.dataset.state = m.state;
    tr.className = m.state === "failed" ? "failed" : "";
    const name = el("td", "name"); const a = el("a", null, m.name); a.onclick = () => openTimeline(m.name); name.appendChild(a);
    tr.appendChild(name);
    tr.appendChild(el("td", "mac", (m.macs || []).join(" ") || m.lastMac || ""));
    tr.appendChild(el("td", "ip", m.ip || ""));
    tr.appendChild(el("td", "role", m.role || ""));
    const labels = el("td", "labels");
    Object.entries(m.labels || {}).forEach(([k, v]) => labels.appendChild(el("span", "label", k + "=" + v)));
    tr.appendChild(labels);
    const st = el("td", "state"); st.appendChild(el("span", "badge " + m.state, m.state)); tr.appendChild(st);
    tr.appendChild(el("td", "phase", m.phase ? m.phase + (m.phaseStatus ? " (" + m.phaseStatus + ")" : "") : ""));
    tr.appendChild(el("td", "elapsed", elapsed(m)));
    const msg = el("td", "msg"); if (m.message) msg.appendChild(el("pre", null, m.message)); tr.appendChild(msg);
    const act = el("td", "actions");
    const b = el("button", "reprovision", "Reprovision"); b.type = "button";
    b.onclick = () => reprovision(m.name, b);
    act.appendChild(b);
    tr.appendChild(act);
    tr.hidden = !matches(m);
    return tr;
  }

  function render() {
    const tbody = document.querySelector("#machines tbody");
    tbody.replaceChildren(...[...machines.values()].map(row));
    summary();
  }

  function upsert(m) {
    machines.set(m.name, m);
    const old = $("row-" + m.name);
    const tr = row(m);
    if (old) old.replaceWith(tr); else document.querySelector("#machines tbody").appendChild(tr);
    summary();
  }

  function summary() {
    const counts = Object.fromEntries(STATES.map((s) => [s, 0]));
    let shown = 0;
    for (const m of machines.values()) { counts[m.state] = (counts[m.state] || 0) + 1; if (matches(m)) shown++; }
    const total = machines.size;
    const done = [...DONE].reduce((n, s) => n + counts[s], 0);
    $("progress-bar").style.width = (total ? (100 * done / total) : 0) + "%";
    $("progress-text").textContent = done + " / " + total + " done" + (counts.failed ? ", " + counts.failed + " failed" : "");
    $("counts").replaceChildren(...STATES.filter((s) => counts[s]).map((s) => {
      const li = el("li", null, s + ": " + counts[s]); li.id = "count-" + s; li.className = "badge " + s; return li;
    }));
    $("shown").textContent = shown === total ? "" : shown + " of " + total + " shown";
  }

  async function reprovision(name, button) {
    button.disabled = true;
    try {
      const m = await api("POST", "machines/" + encodeURIComponent(name) + "/reprovision", { reason: "reprovision from the web UI" });
      upsert(m);
      setStatus(name + " will be reprovisioned at its next network boot");
    } catch (e) {
      setStatus("reprovision of " + name + " failed: " + e.message);
    } finally {
      button.disabled = false;
    }
  }

  function timelineItem(e) {
    const li = el("li", e.status === "failed" ? "failed" : "");
    li.appendChild(el("span", "when", new Date(e.at).toLocaleTimeString()));
    li.appendChild(document.createTextNode(e.phase + " " + e.status + " → " + e.stateAfter
      + (e.outcome !== "applied" ? " [" + e.outcome + "]" : "") + " (" + e.source + ")"));
    if (e.message) li.appendChild(el("pre", null, e.message));
    return li;
  }

  async function openTimeline(name) {
    timelineFor = name;
    $("timeline-name").textContent = name;
    $("timeline").hidden = false;
    const list = $("timeline-events");
    list.replaceChildren();
    try {
      const m = await api("GET", "machines/" + encodeURIComponent(name));
      if (timelineFor === name) list.replaceChildren(...(m.history || []).map(timelineItem));
    } catch (e) {
      setStatus("cannot load the timeline of " + name + ": " + e.message);
    }
  }

  function connect() {
    if (source) source.close();
    source = new EventSource("/api/v1/stream?access_token=" + encodeURIComponent(token));
    source.addEventListener("snapshot", (ev) => {
      const data = JSON.parse(ev.data);
      DONE = new Set(data.doneStates);
      machines.clear();
      data.machines.forEach((m) => machines.set(m.name, m));
      render();
      $("live").textContent = "live"; $("live").className = "live on";
    });
    source.addEventListener("machine", (ev) => {
      const data = JSON.parse(ev.data);
      upsert(data.machine);
      if (timelineFor === data.machine.name) $("timeline-events").appendChild(timelineItem(data.event));
    });
    source.onerror = () => {
      $("live").textContent = "reconnecting…"; $("live").className = "live off";
      // a refused token shows up as an error too: check it once
      api("GET", "summary").catch(() => {});
    };
  }

  // Another DHCP server on the install network (the server probes every 5 minutes): a banner
  // while the last probe found one. The summary says so; asked at start and every 15 s.
  async function checkNetwork() {
    try {
      const s = await api("GET", "summary");
      const found = s.foreignDhcpServers || [];
      const more = s.foreignDhcpServersUntracked || 0;
      const banner = $("foreign-dhcp");
      if (!found.length && !more) { banner.hidden = true; return; }
      banner.textContent = "Another DHCP server answers on the install network: "
        + found.map((f) => f.description).join("; ") + (more ? "; and " + more + " more" : "")
        + ". Machines may take its answers instead of Yoo's: switch it off, or use network.dhcp: proxy.";
      banner.hidden = false;
    } catch (e) { /* a refused token shows the login; a network error: next time */ }
  }

  function start() {
    $("login").hidden = true;
    $("app").hidden = false;
    connect();
    checkNetwork();
  }

  STATES.forEach((s) => { const o = el("option", null, s); o.value = s; $("filter-state").appendChild(o); });
  ["filter-state", "filter-role", "filter-label"].forEach((id) => ["input", "change"].forEach((t) => $(id).addEventListener(t, render)));
  $("timeline-close").onclick = () => { timelineFor = null; $("timeline").hidden = true; };
  $("login-form").onsubmit = (ev) => {
    ev.preventDefault();
    token = $("token-input").value.trim();
    localStorage.setItem("yooToken", token);
    start();
  };
  setInterval(() => { if (token && !$("app").hidden) checkNetwork(); }, 15000);
  setInterval(() => {
    for (const m of machines.values()) {
      const td = document.querySelector("#row-" + CSS.escape(m.name) + " td.elapsed");
      if (td && !DONE.has(m.state) && m.state !== "failed") td.textContent = elapsed(m);
    }
  }, 1000);

  token = readToken();
  if (token) start(); else showLogin();
})();
