/** The `dr-app` stack config: its schema, the typed settings and the pure `readSettings` that derives them. */
export {
  CONFIG_NAMESPACE,
  CONFIG_SCHEMA,
  ConfigKey,
  ConfigKeyDeclaration,
  ConfigValueType,
  DR_MODES,
  DrMode,
  RESTORED_KEYS,
} from "./schema";
export {
  Capacity,
  COMPUTE_KINDS,
  ComputeKind,
  DatabaseSettings,
  DnsSettings,
  DrSettings,
  EnvironmentSettings,
  NatGatewayStrategy,
  PrimarySettings,
  ReplicationSettings,
  RestoredIdentifiers,
  StackSettings,
  stackTags,
  ZERO_CAPACITY,
} from "./settings";
export { ConfigSource, configSource, StackIdentity } from "./source";
export { StackConfigError } from "./reader";
export { readSettings } from "./read";
