// static-charts.ts and static-renderer.ts (kept byte-for-byte while another change to them is in flight) import
// "./protocol"; this re-export serves them until they import "../protocol/messages" directly.
export type { MimeBundle } from "../protocol/messages";
