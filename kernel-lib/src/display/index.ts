export * from "./mime";
export * from "./sink";
export * from "./display";
export * from "./charts";
