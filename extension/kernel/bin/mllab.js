#!/usr/bin/env node
// Committed entry point, so npm links the `mllab` bin at install time, before dist/ is built.
require("../dist/host/cli.js");
