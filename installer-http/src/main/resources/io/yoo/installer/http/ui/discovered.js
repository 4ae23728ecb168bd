// Yoo Installer web UI, the "Discovered" view: machines in no descriptor that booted discovery
// (server.discovery) and reported their inventory. Enroll one (name, role, labels, address; the
// address is suggested by the server when left empty) or reject it. Plain JS like app.js; it
// reads the same admin token and asks GET /api/v1/discovered every 5 s while the page is open.
(() => {
  "use strict";
  const POLL_MS = 5000;
  const $ = (id) => document.getElementById(id);
  const el = (tag, cls, text) => {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  };
  let enrolling = null;   // the discovered machine the dialog is for

  function token() { return localStorage.getItem("yooToken"); }

  async function call(method, path, body) {
    const res = await fetch("/api/v1/" + path, {
      method,
      headers: Object.assign({ "Authorization": "Bearer " + token() }, body ? { "Content-Type": "application/json" } : {}),
      body: body ? JSON.stringify(body) : undefined,
    });
    const data = await res.json().catch(() => ({}));
    if (!res.ok) throw new Error(data.detail || data.title || ("HTTP " + res.status));
    return data;
  }

  function bytes(n) {
    if (typeof n !== "number") return "—";
    const units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
    let u = 0;
    while (n >= 1024 && u < units.length - 1) { n /= 1024; u++; }
    return (n >= 10 || u === 0 ? Math.round(n) : n.toFixed(1)) + " " + units[u];
  }

  function cellList(lines) {
    const td = el("td", "inv");
    lines.forEach((l) => td.appendChild(el("div", null, l)));
    return td;
  }

  function row(d) {
    const inv = d.inventory || {};
    const sys = inv.system || {};
    const tr = el("tr", "d " + d.status);
    tr.id = "discovered-" + d.id;
    tr.appendChild(el("td", "id", d.id));
    const st = el("td", "status");
    st.appendChild(el("span", "badge " + d.status, d.status));
    if (d.heldReason) st.appendChild(el("div", "hint", d.heldReason));
    tr.appendChild(st);
    tr.appendChild(el("td", "mac", d.mac));
    tr.appendChild(el("td", "serial", d.serial || "—"));
    tr.appendChild(cellList([[sys.vendor, sys.product].filter(Boolean).join(" ") || "—", sys.uuid || ""]));
    tr.appendChild(el("td", "cpu", inv.cpu ? (inv.cpu.count || "?") + " × " + (inv.cpu.model || "?") : "—"));
    tr.appendChild(el("td", "mem", bytes(inv.memoryBytes)));
    tr.appendChild(cellList((inv.disks || []).map((k) => k.name + " " + bytes(k.sizeBytes)
      + (k.rotational === true ? " HDD" : k.rotational === false ? " SSD" : "") + (k.model ? " " + k.model : ""))));
    tr.appendChild(cellList((inv.nics || []).map((n) => n.mac + " " + (n.link || "") + (n.speedMbps ? " " + n.speedMbps + " Mb/s" : "")
      + (n.lldp ? " ↔ " + [n.lldp.system || n.lldp.chassis, n.lldp.port].filter(Boolean).join(" ") : ""))));
    tr.appendChild(el("td", "bmc", inv.bmc && inv.bmc.address ? inv.bmc.address : "—"));
    const act = el("td", "actions");
    if (d.status === "new" || d.status === "held") {
      const e = el("button", "enroll", "Enroll…"); e.type = "button"; e.onclick = () => openEnroll(d);
      const r = el("button", "reject", "Reject"); r.type = "button"; r.onclick = () => reject(d);
      act.appendChild(e); act.appendChild(r);
    }
    tr.appendChild(act);
    return tr;
  }

  async function refresh() {
    if (!token() || $("app").hidden) return;
    try {
      const list = await call("GET", "discovered");
      const body = $("discovered-table").tBodies[0];
      body.replaceChildren(...list.map(row));
      const waiting = list.filter((d) => d.status === "new" || d.status === "held").length;
      $("discovered-count").textContent = String(waiting);
      $("discovered").hidden = list.length === 0;
      if (location.hash === "#/discovered") $("discovered").open = true;
    } catch (e) { $("discovered-status").textContent = "cannot list discovered machines: " + e.message; }
  }

  function openEnroll(d) {
    enrolling = d;
    $("enroll-title").textContent = "Enroll " + d.mac + (d.serial ? " (serial " + d.serial + ")" : "");
    ["enroll-name", "enroll-labels", "enroll-ip"].forEach((id) => { $(id).value = ""; });
    $("enroll-diff").hidden = true;
    $("enroll-error").textContent = "";
    $("enroll-ok").disabled = false;
    $("enroll").showModal();
  }

  async function enroll(ev) {
    ev.preventDefault();
    const labels = {};
    for (const kv of $("enroll-labels").value.split(",").map((s) => s.trim()).filter(Boolean)) {
      const i = kv.indexOf("=");
      if (i <= 0) { $("enroll-error").textContent = "labels are key=value, separated by commas"; return; }
      labels[kv.slice(0, i).trim()] = kv.slice(i + 1).trim();
    }
    const body = { name: $("enroll-name").value.trim(), role: $("enroll-role").value, labels };
    if ($("enroll-ip").value.trim()) body.ip = $("enroll-ip").value.trim();
    $("enroll-ok").disabled = true;
    try {
      const r = await call("POST", "discovered/" + enrolling.id + "/enroll", body);
      $("enroll-error").textContent = "Enrolled as " + r.name + " at " + r.ip + ": it reboots into its install.";
      $("enroll-diff").textContent = r.diff;
      $("enroll-diff").hidden = false;
      refresh();
    } catch (e) {
      $("enroll-error").textContent = e.message;
      $("enroll-ok").disabled = false;
    }
  }

  async function reject(d) {
    if (!confirm("Reject " + d.mac + "? It powers off at its next status poll.")) return;
    try { await call("POST", "discovered/" + d.id + "/reject"); } catch (e) { $("discovered-status").textContent = e.message; }
    refresh();
  }

  $("enroll-form").onsubmit = enroll;
  $("enroll-cancel").onclick = () => $("enroll").close();
  window.addEventListener("hashchange", () => { if (location.hash === "#/discovered") { $("discovered").open = true; refresh(); } });
  setInterval(refresh, POLL_MS);
  setTimeout(refresh, 300);
})();
