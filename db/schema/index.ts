export * from "./auth";
export * from "./accounts";
export * from "./audit";
export * from "./campaigns";
export * from "./callback";
export * from "./sandbox";
export * from "./rate-limits";
