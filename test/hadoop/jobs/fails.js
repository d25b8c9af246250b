/** A shipped job that fails on purpose: the mapper throws on a line containing "boom" and spins on "spin". */
const { mapreduce } = require("ml-lab");

module.exports = mapreduce.defineJob({
  name: "fails",
  steps: () => [{
    mapper(_key, line) {
      if (String(line).includes("boom")) throw new Error("the mapper blew up");
      while (String(line).includes("spin")) { /* never returns */ }
      return [[String(line), 1]];
    },
  }],
});
