/**
 * The storage the lock protects, for the ZooKeeper side: an HTTP service on loopback that keeps a
 * log of accepted writes. Fenced, it accepts a write only if its token is no lower than the highest
 * token it has accepted (Kleppmann's storage that checks fencing tokens); unfenced, it accepts
 * every write (a lock user that ignores its token). It lives in the driver's process, which is
 * never paused or killed, as Synod's storage node is a process apart from the lock clients. Each
 * verdict is appended to a file and fsynced before the answer leaves, as Synod's storage node
 * persists its verdict before it answers (so neither side's store is faster for forgetting).
 *
 * @module
 */
import fs from "node:fs";
import http from "node:http";

/**
 * The store's decision on one write, as a pure function of its state (tested without a server).
 * @param {{ fenced: boolean, highest: number, verdicts: Map<string, boolean>, log: {attempt: string, token: number, value: string}[] }} state
 * @param {{ attempt: string, token: number, value: string }} write
 * @returns {boolean} whether the write was accepted (a resent write gets its first verdict again)
 */
export function decide(state, write) {
  const earlier = state.verdicts.get(write.attempt);
  if (earlier !== undefined) return earlier;
  const accepted = !state.fenced || write.token >= state.highest;
  if (accepted) {
    state.highest = Math.max(state.highest, write.token);
    state.log.push({ attempt: write.attempt, token: write.token, value: write.value });
  }
  state.verdicts.set(write.attempt, accepted);
  return accepted;
}

/** A fresh store state. @param {boolean} fenced */
export function storeState(fenced) {
  return { fenced, highest: 0, verdicts: new Map(), log: [] };
}

/** `null` if `w` is `{ attempt, token, value }` with a token >= 1, else the problem. @param {unknown} w */
export function checkWrite(w) {
  if (typeof w !== "object" || w === null) return "a write must be a JSON object";
  const x = /** @type {Record<string, unknown>} */ (w);
  if (typeof x.attempt !== "string" || x.attempt === "") return "write.attempt: expected a non-empty string";
  if (!(typeof x.token === "number" && Number.isSafeInteger(x.token) && x.token >= 1)) return `write.token: expected an integer >= 1, got ${JSON.stringify(x.token)}`;
  if (typeof x.value !== "string") return "write.value: expected a string";
  return null;
}

/**
 * Serve a store on 127.0.0.1 (a free port): `POST /write` with `{ attempt, token, value }` answers
 * `{ accepted }`; `GET /log` answers `{ writes }`. Verdicts are made durable in `file`.
 * @param {{ fenced: boolean, file: string }} options
 * @returns {Promise<{ url: string, state: ReturnType<typeof storeState>, close(): Promise<void> }>}
 */
export async function startStore(options) {
  const state = storeState(options.fenced);
  const fd = fs.openSync(options.file, "a");
  const server = http.createServer((req, res) => {
    const send = (code, body) => {
      res.writeHead(code, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    if (req.method === "GET" && req.url === "/log") return send(200, { writes: state.log });
    if (req.method !== "POST" || req.url !== "/write") return send(404, { error: `no ${req.method} ${req.url}` });
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      let w;
      try {
        w = JSON.parse(body);
      } catch (e) {
        return send(400, { error: `body is not JSON: ${e.message}` });
      }
      const problem = checkWrite(w);
      if (problem !== null) return send(400, { error: problem });
      const resent = state.verdicts.has(w.attempt);
      const accepted = decide(state, w);
      if (!resent) {
        fs.writeSync(fd, JSON.stringify({ attempt: w.attempt, token: w.token, accepted }) + "\n");
        fs.fsyncSync(fd);
      }
      send(200, { accepted });
    });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = /** @type {import("node:net").AddressInfo} */ (server.address());
  return {
    url: `http://127.0.0.1:${port}`,
    state,
    close: () => new Promise((resolve) => server.close(() => (fs.closeSync(fd), resolve()))),
  };
}
