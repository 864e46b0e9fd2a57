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
export { DATA_KINDS, DATA_NAME_PATTERN, databasePort, efsThroughput } from "./data";
export { LEGACY_ENTRY_NAMES } from "./restored";
export {
  AuroraDataSettings,
  Capacity,
  DataEntrySettings,
  DynamoDbDataSettings,
  EbsDataSettings,
  EfsDataSettings,
  RdsDataSettings,
  S3DataSettings,
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
