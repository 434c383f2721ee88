/**
 * Durable storage for hosted nodes: a fsync'd write-ahead log with snapshots and safe recovery.
 *
 * @module
 */
export { FileStorage, type FileStorageOptions, type RecoveryReport } from "./file-storage.js";
export { StorageCorruptionError } from "./errors.js";
export type { TornReason } from "./record.js";
export { crc32 } from "./crc32.js";
export { DataDirLockedError, LOCK_FILE } from "./dir-lock.js";
