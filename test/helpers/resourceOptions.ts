// Records the options (dependsOn, retainOnDelete, ignoreChanges) every resource is registered with, which the mock engine does not see.
import * as pulumi from "@pulumi/pulumi";
// eslint-disable-next-line @typescript-eslint/no-require-imports
const runtimeResource = require("@pulumi/pulumi/runtime/resource");

/** A resource's registration options, as tests read them: the logical names it dependsOn, and retainOnDelete. */
export interface RecordedOptions {
  readonly dependsOn: string[];
  readonly retainOnDelete?: boolean;
  readonly ignoreChanges?: string[];
}

/** The logical name of a resource (the SDK keeps it as `__name`). */
function nameOf(resource: unknown): string {
  return String((resource as { __name?: string }).__name);
}

/**
 * Wraps the SDK's registerResource until `stop` is called, recording each resource's options by logical
 * name. Only `dependsOn` given as resources (not Outputs) is recorded, as the stacks give it.
 */
export function recordResourceOptions(): { options: Map<string, RecordedOptions>; stop: () => void } {
  const original = runtimeResource.registerResource;
  const options = new Map<string, RecordedOptions>();
  runtimeResource.registerResource = (...args: unknown[]) => {
    const name = args[3] as string;
    const opts = (args[8] ?? {}) as pulumi.CustomResourceOptions;
    const dependsOn = opts.dependsOn;
    const list = dependsOn === undefined ? [] : Array.isArray(dependsOn) ? dependsOn : [dependsOn];
    options.set(name, {
      dependsOn: list.filter((d) => pulumi.Resource.isInstance(d)).map(nameOf),
      retainOnDelete: opts.retainOnDelete,
      ignoreChanges: opts.ignoreChanges,
    });
    return original(...args);
  };
  return { options, stop: () => (runtimeResource.registerResource = original) };
}
