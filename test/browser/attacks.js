// What a hostile page served by a sandbox tries against the LiteBoxd API, run in a real browser
// by test/browser/browser_test.py. Each probe resolves to a short verdict string; the test
// decides which verdicts are failures. The same probes run from the API's own origin as a
// control, where they must succeed: a probe that cannot detect success proves nothing.
const lbx = {
  // Read the sandbox list with the user's cookie. "READ" means the response was readable.
  async read(api) {
    try {
      const r = await fetch(api + "/api/v1/sandboxes", {credentials: "include"});
      if (!r.ok) return "status:" + r.status;
      const body = await r.json();
      return Array.isArray(body.items) ? "READ" : "status:" + r.status;
    } catch (e) {
      return "blocked:" + e.name;
    }
  },
  // Open the terminal WebSocket of a sandbox with the user's cookie. "OPENED" means it worked.
  terminal(api, id) {
    return new Promise((resolve) => {
      let ws;
      try {
        ws = new WebSocket(api.replace(/^http/, "ws") + "/api/v1/sandboxes/" + id + "/exec/interactive");
      } catch (e) {
        resolve("blocked:" + e.name);
        return;
      }
      const timer = setTimeout(() => { ws.close(); resolve("timeout"); }, 8000);
      ws.onopen = () => { clearTimeout(timer); ws.close(); resolve("OPENED"); };
      ws.onerror = () => { clearTimeout(timer); resolve("refused"); };
    });
  },
  // Writes whose answers the page cannot read (no-cors): the test checks their effect instead.
  async mint(api) {
    try {
      await fetch(api + "/api/v1/auth/api-keys", {method: "POST", mode: "no-cors", credentials: "include",
        headers: {"Content-Type": "text/plain"}, body: JSON.stringify({name: "pwned-by-sandbox"})});
      return "sent";
    } catch (e) {
      return "blocked:" + e.name;
    }
  },
  async exec(api, id) {
    try {
      await fetch(api + "/api/v1/sandboxes/" + id + "/exec", {method: "POST", mode: "no-cors", credentials: "include",
        headers: {"Content-Type": "text/plain"}, body: JSON.stringify({command: ["touch", "/tmp/pwned-by-page"]})});
      return "sent";
    } catch (e) {
      return "blocked:" + e.name;
    }
  },
  // Plant a session cookie from script: for this page's host, and for the API's host.
  plant(apiHost) {
    const out = [];
    for (const extra of ["", "; domain=" + apiHost]) {
      try {
        document.cookie = "liteboxd_session=stolen-by-script; path=/" + extra;
        out.push("written");
      } catch (e) {
        out.push("threw:" + e.name);
      }
    }
    return out.join(",");
  },
  // Ask the sandbox's own server for a response that sets and clears control-plane cookies.
  async plantByHeader(apiHost) {
    try {
      const r = await fetch("set-evil?domain=" + encodeURIComponent(apiHost), {credentials: "include"});
      return "status:" + r.status;
    } catch (e) {
      return "blocked:" + e.name;
    }
  },
  async all(api, id) {
    return {
      read: await lbx.read(api),
      terminal: await lbx.terminal(api, id),
      mint: await lbx.mint(api),
      exec: await lbx.exec(api, id),
      plant: lbx.plant(new URL(api).hostname),
      plantByHeader: await lbx.plantByHeader(new URL(api).hostname),
    };
  },
};
