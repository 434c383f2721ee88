/**
 * CPU time of processes from /proc (Linux): user + system seconds, so a run on a loaded machine
 * can report CPU per operation beside wall time.
 *
 * @module
 */
import fs from "node:fs";

/** Clock ticks per second of /proc/<pid>/stat (`getconf CLK_TCK`; 100 on Linux). */
const TICKS_PER_S = 100;

/**
 * The user + system CPU seconds of a `/proc/<pid>/stat` line, or null if it cannot be read.
 * The command name (field 2) may hold spaces and parentheses, so fields are counted after its last `)`.
 * @param {string} stat
 */
export function cpuSecondsOfStat(stat) {
  const end = stat.lastIndexOf(")");
  if (end < 0) return null;
  const fields = stat.slice(end + 2).split(" ");
  // After the name: state (3), ppid (4), … utime (14), stime (15): indices 11 and 12 here.
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return Number.isFinite(utime) && Number.isFinite(stime) ? (utime + stime) / TICKS_PER_S : null;
}

/** The CPU seconds process `pid` has used so far (0 if it is gone). */
export function cpuSeconds(pid) {
  try {
    return cpuSecondsOfStat(fs.readFileSync(`/proc/${pid}/stat`, "utf8")) ?? 0;
  } catch {
    return 0;
  }
}
