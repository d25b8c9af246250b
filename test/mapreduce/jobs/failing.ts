/** Test job that fails on purpose: the mapper throws on a line containing "boom", emits NaN on "nan". */
import { defineJob } from "../../../kernel-lib/src/mapreduce";

export default defineJob({
  name: "failing",
  steps: () => [
    {
      mapper(_key, line) {
        if (String(line).includes("boom")) throw new Error("the mapper blew up");
        return [[String(line), String(line).includes("nan") ? NaN : 1]];
      },
    },
  ],
});
