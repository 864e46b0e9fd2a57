// The schedule's public names: parseAwsCron, its schedule and error, the worst-case interval.
export * from "./awsCron";
