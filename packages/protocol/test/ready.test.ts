import { describe, expect, it } from "vitest";
import { emptyReady, isEmptyReady } from "../src/index.js";

describe("Ready helpers", () => {
  it("an empty ready is empty, and any entry makes it non-empty", () => {
    expect(isEmptyReady(emptyReady())).toBe(true);
    const withSend = emptyReady<string>();
    withSend.send.push({ to: "n2", message: "hello" });
    expect(isEmptyReady(withSend)).toBe(false);
    const withPersist = emptyReady();
    withPersist.persist.push({ key: "term", value: 3 });
    expect(isEmptyReady(withPersist)).toBe(false);
  });
});
