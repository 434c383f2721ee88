/**
 * Stopping the server processes a rival run started.
 *
 * @module
 */

/**
 * Stop `child`: SIGTERM, then SIGKILL if it has not exited after `graceMs`. Resolves once it has
 * exited (at once if it already had).
 * @param {import("node:child_process").ChildProcess} child
 */
export function stopChild(child, graceMs = 3000) {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
    setTimeout(() => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    }, graceMs).unref();
  });
}
