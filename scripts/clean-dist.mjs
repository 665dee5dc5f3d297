#!/usr/bin/env node
// Removes the package's dist/ before a build, so that files of renamed or deleted sources never linger there (and so
// never reach a packed tarball).
import { rmSync } from "node:fs";

rmSync("dist", { recursive: true, force: true });
