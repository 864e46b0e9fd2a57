import { ConfigSource, readSettings, runtimeConfig, runtimeIdentity, StackSettings } from "./config";
import { defineDr, DrStackOutputs } from "./dr";
import { definePrimary, PrimaryStackOutputs } from "./primary";

/** The stack outputs of either role. */
export type StackOutputs = PrimaryStackOutputs | DrStackOutputs;

/** Defines the primary or the dr side, according to the settings' role. */
export function defineStack(settings: StackSettings): StackOutputs {
  return settings.role === "primary" ? definePrimary(settings).outputs : defineDr(settings).outputs;
}

/**
 * The `dr-app` program: reads and validates the stack's config, then defines the primary or the dr side
 * according to `dr-app:role` (never the stack's name), and returns the stack outputs.
 */
export function program(config: ConfigSource = runtimeConfig): StackOutputs {
  return defineStack(readSettings(config, runtimeIdentity()));
}
