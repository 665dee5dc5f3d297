#!/usr/bin/env node
// The `cje` command. A committed file rather than dist/bin.js itself, so that `npm ci` can link the
// command before the workspace is built (npm does not link a bin whose file is missing).
import "../dist/bin.js";
