import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { liveDisplay, plainDisplay, rowLine } from "../src/verify/display.js";
import type { VerifyTask } from "../src/verify/tasks.js";

const task: VerifyTask = {
  kind: "model",
  label: "tla specs/x/M.cfg",
  dir: "/nowhere",
  entry: { spec: "M.tla", cfg: "M.cfg", size: "ci", verdict: "ok", name: null, distinct: 1, generated: 1, traceLength: null },
  workers: 1,
};
const row = { check: "tla specs/x/M.cfg", ok: true, detail: "ok; 1 distinct", seconds: 1.25, statesPerSecond: 1234 };

function capture(tty: boolean): { stream: NodeJS.WriteStream; text: () => string } {
  const s = new PassThrough();
  let text = "";
  s.on("data", (d: Buffer) => (text += d.toString()));
  Object.assign(s, { isTTY: tty, columns: 100, rows: 30, cursorTo: () => true, moveCursor: () => true, clearLine: () => true, clearScreenDown: () => true });
  return { stream: s as unknown as NodeJS.WriteStream, text: () => text.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, "") };
}

describe("verify's progress display", () => {
  it("writes a finished row with its verdict, time and states/s", () => {
    expect(rowLine(row)).toBe("ok    tla specs/x/M.cfg  1.3 s, 1,234 states/s");
    expect(rowLine({ ...row, ok: false, seconds: null, statesPerSecond: undefined })).toBe("FAIL  tla specs/x/M.cfg");
  });

  it("prints a plain line when a task starts and one per row when it ends", () => {
    const c = capture(false);
    const d = plainDisplay(c.stream);
    d.onStart(task);
    d.onProgress(task, "100 distinct");
    d.onEnd(task, [row]);
    d.close();
    expect(c.text()).toBe("start tla specs/x/M.cfg\nok    tla specs/x/M.cfg  1.3 s, 1,234 states/s\n");
  });

  it("on a terminal shows running tasks with their figures, and finished rows above them", async () => {
    const c = capture(true);
    const d = liveDisplay(c.stream);
    d.onStart(task);
    d.onProgress(task, "4,242 distinct, depth 7");
    // The display redraws on its own timer (a few times a second), not on every update.
    await new Promise((r) => setTimeout(r, 400));
    expect(c.text()).toMatch(/tla specs\/x\/M\.cfg {2}4,242 distinct, depth 7/);
    d.onEnd(task, [row]);
    await new Promise((r) => setTimeout(r, 400));
    d.close();
    expect(c.text()).toMatch(/ok {4}tla specs\/x\/M\.cfg {2}1\.3 s, 1,234 states\/s/);
  });
});
