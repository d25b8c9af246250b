export * from "./mime";
export * from "./sink";
export * from "./display";
export * from "./charts";
export * from "./images";
export * from "./mixture";
export * from "./live";
