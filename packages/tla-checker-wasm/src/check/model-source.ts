/**
 * How a worker thread obtains its own copy of the model: values and closures cannot cross
 * threads, so each worker rebuilds the model from the same description.
 *
 * @module
 */
import type { CompiledModel } from "../model.js";
import { coreLoadModel, type LoadOptions } from "./loader.js";

/**
 * `load`: call the core's `loadModel` with these options. `module`: import `url` and call its
 * export `exportName` with `args` (used for models built in code, such as the engine's tests).
 */
export type ModelSource =
  | { kind: "load"; options: LoadOptions }
  | { kind: "module"; url: string; exportName: string; args?: unknown };

/** Build the model a source describes. */
export async function materialize(source: ModelSource): Promise<CompiledModel> {
  switch (source.kind) {
    case "load": {
      const loadModel = await coreLoadModel();
      return loadModel(source.options);
    }
    case "module": {
      const mod = (await import(source.url)) as Record<string, unknown>;
      const factory = mod[source.exportName];
      if (typeof factory !== "function") throw new Error(`${source.url} does not export a function ${source.exportName}`);
      return (await (factory as (args: unknown) => CompiledModel | Promise<CompiledModel>)(source.args)) as CompiledModel;
    }
    default: {
      const never: never = source;
      throw new Error(`unknown model source ${JSON.stringify(never)}`);
    }
  }
}
