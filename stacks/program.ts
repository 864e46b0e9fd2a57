// The `dr-app` program: the stack's config read into settings, and the primary or dr side defined.
import * as pulumi from "@pulumi/pulumi";
import { ConfigSource, readSettings, StackIdentity, StackSettings } from "./config";
import { defineDr, DrStackOutputs } from "./dr";
import { definePrimary, PrimaryStackOutputs } from "./primary";

/** The stack outputs of either role. */
export type StackOutputs = PrimaryStackOutputs | DrStackOutputs;

/** Pulumi's runtime config (what `pulumi up` and the mock engine's `setAllConfig` provide). */
const runtimeConfig: ConfigSource = { get: (fullKey) => pulumi.runtime.getConfig(fullKey) };

/** The running program's project and stack. */
function runtimeIdentity(): StackIdentity {
  return { project: pulumi.getProject(), stack: pulumi.getStack() };
}

/** Defines the primary or the dr side, according to the settings' role. */
export function defineStack(settings: StackSettings): StackOutputs {
  for (const warning of settings.warnings) pulumi.log.warn(warning);
  return settings.role === "primary" ? definePrimary(settings).outputs : defineDr(settings).outputs;
}

/**
 * The `dr-app` program: reads and validates the stack's config (the runtime's config and identity are
 * read here, the settings derived from them by the pure readSettings), then defines the primary or the dr
 * side according to `dr-app:role` (never the stack's name), and returns the stack outputs.
 */
export function program(config: ConfigSource = runtimeConfig): StackOutputs {
  return defineStack(readSettings(config, runtimeIdentity()));
}
