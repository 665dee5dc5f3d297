/**
 * `@cjeval/viewer`: the `cje view` web app — its view bundle (the JSON contract between the Node side
 * and the page), the builder of one run from evaluation data, and differences between two runs.
 */
export { compareRuns, differenceOfRuns, welchSatterthwaiteDf, type PolicyRunComparison, type RunDifference, type RunEstimate } from "./compare.js";
export { buildRun, CURVE_POINTS, DENSITY_BINS, runOfAnalysis, type RunIdentity } from "./build-run.js";
export * from "./view-model.js";
