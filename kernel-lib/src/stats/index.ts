export * from "./summary";
export * from "./density";
