export * from "./derivative";
export * from "./roots";
export * from "./critical-points";
export * from "./newton";
export * from "./gradient-descent";
