/**
 * Histories in the mutual-exclusion judge's vocabulary (conformance/src/mutual-exclusion.ts):
 * `work` operations (ok value `{ attempt, token, accepted }`) and one final `log` read of the
 * storage (ok value `{ writes: [{ attempt, token, value }] }`), each event with its process and
 * its time in ns since the run began. An operation whose outcome is unknown (its process was
 * killed, or it timed out) completes as `info`, which claims nothing. The recorder itself is
 * rivals/common's.
 *
 * @module
 */
export { EventLog as History, percentile } from "@synod/rival-common/history";
