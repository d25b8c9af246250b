export * from "./synthetic";
export * from "./idx";
export * from "./digits-base64";
export * from "./csv";
export * from "./mnist-package";
export * from "./bundled";
export * from "./image-tiles";
