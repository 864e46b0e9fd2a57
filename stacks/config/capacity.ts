/** Reads an Auto Scaling group's bounds: the primary's capacity, the dr stack's active capacity. */
import { ConfigReader } from "./reader";
import { CONFIG_NAMESPACE, ConfigKey } from "./schema";
import { Capacity } from "./settings";

/** The min/desired/max capacity under `keys`, each between 0 (1 for max) and 10,000, in order. */
export function readCapacity(reader: ConfigReader, keys: [ConfigKey, ConfigKey, ConfigKey]): Capacity {
  const [minKey, desiredKey, maxKey] = keys;
  const capacity = {
    minSize: reader.integer(minKey, 0, 10000),
    desiredCapacity: reader.integer(desiredKey, 0, 10000),
    maxSize: reader.integer(maxKey, 1, 10000),
  };
  if (capacity.minSize > capacity.desiredCapacity) {
    reader.problem(
      minKey,
      String(capacity.minSize),
      `must not exceed ${CONFIG_NAMESPACE}:${desiredKey} (${capacity.desiredCapacity})`,
    );
  }
  if (capacity.desiredCapacity > capacity.maxSize) {
    reader.problem(
      desiredKey,
      String(capacity.desiredCapacity),
      `must not exceed ${CONFIG_NAMESPACE}:${maxKey} (${capacity.maxSize})`,
    );
  }
  return capacity;
}
