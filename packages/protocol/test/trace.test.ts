import { describe, expect, it } from "vitest";
import { ActionRecorder, isTraced } from "../src/index.js";

describe("ActionRecorder", () => {
  it("records nothing until switched on, then hands each action out once, in order", () => {
    const r = new ActionRecorder();
    r.note("Restart", { i: "n1" });
    expect(r.takeActions()).toEqual([]);
    r.recordActions(true);
    r.note("Restart", { i: "n1" });
    r.push({ action: "Tick", params: { i: "n1" } });
    expect(r.takeActions()).toEqual([
      { action: "Restart", params: { i: "n1" } },
      { action: "Tick", params: { i: "n1" } },
    ]);
    expect(r.takeActions()).toEqual([]);
  });

  it("keeps untaken actions when switched on twice and drops them when switched off", () => {
    const r = new ActionRecorder();
    r.recordActions(true);
    r.note("A");
    r.recordActions(true);
    expect(r.takeActions()).toEqual([{ action: "A", params: {} }]);
    r.note("B");
    r.recordActions(false);
    r.note("C");
    expect(r.takeActions()).toEqual([]);
  });

  it("works as a detached callback (a node hands push to its core)", () => {
    const r = new ActionRecorder();
    const push = r.push;
    r.recordActions(true);
    push({ action: "X", params: { n: 1 } });
    expect(r.takeActions()).toEqual([{ action: "X", params: { n: 1 } }]);
    expect(isTraced(r)).toBe(true);
  });
});
