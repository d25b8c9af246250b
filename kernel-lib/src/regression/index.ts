export * from "./weighted-least-squares";
