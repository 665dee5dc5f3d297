/**
 * `@cjeval/core/node`: what needs Node — reading inputs from files and folders, and the worker
 * threads of the Direct bootstrap.
 *
 * `@cjeval/core` and `@cjeval/core/advanced` import no Node built-in, so they also run in browsers
 * and edge runtimes, on data built from records (`evaluationDataFromRecords`,
 * `loggedDataFromRecords`, `transportProbesFromRecords`). This entry adds the file readers and, on
 * import, registers the worker-thread pool: from then on a large Direct bootstrap (`analyze`,
 * `analyzeAsync`, `estimateDirect`) is split across up to 8 threads (the `threads` option chooses);
 * results do not depend on the number of threads. Without it every replicate runs in the calling
 * thread (in `analyzeAsync`, in chunks that yield to the event loop).
 *
 * @packageDocumentation
 */
import { registerBootstrapThreadPool } from "./direct/direct-bootstrap.js";
import { workerThreadPool } from "./direct/direct-bootstrap-threads.js";

registerBootstrapThreadPool(workerThreadPool);

// Reading inputs from files.
export { loadEvaluationData, type FileLoadOptions } from "./data/load.js";
export { loadLoggedData } from "./off-policy/logged-file.js";
export { loadTransportProbes } from "./diagnostics/transport-probe-files.js";
export { validateInputs } from "./analysis/validate.js";

// File building blocks.
export { readJsonl, type JsonlVisitor } from "./data/jsonl.js";
export { discoverDrawFiles, type DrawFileSource, type Discovery } from "./data/discover.js";

// The worker-thread pool of the Direct bootstrap.
export { PARALLEL_WORK_THRESHOLD } from "./direct/direct-bootstrap.js";
