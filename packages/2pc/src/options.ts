/**
 * Options shared by the transaction manager and the resource managers, with their defaults and
 * validation.
 *
 * @module
 */
import type { NodeId } from "@synod/protocol";

/** How a two-phase-commit cluster is laid out and timed. */
export interface TwoPcOptions {
  /** The coordinator (transaction manager). */
  tm: NodeId;
  /** The participants (resource managers); every transaction runs over all of them. */
  rms: readonly NodeId[];
  /** The TM aborts a transaction whose votes have not all arrived after this long. */
  voteTimeoutMs?: number;
  /** The TM sends the prepare again to RMs that have not voted, this often. */
  resendMs?: number;
  /** A prepared RM asks the TM for the decision (sends its vote again), this often. */
  inquireMs?: number;
  /**
   * Conformance replay only: the TM does not commit in the step that brings the last yes vote,
   * but when told (`takeAction("TMCommit")`), as the spec's separate `TMCommit` step.
   */
  deferCommit?: boolean;
  /**
   * A deliberately broken build (conformance must catch it): the TM ignores its commit records
   * when it restarts, so it presumes abort for transactions it had committed.
   */
  forgetDecisionOnRestart?: boolean;
}

/** {@link TwoPcOptions} with every default filled in. */
export type ResolvedOptions = Required<TwoPcOptions>;

/** An option that is missing or out of range. */
export class TwoPcConfigError extends Error {
  override name = "TwoPcConfigError";
}

const KNOWN = new Set(["tm", "rms", "voteTimeoutMs", "resendMs", "inquireMs", "deferCommit", "forgetDecisionOnRestart"]);

/**
 * Fill in defaults and check every option.
 * @throws TwoPcConfigError naming the option, for an unknown option or a bad value.
 */
export function resolveOptions(o: TwoPcOptions): ResolvedOptions {
  for (const k of Object.keys(o)) if (!KNOWN.has(k)) throw new TwoPcConfigError(`unknown 2pc option ${JSON.stringify(k)}`);
  if (typeof o.tm !== "string" || o.tm === "") throw new TwoPcConfigError("2pc option tm: expected a node id");
  if (!Array.isArray(o.rms) || o.rms.length === 0 || o.rms.some((r) => typeof r !== "string")) throw new TwoPcConfigError("2pc option rms: expected a non-empty list of node ids");
  if (o.rms.includes(o.tm)) throw new TwoPcConfigError(`2pc option rms: the TM ${o.tm} cannot also be an RM`);
  if (new Set(o.rms).size !== o.rms.length) throw new TwoPcConfigError("2pc option rms: duplicate node id");
  const ms = (name: "voteTimeoutMs" | "resendMs" | "inquireMs", dflt: number): number => {
    const v = o[name] ?? dflt;
    if (!(typeof v === "number" && Number.isFinite(v) && v > 0)) throw new TwoPcConfigError(`2pc option ${name}: expected a positive number of ms, got ${JSON.stringify(v)}`);
    return v;
  };
  const flag = (name: "deferCommit" | "forgetDecisionOnRestart"): boolean => {
    const v = o[name] ?? false;
    if (typeof v !== "boolean") throw new TwoPcConfigError(`2pc option ${name}: expected a boolean`);
    return v;
  };
  return {
    tm: o.tm,
    rms: [...o.rms],
    voteTimeoutMs: ms("voteTimeoutMs", 150),
    resendMs: ms("resendMs", 40),
    inquireMs: ms("inquireMs", 60),
    deferCommit: flag("deferCommit"),
    forgetDecisionOnRestart: flag("forgetDecisionOnRestart"),
  };
}
