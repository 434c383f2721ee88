/**
 * The shared recorder and command-line parsers: what every rival's files and flags rely on.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Option } from "commander";
import { describe, expect, it } from "vitest";
import { integer, integerList, jsonObject, parseCommandLine, rivalCommand } from "../lib/cli.mjs";
import { EventLog, percentile } from "../lib/history.mjs";

describe("EventLog", () => {
  it("records invocations and completions in time order and writes a JSON array", () => {
    const h = new EventLog();
    const t1 = h.invoke("c1", "work", "v");
    const t2 = h.complete("ok", "c1", "work", { accepted: true }, { key: "k" });
    expect(t2).toBeGreaterThanOrEqual(t1);
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "rival-common-")), "h.json");
    h.write(file);
    const back = JSON.parse(fs.readFileSync(file, "utf8"));
    expect(back).toEqual([
      { type: "invoke", process: "c1", f: "work", value: "v", time: t1 },
      { type: "ok", process: "c1", f: "work", key: "k", value: { accepted: true }, time: t2 },
    ]);
  });

  it("takes a time measured elsewhere", () => {
    const h = new EventLog();
    h.record("p", "invoke", "lead", null, {}, 5);
    expect(h.events[0].time).toBe(5);
  });

  it("refuses an event type the judges do not know, naming it", () => {
    expect(() => new EventLog().record("c1", "done", "work", null)).toThrow(/event type "done" is not invoke, ok, fail or info/);
    expect(() => new EventLog().complete("done", "c1", "work", null)).toThrow(/completion type "done" is not ok, fail or info/);
    expect(() => new EventLog().complete("invoke", "c1", "work", null)).toThrow(/completion type "invoke"/);
  });

  it("takes percentiles by nearest rank", () => {
    expect(percentile([5, 1, 3, 2, 4], 50)).toBe(3);
    expect(percentile([5, 1, 3, 2, 4], 99)).toBe(5);
    expect(Number.isNaN(percentile([], 50))).toBe(true);
  });
});

describe("the command-line parsers", () => {
  const command = () =>
    rivalCommand("run.mjs", "test")
      .addOption(new Option("--system <which>").choices(["both", "x"]).default("both"))
      .option("--rounds <n>", "", integer(1), 3)
      .option("--port <n>", "", integer(1024, 65000), 23000)
      .option("--clients <list>", "", integerList(1, 16), [1, 4])
      .option("--raft <json>", "", jsonObject, {});

  it("has defaults and parses each kind", () => {
    expect(parseCommandLine(command(), [])).toEqual({ system: "both", rounds: 3, port: 23000, clients: [1, 4], raft: {} });
    expect(parseCommandLine(command(), ["--rounds", "5", "--clients", "2,3", "--raft", '{"a":1}', "--system", "x"])).toEqual({ system: "x", rounds: 5, port: 23000, clients: [2, 3], raft: { a: 1 } });
  });

  it("refuses what it does not know or cannot read, naming the flag and the problem", () => {
    expect(() => parseCommandLine(command(), ["--round", "2"])).toThrow(/unknown option '--round'/);
    expect(() => parseCommandLine(command(), ["--rounds", "0"])).toThrow(/--rounds <n>.*expected an integer >= 1, got "0"/);
    expect(() => parseCommandLine(command(), ["--rounds", ""])).toThrow(/expected an integer >= 1/);
    expect(() => parseCommandLine(command(), ["--port", "80"])).toThrow(/expected an integer in 1024..65000/);
    expect(() => parseCommandLine(command(), ["--clients", "2,x"])).toThrow(/--clients <list>.*entry 2: expected an integer in 1..16/);
    expect(() => parseCommandLine(command(), ["--raft", "lease"])).toThrow(/--raft <json>.*not JSON/);
    expect(() => parseCommandLine(command(), ["--raft", "[1]"])).toThrow(/expected a JSON object/);
    expect(() => parseCommandLine(command(), ["--system", "y"])).toThrow(/--system <which>.*Allowed choices are both, x/);
    expect(() => parseCommandLine(command(), ["--rounds"])).toThrow(/--rounds <n>.*argument missing/);
    expect(() => parseCommandLine(command(), ["stray"])).toThrow(/too many arguments/);
  });

  it("appends the usage to an error", () => {
    expect(() => parseCommandLine(command(), ["--rounds", "0"])).toThrow(/Usage: run.mjs \[options\]/);
  });
});
