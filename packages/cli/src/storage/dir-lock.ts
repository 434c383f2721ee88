/**
 * One process per data directory: two nodes sharing a WAL would each believe the other's votes
 * and entries are their own.
 *
 * @module
 */
import fs from "node:fs";
import path from "node:path";

/** The lock file's name inside a data directory. */
export const LOCK_FILE = "LOCK";

/** The data directory is held by a live process (or by another open storage in this one). */
export class DataDirLockedError extends Error {
  constructor(
    /** The directory. */
    readonly dir: string,
    /** The holder's process id. */
    readonly pid: number,
  ) {
    super(`${dir} is in use by process ${pid} (${path.join(dir, LOCK_FILE)}); stop it or choose another --data`);
    this.name = "DataDirLockedError";
  }
}

const heldHere = new Set<string>();

/**
 * Take the directory's lock, or throw {@link DataDirLockedError}. A lock left by a process that no
 * longer exists (after SIGKILL, say) is taken over. Returns the release function.
 */
export function lockDataDir(dir: string): () => void {
  const file = path.join(dir, LOCK_FILE);
  const key = path.resolve(dir);
  if (heldHere.has(key)) throw new DataDirLockedError(dir, process.pid);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(file, `${process.pid}\n`, { flag: "wx" });
      heldHere.add(key);
      return () => {
        heldHere.delete(key);
        fs.rmSync(file, { force: true });
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    }
    const holder = Number.parseInt(fs.readFileSync(file, "utf8"), 10);
    if (Number.isSafeInteger(holder) && holder > 0 && holder !== process.pid && isAlive(holder)) {
      throw new DataDirLockedError(dir, holder);
    }
    // Stale: its process is gone (or it is our own pid from an earlier life of this pid).
    fs.rmSync(file, { force: true });
  }
  throw new Error(`${file}: could not take the lock`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}
