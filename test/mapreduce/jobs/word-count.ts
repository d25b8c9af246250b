/** Two-step test job: count words (with a combiner and counters), then the most frequent word(s). */
import { defineJob } from "../../../kernel-lib/src/mapreduce";

export default defineJob<{ minLength?: number }>({
  name: "word-count-then-max",
  steps: (params) => [
    {
      mapper: function* (_key, line, ctx) {
        for (const word of String(line).toLowerCase().split(/[^\p{L}\p{N}]+/u)) {
          if (word.length < (params?.minLength ?? 1)) continue;
          ctx.increment("words", "seen");
          yield [word, 1];
        }
      },
      combiner: (word, counts, ctx) => {
        ctx.increment("words", "combined");
        return [[word, (counts as number[]).reduce((a, b) => a + b, 0)]];
      },
      reducer: (word, counts) => [[word, (counts as number[]).reduce((a, b) => a + b, 0)]],
    },
    {
      mapper: (word, count) => [[null, [count, word]]],
      reducer: (_key, pairs) => {
        const all = pairs as [number, string][];
        const top = Math.max(...all.map((p) => p[0]));
        return all.filter((p) => p[0] === top).map((p) => [p[1], p[0]] as [string, number]).sort();
      },
    },
  ],
});
