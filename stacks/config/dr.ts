/** Reads the settings of a stack with `role: dr`: its mode, active capacity, prod stack and restored data. */
import { readCapacity } from "./capacity";
import { readData } from "./data";
import { readDatabase } from "./database";
import { ConfigReader } from "./reader";
import { readRestored, readRestoredData } from "./restored";
import { DR_MODES } from "./schema";
import { CommonSettings, DrSettings } from "./settings";

/** A dr stack's own settings on top of `common`. */
export function readDr(reader: ConfigReader, common: CommonSettings): DrSettings {
  const restored = readRestored(reader, "dr");
  return {
    ...common,
    role: "dr",
    mode: reader.oneOf("mode", Object.values(DR_MODES)),
    activeCapacity: readCapacity(reader, ["drActiveMinSize", "drActiveDesiredCapacity", "drActiveMaxSize"]),
    primaryStack: reader.string("primaryStack", {
      pattern: /^([\w.-]+\/){0,2}[\w.-]+$/,
      rule: "must be a stack name, or organization/project/stack",
    }),
    restored,
    restoredData: readRestoredData(reader, "dr", restored),
    data: readData(reader, () => ({
      database: readDatabase(reader),
      volumeSizeGiB: reader.integer("volumeSizeGiB", 1, 16384),
      appBucketName: reader.optional("appBucketName"),
      replicateAppBucket: reader.boolean("replicateAppBucket"),
    })),
  };
}
