// Every argument check of the component, and its validation error.
export * from "./issue";
export * from "./args";
export * from "./arns";
export * from "./databaseWindows";
export * from "./isolation";
export * from "./lifecycle";
export * from "./names";
export * from "./objectives";
export * from "./regions";
export * from "./replication";
export * from "./rtoForecast";
export * from "./rule";
export * from "./selection";
export * from "./vault";
export * from "./operations";
