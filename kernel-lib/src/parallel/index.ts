export { setThreads, getThreads } from "./pool";
