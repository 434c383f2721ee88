/**
 * Structured events from what a node says about itself: after every step the host compares the
 * node's {@link NodeStatus} with the previous one and logs each change. This needs nothing from a
 * protocol but its kit's `status`, so every served protocol gets the same events in its own
 * vocabulary (term, ballot or view; leader, primary).
 *
 * Events: `role-changed` (from, to, epoch); `epoch-changed` (from, to, role) — an election or view
 * change started or was seen; `leader-changed` (leader, epoch) — a leader was elected or learned,
 * or lost (`leader: null`); `membership-changed` (members, learners, added, removed);
 * `snapshot-installed` (index, from: the applied index before) — the node took a snapshot it did not
 * build, from its leader (the kit's `snapshotsInstalled` went up); `snapshot-taken` (index) — it
 * snapshotted its own state.
 *
 * @module
 */
import type { NodeStatus } from "@synod/conformance";
import type { Json } from "@synod/protocol";

/** One change between two statuses. */
export interface StatusEvent {
  event: string;
  fields: { [key: string]: Json };
}

/** The events that lead from `before` to `after` (in a fixed order: epoch, role, leader, membership, snapshot). */
export function statusEvents(before: NodeStatus, after: NodeStatus): StatusEvent[] {
  const events: StatusEvent[] = [];
  if (after.epoch !== before.epoch) events.push({ event: "epoch-changed", fields: { from: before.epoch, to: after.epoch, role: after.role } });
  if (after.role !== before.role) events.push({ event: "role-changed", fields: { from: before.role, to: after.role, epoch: after.epoch } });
  if (after.leaderId !== before.leaderId) events.push({ event: "leader-changed", fields: { leader: after.leaderId, epoch: after.epoch } });
  const membersBefore = [...before.members, ...(before.learners ?? []).map((l) => `${l}(learner)`)];
  const membersAfter = [...after.members, ...(after.learners ?? []).map((l) => `${l}(learner)`)];
  if (membersBefore.join(",") !== membersAfter.join(",")) {
    const all = (s: NodeStatus): string[] => [...s.members, ...(s.learners ?? [])];
    events.push({
      event: "membership-changed",
      fields: {
        members: after.members,
        learners: after.learners ?? [],
        added: all(after).filter((m) => !all(before).includes(m)),
        removed: all(before).filter((m) => !all(after).includes(m)),
      },
    });
  }
  const snapAfter = after.snapshotIndex ?? 0;
  if ((after.snapshotsInstalled ?? 0) > (before.snapshotsInstalled ?? 0)) {
    events.push({ event: "snapshot-installed", fields: { index: snapAfter, from: before.appliedIndex } });
  } else if (snapAfter > (before.snapshotIndex ?? 0)) {
    events.push({ event: "snapshot-taken", fields: { index: snapAfter } });
  }
  return events;
}
