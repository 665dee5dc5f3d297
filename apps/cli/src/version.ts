// Generated from package.json by scripts/write-version.mjs (run by the build); do not edit.

/** The version of @cjeval/cli, as its package.json says (changesets bumps it there). */
export const VERSION: string = "0.1.0";
