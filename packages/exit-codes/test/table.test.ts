import { describe, expect, it } from "vitest";
import { ExitStatus, exitStatusName } from "../src/index.js";

describe("exit statuses", () => {
  it("are TLC's numbers", () => {
    // From tla2tools.jar 2.20: javap -constants 'tlc2.output.EC$ExitStatus'.
    expect(ExitStatus.VIOLATION_ASSUMPTION).toBe(10);
    expect(ExitStatus.VIOLATION_LIVENESS).toBe(13);
    expect(ExitStatus.ERROR_SPEC_PARSE).toBe(150);
    expect(ExitStatus.ERROR).toBe(255);
  });
  it("has Synod's own status for a check stopped before a verdict, outside TLC's numbers", () => {
    expect(ExitStatus.INCOMPLETE).toBe(124);
  });
  it("are distinct, and map back to their names", () => {
    const codes = Object.values(ExitStatus);
    expect(new Set(codes).size).toBe(codes.length);
    for (const [name, code] of Object.entries(ExitStatus)) expect(exitStatusName(code)).toBe(name);
    expect(exitStatusName(42)).toBeUndefined();
  });
});
