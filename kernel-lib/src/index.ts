/**
 * ml-lab: the library behind ML Lab Notebooks. `import * as ml from "ml-lab"` in a notebook cell.
 */
export * from "./errors";
export * from "./linalg";
export * from "./random";
export * from "./stats";
export * from "./cluster";
export * from "./mixture";
export * from "./optimize";
export * from "./regression";
export * from "./datasets";
export * from "./metrics";
export * from "./display";
export * from "./progress";
export { checkData } from "./validate";
export * from "./parallel";
export * as mapreduce from "./mapreduce";
