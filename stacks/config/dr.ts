/** Reads the settings of a stack with `role: dr`: its mode, active capacity, prod stack and restored data. */
import { readCapacity } from "./capacity";
import { ConfigReader } from "./reader";
import { readRestored } from "./restored";
import { DR_MODES } from "./schema";
import { CommonSettings, DrSettings } from "./settings";

/** A dr stack's own settings on top of `common`. */
export function readDr(reader: ConfigReader, common: CommonSettings): DrSettings {
  return {
    ...common,
    role: "dr",
    mode: reader.oneOf("mode", Object.values(DR_MODES)),
    activeCapacity: readCapacity(reader, ["drActiveMinSize", "drActiveDesiredCapacity", "drActiveMaxSize"]),
    primaryStack: reader.string("primaryStack", {
      pattern: /^([\w.-]+\/){0,2}[\w.-]+$/,
      rule: "must be a stack name, or organization/project/stack",
    }),
    restored: readRestored(reader, "dr"),
  };
}
