// AssemblyScript: the WebAssembly module's one entry point, compiled with everything it imports by
// scripts/build-wasm.js (part of `npm run build`). Every pointer is a byte offset into the shared memory the library
// lays out; nothing here allocates. A pass reads its arguments from the control page, where the library wrote them by
// the names src/parallel/memory-layout.ts gives, and each thread runs it over its own share.
import { Pass } from "../src/parallel/memory-layout";
import { mixturePass } from "./gmm";
import { boundedPass, elkanPass, inertiaPass, kmeansBoundsPass, kmeansSumsPass, lloydPass } from "./kmeans";
import { centrePass, columnSumsPass } from "./prepare";
import { seedPass } from "./seeding";

/** Runs share `part` of `parts` of `pass`. */
export function run(pass: i32, part: i32, parts: i32): void {
  switch (pass) {
    case Pass.lloyd: lloydPass(part, parts); break;
    case Pass.bounded: boundedPass(part, parts); break;
    case Pass.elkan: elkanPass(part, parts); break;
    case Pass.inertia: inertiaPass(part, parts); break;
    case Pass.kmeansSums: kmeansSumsPass(); break;
    case Pass.kmeansBounds: kmeansBoundsPass(); break;
    case Pass.columnSums: columnSumsPass(part, parts); break;
    case Pass.centre: centrePass(part, parts); break;
    case Pass.mixture: mixturePass(part, parts); break;
    case Pass.seed: seedPass(part, parts); break;
    default: unreachable();
  }
}
