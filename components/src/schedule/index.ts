export * from "./awsCron";
