/**
 * A job as a notebook user writes it for a cluster: JavaScript that requires "ml-lab" and a helper module of its
 * own (shipped with options.files), counting words.
 */
const { mapreduce } = require("ml-lab");
const { words } = require("./tokenize");

module.exports = mapreduce.defineJob({
  name: "shipped-word-count",
  steps: () => [{
    mapper: function* (_key, line, ctx) {
      for (const word of words(line)) {
        ctx.increment("words", "seen");
        yield [word, 1];
      }
    },
    combiner: (word, counts) => [[word, counts.reduce((a, b) => a + b, 0)]],
    reducer: (word, counts) => [[word, counts.reduce((a, b) => a + b, 0)]],
  }],
});
