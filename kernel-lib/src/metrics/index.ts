export * from "./classification";
