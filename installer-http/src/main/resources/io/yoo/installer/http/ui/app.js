// Yoo Installer web UI: plain JS, no build step. Data comes from /api/v1 (admin bearer token) and
// live updates from the SSE stream /api/v1/stream; the page never reloads.
// Built for the install day at thousands of machines: search, sort and filters run here over the
// list the page holds (it follows the stream), the table renders only the rows in view (virtual
// scrolling: fixed row height, spacer rows above and below), and live updates are coalesced into
// at most a few redraws per second. A machine's details open in a side drawer with its own URL,
// #/machines/NAME.
(() => {
  "use strict";
  const STATES = ["unknown", "dhcp", "booting", "installing", "installed", "rebooting", "running", "failed"];
  const ARTIFACTS = ["ipxe", "grub", "pxelinux", "live-config", "install-script", "config", "kubeadm"];
  const ROW_H = 30;          // px, the same as tr.m in app.css: virtual scrolling needs a fixed row height
  const OVERSCAN = 10;       // rows drawn above and below the visible ones
  const REDRAW_MS = 200;     // live updates are drawn at most this often
  // which states count as done (progress, elapsed time) is the server's: the stream's snapshot brings it
  let DONE = new Set();
  const machines = new Map();   // name -> machine JSON
  let view = [];                // the machines shown, filtered and sorted
  let sort = { key: "attention", dir: 1 };   // failed first, then the ones in progress, then by name
  let token = null;
  let drawerFor = null;
  let drawerHistory = [];
  let drawerLogs = new Map();   // attempt (generation) -> its install log's entry from .../attempts
  let source = null;
  let redrawTimer = null;
  const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: "base" });

  const $ = (id) => document.getElementById(id);
  const el = (tag, cls, text) => {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  };

  // Times: epoch milliseconds (today's API) or RFC 3339 strings (both are accepted); null if absent.
  function time(v) {
    if (v === null || v === undefined || v === "") return null;
    if (typeof v === "number") return v;
    const n = Date.parse(v);
    return Number.isNaN(n) ? null : n;
  }
  // A list is a JSON array or a page {items: [...], next}.
  const items = (x) => Array.isArray(x) ? x : (x && Array.isArray(x.items) ? x.items : []);

  function readToken() {
    const m = /(?:^|[#&])token=([^&]+)/.exec(location.hash);
    if (m) {
      localStorage.setItem("yooToken", decodeURIComponent(m[1]));
      history.replaceState(null, "", location.pathname + location.search);
    }
    return localStorage.getItem("yooToken");
  }

  async function request(method, path, body) {
    const res = await fetch(path.startsWith("/") ? path : "/api/v1/" + path, {
      method,
      headers: Object.assign({ "Authorization": "Bearer " + token }, body ? { "Content-Type": "application/json" } : {}),
      body: body ? JSON.stringify(body) : undefined,
    });
    if (res.status === 401) { showLogin("The admin token was refused."); throw new Error("unauthorised"); }
    if (!res.ok) {
      // {error} today, problem+json {title, detail} tomorrow
      const p = await res.json().catch(() => ({}));
      throw new Error(p.detail || p.error || p.title || res.statusText || ("HTTP " + res.status));
    }
    return res;
  }
  const api = async (method, path, body) => (await request(method, path, body)).json();

  function showLogin(msg) {
    if (source) { source.close(); source = null; }
    $("app").hidden = true;
    $("drawer").hidden = true;
    $("login").hidden = false;
    if (msg) setStatus(msg);
  }

  function setStatus(text) { $("status").textContent = text; }

  // ---- derived values ------------------------------------------------------------------------

  const ended = (m) => m.state === "failed" || DONE.has(m.state);

  /** Milliseconds of the current attempt; frozen when the machine reached an end state. */
  function elapsedMs(m) {
    const from = time(m.attemptStartedAt) ?? time(m.stateSince);
    if (from === null) return null;
    let to = Date.now();
    if (m.state === "failed") to = time(m.stateSince) ?? time(m.updatedAt) ?? to;
    else if (DONE.has(m.state)) to = time(m.installedAt) ?? time(m.stateSince) ?? to;
    return Math.max(0, to - from);
  }

  function duration(ms) {
    if (ms === null) return "";
    let s = Math.round(ms / 1000);
    const h = Math.floor(s / 3600); s -= h * 3600;
    const min = Math.floor(s / 60); s -= min * 60;
    return (h ? h + "h " : "") + (h || min ? min + "m " : "") + s + "s";
  }

  const macsOf = (m) => (m.macs && m.macs.length ? m.macs : (m.lastMac ? [m.lastMac] : []));
  const phaseText = (m) => m.phase ? m.phase + (m.phaseStatus ? " (" + m.phaseStatus + ")" : "") : "";
  const labelText = (m) => Object.entries(m.labels || {}).map(([k, v]) => k + "=" + v).join(" ");
  const serialOf = (m) => m.serial || (m.hardware && m.hardware.serial) || "";

  /** Lower-case text the search looks in: name, MACs, IPs, serial, message. Cached per machine object. */
  function haystack(m) {
    if (m._hay === undefined) {
      m._hay = [m.name, ...macsOf(m), m.lastMac, m.ip, m.lastIp, m.ipv6, m.lastIpv6, serialOf(m), m.message]
        .filter(Boolean).join("\n").toLowerCase();
    }
    return m._hay;
  }

  function filterFn() {
    const q = $("search").value.trim().toLowerCase().split(/\s+/).filter(Boolean);
    const st = $("filter-state").value, role = $("filter-role").value, lab = $("filter-label").value.trim();
    let k = null, v;
    if (lab) { [k, v] = lab.split("=", 2); k = k.trim(); if (v !== undefined) v = v.trim(); }
    return (m) => {
      if (st && m.state !== st) return false;
      if (role && m.role !== role) return false;
      if (k !== null) {
        const labels = m.labels || {};
        if (v === undefined) {
          if (!Object.entries(labels).some(([a, b]) => a.includes(k) || String(b).includes(k))) return false;
        } else if (labels[k] !== v) return false;
      }
      if (q.length) {
        const h = haystack(m);
        for (const w of q) if (!h.includes(w)) return false;
      }
      return true;
    };
  }

  const ipNum = (ip) => ip ? ip.split(".").reduce((n, o) => n * 256 + (parseInt(o, 10) || 0), 0) : -1;
  // failed, then in progress, then waiting (unknown), then done
  const attention = (m) => m.state === "failed" ? 0 : DONE.has(m.state) ? 3 : m.state === "unknown" ? 2 : 1;
  const SORTS = {
    attention: (a, b) => attention(a) - attention(b) || collator.compare(a.name, b.name),
    name: (a, b) => collator.compare(a.name, b.name),
    mac: (a, b) => collator.compare(macsOf(a)[0] || "", macsOf(b)[0] || ""),
    ip: (a, b) => ipNum(a.ip || a.lastIp) - ipNum(b.ip || b.lastIp),
    role: (a, b) => collator.compare(a.role || "", b.role || ""),
    labels: (a, b) => collator.compare(labelText(a), labelText(b)),
    state: (a, b) => STATES.indexOf(a.state) - STATES.indexOf(b.state),
    phase: (a, b) => collator.compare(phaseText(a), phaseText(b)),
    elapsed: (a, b) => (elapsedMs(a) ?? -1) - (elapsedMs(b) ?? -1),
    msg: (a, b) => collator.compare(a.message || "", b.message || ""),
  };

  function compare(a, b) {
    const c = SORTS[sort.key](a, b) * sort.dir;
    return c || collator.compare(a.name, b.name);
  }

  // ---- the table (virtual) --------------------------------------------------------------------

  function row(m) {
    const tr = el("tr", "m" + (m.state === "failed" ? " failed" : ""));
    tr.id = "row-" + m.name;
    tr.dataset.state = m.state;
    const name = el("td", "name"); const a = el("a", null, m.name); a.href = "#/machines/" + encodeURIComponent(m.name);
    name.appendChild(a); tr.appendChild(name);
    tr.appendChild(el("td", "mac", macsOf(m).join(" ")));
    tr.appendChild(el("td", "ip", m.ip || m.ipv6 || m.lastIp || "")); // IPv6-only machines: their ipv6
    tr.appendChild(el("td", "role", m.role || ""));
    const labels = el("td", "labels");
    Object.entries(m.labels || {}).forEach(([k, v]) => labels.appendChild(el("span", "label", k + "=" + v)));
    tr.appendChild(labels);
    const st = el("td", "state"); st.appendChild(el("span", "badge " + m.state, m.state)); tr.appendChild(st);
    tr.appendChild(el("td", "phase", phaseText(m)));
    const e = el("td", "elapsed", duration(elapsedMs(m)));
    if (ended(m)) e.classList.add("frozen");
    tr.appendChild(e);
    const msg = el("td", "msg"); if (m.message) { msg.appendChild(el("pre", null, m.message)); msg.title = m.message; }
    tr.appendChild(msg);
    return tr;
  }

  function spacer(h) {
    const tr = el("tr", "spacer"); tr.style.height = h + "px";
    const td = el("td"); td.colSpan = 9; tr.appendChild(td);
    return tr;
  }

  /** Draws the rows in view (and a few around), spacers for the rest. */
  function drawRows() {
    const wrap = $("table-wrap");
    const head = wrap.querySelector("thead").offsetHeight;
    const first = Math.max(0, Math.floor((wrap.scrollTop - head) / ROW_H) - OVERSCAN);
    const count = Math.ceil(wrap.clientHeight / ROW_H) + 2 * OVERSCAN;
    const last = Math.min(view.length, first + count);
    const rows = [spacer(first * ROW_H)];
    for (let i = first; i < last; i++) rows.push(row(view[i]));
    rows.push(spacer((view.length - last) * ROW_H));
    wrap.querySelector("tbody").replaceChildren(...rows);
  }

  /** Filters, sorts, counts and draws: everything after a change of data or of what is asked. */
  function render() {
    if (redrawTimer) { clearTimeout(redrawTimer); redrawTimer = null; }
    const t0 = performance.now();
    const keep = filterFn();
    const counts = Object.fromEntries(STATES.map((s) => [s, 0]));
    view = [];
    for (const m of machines.values()) {
      counts[m.state] = (counts[m.state] || 0) + 1;
      if (keep(m)) view.push(m);
    }
    view.sort(compare);
    drawRows();
    summary(counts);
    window.yooRenderMs = performance.now() - t0;   // read by the browser test (how long a filter takes)
    window.yooRenders = (window.yooRenders || 0) + 1;
  }

  /** Live updates arrive at up to tens per second: one redraw for all of them. */
  function scheduleRender() {
    if (!redrawTimer) redrawTimer = setTimeout(render, REDRAW_MS);
  }

  function summary(counts) {
    const total = machines.size;
    const done = [...DONE].reduce((n, s) => n + (counts[s] || 0), 0);
    $("progress-bar").style.width = (total ? (100 * done / total) : 0) + "%";
    $("progress-text").textContent = done + " / " + total + " done" + (counts.failed ? ", " + counts.failed + " failed" : "");
    const selected = $("filter-state").value;
    $("counts").replaceChildren(...STATES.filter((s) => counts[s]).map((s) => {
      const li = el("li", "badge " + s + (selected === s ? " selected" : ""));
      const b = el("button", null, s + ": " + counts[s]); b.type = "button";
      b.onclick = () => { $("filter-state").value = selected === s ? "" : s; render(); };
      li.id = "count-" + s; li.appendChild(b);
      return li;
    }));
    $("shown").textContent = view.length === total ? total + " machines" : view.length + " of " + total + " shown";
    $("bulk-reprovision").disabled = view.length === 0;
    $("bulk-reprovision").textContent = "Reprovision " + (view.length === total ? "all " : "the ") + view.length + "…";
  }

  function upsert(m) {
    machines.set(m.name, m);
    scheduleRender();
    if (drawerFor === m.name) drawFacts(m);
  }

  // ---- reprovision with confirmation ---------------------------------------------------------

  /** Asks before reprovisioning; control-plane machines need their names typed. Resolves true to go on. */
  function confirmReprovision(list) {
    const dlg = $("confirm");
    const cps = list.filter((m) => m.role === "control-plane").map((m) => m.name);
    $("confirm-text").textContent = list.length === 1
      ? list[0].name + " goes back to unknown and is installed again (its disk is overwritten): now, if it has a BMC (network boot once,"
        + " power cycle), else at its next network boot."
      : list.length + " machines go back to unknown and are installed again (their disks are overwritten): now for those with a BMC"
        + " (network boot once, power cycle), the others at their next network boot.";
    const shown = list.slice(0, 20).map((m) => el("li", null, m.name + " (" + (m.role || "no role") + ", " + m.state + ")"));
    if (list.length > 20) shown.push(el("li", null, "… and " + (list.length - 20) + " more"));
    $("confirm-list").replaceChildren(...shown);
    $("confirm-cp").hidden = cps.length === 0;
    const typed = $("confirm-typed");
    typed.value = "";
    const ok = $("confirm-ok");
    const check = () => {
      const got = new Set(typed.value.trim().split(/\s+/).filter(Boolean));
      ok.disabled = !(cps.length === 0 || (got.size === cps.length && cps.every((n) => got.has(n))));
    };
    typed.oninput = check;
    check();
    return new Promise((resolve) => {
      $("confirm-cancel").onclick = () => dlg.close("cancel");
      dlg.onclose = () => resolve(dlg.returnValue === "ok" && !ok.disabled);
      dlg.returnValue = "";
      dlg.showModal();
      (cps.length ? typed : $("confirm-cancel")).focus();
    });
  }

  async function reprovision(list) {
    if (!list.length || !(await confirmReprovision(list))) { setStatus("nothing reprovisioned"); return; }
    let ok = 0, failed = 0, cycled = 0, bmcFailed = 0;
    const queue = [...list];
    // a few at a time: the server records each one (with its history) before answering
    const worker = async () => {
      for (let m = queue.shift(); m; m = queue.shift()) {
        try {
          const done = await api("POST", "machines/" + encodeURIComponent(m.name) + "/reprovision", { reason: "reprovision from the web UI" });
          const bmc = done.bmc;
          delete done.bmc;
          upsert(done);
          ok++;
          if (bmc && bmc.error) { bmcFailed++; setStatus("BMC of " + m.name + " failed: " + bmc.error); }
          else if (bmc) cycled++;
        } catch (e) {
          failed++;
          setStatus("reprovision of " + m.name + " failed: " + e.message);
        }
      }
    };
    await Promise.all([worker(), worker(), worker(), worker()]);
    setStatus(ok + " machine" + (ok === 1 ? "" : "s") + " reset for reprovisioning; " + cycled + " power-cycled through the BMC"
      + (ok - cycled - bmcFailed ? ", " + (ok - cycled - bmcFailed) + " without a BMC (at their next network boot)" : "")
      + (bmcFailed ? "; " + bmcFailed + " BMC" + (bmcFailed === 1 ? "" : "s") + " failed (at their next network boot)" : "")
      + (failed ? "; " + failed + " failed" : ""));
  }

  // ---- the drawer (#/machines/NAME) ------------------------------------------------------------

  function fact(dl, k, v) { dl.appendChild(el("dt", null, k)); dl.appendChild(el("dd", null, v === "" || v == null ? "—" : v)); }

  function drawFacts(m) {
    $("drawer-state").className = "badge " + m.state;
    $("drawer-state").textContent = m.state;
    const dl = $("drawer-facts");
    dl.replaceChildren();
    fact(dl, "MAC", macsOf(m).join(" "));
    fact(dl, "IP", m.ip || m.lastIp);
    fact(dl, "IPv6", m.ipv6 || m.lastIpv6);
    fact(dl, "Role", m.role);
    fact(dl, "Labels", labelText(m));
    fact(dl, "Serial", serialOf(m));
    fact(dl, "Phase", phaseText(m));
    fact(dl, "Attempt", m.generation);
    fact(dl, "Elapsed", duration(elapsedMs(m)) + (ended(m) ? " (ended)" : ""));
    fact(dl, "Last message", m.message);
    if (m.inDescriptor === false) fact(dl, "Descriptor", "not in the descriptor (only the state store knows it)");
  }

  /** The power state as the machine's BMC reports it (GET .../power: read through the BMC, cached 10 s by the server). */
  async function drawPower(name) {
    const p = $("drawer-power");
    p.textContent = "BMC power state: asking the BMC…";
    try {
      const r = await api("GET", "machines/" + encodeURIComponent(name) + "/power");
      if (drawerFor !== name) return;
      p.textContent = r.bmc === null ? "BMC power state: no BMC (the descriptor gives this machine no bmc: block)"
        : "BMC power state: " + r.power + " (" + r.bmc + ", read " + new Date(time(r.checkedAt)).toLocaleTimeString() + ")";
    } catch (e) {
      if (drawerFor === name) p.textContent = "BMC power state: not known (" + e.message + ")";
    }
  }

  function timelineItem(e) {
    const li = el("li", "event" + (e.status === "failed" ? " failed" : ""));
    const at = time(e.at);
    li.appendChild(el("span", "when", at === null ? "" : new Date(at).toLocaleTimeString()));
    li.appendChild(document.createTextNode(e.phase + " " + e.status + " → " + e.stateAfter
      + (e.outcome && e.outcome !== "applied" ? " [" + e.outcome + "]" : "") + " (" + e.source + ")"));
    if (e.message) li.appendChild(el("pre", null, e.message));
    return li;
  }

  /** A button that fetches and shows the attempt's install log (the whole script output) in the attempt's box. */
  function logButton(name, info) {
    const box = el("div", "install-log");
    const b = el("button", "show-log", "Install log (" + Math.max(1, Math.round(info.bytes / 1024)) + " KiB)");
    b.type = "button";
    const pre = el("pre", "log"); pre.hidden = true;
    b.onclick = async () => {
      if (!pre.hidden) { pre.hidden = true; return; }
      try {
        const text = await (await request("GET", info.log)).text();
        if (drawerFor === name) { pre.textContent = text; pre.hidden = false; }
      } catch (e) { pre.textContent = "install log: " + e.message; pre.hidden = false; }
    };
    box.appendChild(b); box.appendChild(pre);
    return box;
  }

  /** The history grouped by attempt (generation), newest attempt first and open; each attempt with its install log. */
  function drawTimeline() {
    const byGen = new Map();
    for (const e of drawerHistory) {
      const g = e.generation ?? 0;
      if (!byGen.has(g)) byGen.set(g, []);
      byGen.get(g).push(e);
    }
    for (const g of drawerLogs.keys()) if (!byGen.has(g)) byGen.set(g, []);
    const gens = [...byGen.keys()].sort((a, b) => b - a);
    $("timeline-events").replaceChildren(...gens.map((g, i) => {
      const d = el("details", "attempt"); d.open = i === 0; d.dataset.generation = g;
      const evs = byGen.get(g).slice().sort((a, b) => (time(a.at) ?? 0) - (time(b.at) ?? 0));
      const failed = evs.some((e) => e.status === "failed");
      d.appendChild(el("summary", failed ? "failed" : "", "Attempt " + g + " — " + evs.length + " event" + (evs.length === 1 ? "" : "s")
        + (failed ? ", failed" : "")));
      const ol = el("ol"); evs.forEach((e) => ol.appendChild(timelineItem(e))); d.appendChild(ol);
      const log = drawerLogs.get(g);
      d.appendChild(log ? logButton(drawerFor, log) : el("p", "hint", "no install log uploaded for this attempt"));
      return d;
    }));
  }

  function drawLease(m, leases) {
    const macs = new Set(macsOf(m).map((x) => x.toLowerCase()));
    const mine = leases.filter((l) => (l.mac && macs.has(String(l.mac).toLowerCase())) || (m.ip && l.ip === m.ip));
    const box = $("drawer-lease");
    if (!mine.length) { box.replaceChildren(el("p", "hint", "no lease held by this server for this machine")); return; }
    box.replaceChildren(...mine.map((l) => {
      let exp = time(l.expires);
      if (exp !== null && exp < 1e11) exp *= 1000;   // today's lease mirror gives epoch seconds
      return el("p", "lease", l.ip + " → " + l.mac + " (" + l.state + (exp ? ", expires " + new Date(exp).toLocaleString() : "") + ")");
    }));
  }

  function drawArtifacts(name) {
    $("drawer-artifact").hidden = true;
    $("drawer-artifacts").replaceChildren(...ARTIFACTS.map((kind) => {
      const li = el("li");
      const a = el("a", null, kind);
      a.href = "/api/v1/machines/" + encodeURIComponent(name) + "/render/" + kind;
      // the API wants the bearer token in a header: fetch and show here rather than navigate
      a.onclick = async (ev) => {
        ev.preventDefault();
        const pre = $("drawer-artifact");
        try {
          const text = await (await request("GET", a.getAttribute("href"))).text();
          if (drawerFor === name) { pre.textContent = text; pre.hidden = false; }
        } catch (e) { pre.textContent = kind + ": " + e.message; pre.hidden = false; }
      };
      li.appendChild(a);
      return li;
    }));
  }

  async function openDrawer(name) {
    drawerFor = name;
    drawerHistory = [];
    drawerLogs = new Map();
    $("drawer-name").textContent = name;
    $("drawer").hidden = false;
    $("drawer").scrollTop = 0;
    $("timeline-events").replaceChildren();
    $("drawer-lease").replaceChildren(el("p", "hint", "…"));
    drawArtifacts(name);
    drawPower(name);
    const known = machines.get(name);
    if (known) drawFacts(known);
    try {
      const m = await api("GET", "machines/" + encodeURIComponent(name));
      if (drawerFor !== name) return;
      drawFacts(m);
      drawerHistory = items(m.history);
      const logs = await api("GET", "machines/" + encodeURIComponent(name) + "/attempts").catch(() => null);
      if (drawerFor !== name) return;
      drawerLogs = new Map(items(logs).map((l) => [l.attempt, l]));
      drawTimeline();
      const leases = await api("GET", "leases").catch(() => null);
      if (drawerFor === name) {
        if (leases === null) $("drawer-lease").replaceChildren(el("p", "hint", "leases unavailable"));
        else drawLease(m, items(leases));
      }
    } catch (e) {
      setStatus("cannot load " + name + ": " + e.message);
    }
  }

  function closeDrawer() {
    drawerFor = null;
    $("drawer").hidden = true;
  }

  function route() {
    const m = /^#\/machines\/(.+)$/.exec(location.hash);
    if (m) openDrawer(decodeURIComponent(m[1])); else closeDrawer();
  }

  // ---- data ----------------------------------------------------------------------------------

  /** The machine list from GET /api/v1/machines: an array, or pages {items, next} followed (bounded). */
  async function loadList() {
    let path = "machines", all = [];
    for (let page = 0; path && page < 1000; page++) {
      const body = await api("GET", path);
      all = all.concat(items(body));
      const next = Array.isArray(body) ? null : body.next;
      path = !next ? null : String(next).includes("/") ? String(next) : "machines?cursor=" + encodeURIComponent(next);
    }
    return all;
  }

  function replaceAll(list) {
    machines.clear();
    list.forEach((m) => machines.set(m.name, m));
    render();
  }

  function connect() {
    if (source) source.close();
    source = new EventSource("/api/v1/stream?access_token=" + encodeURIComponent(token));
    source.addEventListener("snapshot", (ev) => {
      const data = JSON.parse(ev.data);
      if (data.doneStates) DONE = new Set(data.doneStates);
      if (data.machines) replaceAll(items(data.machines));
      else loadList().then(replaceAll).catch((e) => setStatus("cannot load the machines: " + e.message));
      $("live").textContent = "live"; $("live").className = "live on";
      if (drawerFor) openDrawer(drawerFor);
    });
    source.addEventListener("machine", (ev) => {
      const data = JSON.parse(ev.data);
      upsert(data.machine);
      if (drawerFor === data.machine.name && data.event) { drawerHistory.push(data.event); drawTimeline(); }
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
      banner.textContent = foreignDhcpText(found, more);
      banner.hidden = false;
    } catch (e) { /* a refused token shows the login; a network error: next time */ }
  }

  // What the banner says, by family: a DHCPv6 server (the DHCPv6 watch names it by its IPv6
  // link-local address) takes addresses and boot files too, and proxy mode (network.dhcp: proxy,
  // DHCPv4 only) does not help against it; the "and N more" are of either family.
  function foreignDhcpText(found, more) {
    const v6 = found.filter((f) => String(f.server).includes(":")).length;
    const list = found.map((f) => f.description).join("; ") + (more ? "; and " + more + " more" : "");
    if (found.length && v6 === found.length && !more) {
      return "Another DHCPv6 server answers on the install network: " + list
        + ". Machines may take its addresses or boot file instead of Yoo's: switch it off.";
    }
    return "Another DHCP server answers on the install network: " + list
      + ". Machines may take its answers instead of Yoo's: switch it off, or use network.dhcp: proxy"
      + (v6 ? " (against a DHCPv4 server only: proxy mode does not help against a DHCPv6 one)." : ".");
  }

  // The state database unreachable: writes wait in this server's spool. /readyz says so (503, one
  // line: since when, why, how many writes queued); a banner while it does. Asked with the network check.
  async function checkStore() {
    try {
      const res = await fetch("/readyz", { cache: "no-store" });
      const text = (await res.text()).trim();
      const banner = $("store-down");
      if (res.ok || !text.startsWith("state store DOWN")) { banner.hidden = true; return; }
      banner.textContent = "The state database is unreachable: " + text.replace(/^state store /, "")
        + ". Reserved machines are still answered and their events are queued here; new pool leases are not given"
        + " until it is back.";
      banner.hidden = false;
    } catch (e) { /* network error: next time */ }
  }

  // Several servers on one PostgreSQL: one line naming each with its health (GET /api/v1/servers,
  // their heartbeats); hidden for a server alone. Asked with the network check.
  async function checkServers() {
    try {
      const list = await api("GET", "servers");
      const line = $("servers");
      if (!Array.isArray(list) || !list.length) { line.hidden = true; return; }
      line.textContent = "Servers: " + list.map((s) => s.host + " " + s.addresses.join(",") + (s.self ? " (this one)" : "")
        + (s.holdsServiceAddress ? " [holds the service address]" : "")
        + (s.stale ? ": STALE, last heartbeat " + s.lastHeartbeat : ": up")).join("; ");
      line.classList.toggle("bad", list.some((s) => s.stale));
      line.hidden = false;
    } catch (e) { /* a refused token shows the login; a network error: next time */ }
  }

  function start() {
    $("login").hidden = true;
    $("app").hidden = false;
    connect();
    checkNetwork();
    checkServers();
    checkStore();
    route();
  }

  function drawSortMarks() {
    document.querySelectorAll("#machines th[data-sort]").forEach((th) => {
      th.classList.toggle("sorted", th.dataset.sort === sort.key);
      th.dataset.dir = th.dataset.sort === sort.key ? (sort.dir > 0 ? "asc" : "desc") : "";
    });
  }

  STATES.forEach((s) => { const o = el("option", null, s); o.value = s; $("filter-state").appendChild(o); });
  ["search", "filter-state", "filter-role", "filter-label"].forEach((id) => ["input", "change"].forEach((t) => $(id).addEventListener(t, () => {
    $("table-wrap").scrollTop = 0;
    render();
  })));
  document.querySelectorAll("#machines th[data-sort]").forEach((th) => th.addEventListener("click", () => {
    sort = sort.key === th.dataset.sort ? { key: sort.key, dir: -sort.dir } : { key: th.dataset.sort, dir: 1 };
    drawSortMarks();
    render();
  }));
  let scrollQueued = false;
  $("table-wrap").addEventListener("scroll", () => {
    if (scrollQueued) return;
    scrollQueued = true;
    requestAnimationFrame(() => { scrollQueued = false; drawRows(); });
  });
  window.addEventListener("resize", () => drawRows());
  window.addEventListener("hashchange", route);
  document.addEventListener("keydown", (ev) => {
    if (ev.key === "Escape" && drawerFor && !$("confirm").open) location.hash = "#/";
  });
  $("bulk-reprovision").onclick = () => reprovision([...view]);
  $("drawer-reprovision").onclick = () => { const m = machines.get(drawerFor); if (m) reprovision([m]); };
  $("login-form").onsubmit = (ev) => {
    ev.preventDefault();
    token = $("token-input").value.trim();
    localStorage.setItem("yooToken", token);
    start();
  };
  setInterval(() => { if (token && !$("app").hidden) { checkNetwork(); checkServers(); checkStore(); } }, 15000);
  // the running clocks: only rows in the DOM, only machines not at an end state
  setInterval(() => {
    document.querySelectorAll("#machines tbody tr.m").forEach((tr) => {
      const m = machines.get(tr.id.slice(4));
      if (m && !ended(m)) tr.querySelector("td.elapsed").textContent = duration(elapsedMs(m));
    });
  }, 1000);

  drawSortMarks();
  token = readToken();
  if (token) start(); else showLogin();
})();
