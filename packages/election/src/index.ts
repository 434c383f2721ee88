/**
 * `@synod/election`: leader election as pure per-node state machines — Bully, Chang–Roberts ring,
 * and lease-based election with a clock-drift bound and generation numbers (fencing tokens) —
 * each offering the {@link Elector} API to its application.
 *
 * @module
 */
export { BullyNode, type BullyView } from "./bully.js";
export { RingNode, type RingView } from "./ring.js";
export { LeaseNode, LeaseStorageError, waitOutMs, type LeaseRole, type LeaseView } from "./lease.js";
export { compareIds, type Elector } from "./elector.js";
export type { BullyMessage, ElectionMessage, LeadCommand, LeadResult, LeaseMessage, RingMessage } from "./messages.js";
export { ElectionConfigError, type BullyOptions, type DetectorOptions, type LeaseOptions, type RingOptions } from "./options.js";
