/**
 * `@cjeval/viewer/node`: the Node side of `cje view` — reading campaigns, result files and fresh draws into
 * a view bundle, serving the page with live campaign progress, and exporting a static copy for sharing.
 * The main entry (`@cjeval/viewer`) stays free of Node built-ins: the page imports it.
 *
 * @packageDocumentation
 */
export { MIN_TOKEN_LENGTH } from "./access.js";
export { APP_PAGE_FILE } from "./app-page.js";
export { EXPORT_MARKER, EXPORT_PAGE, exportView, type ExportedView } from "./export.js";
export { ACCEPTED_PATHS, CAMPAIGN_STORE_FILE, CAMPAIGNS_DIR } from "./locate.js";
export { DEFAULT_POLL_MS, HEARTBEAT_MS, startViewer, TOKEN_HEADER, type Viewer, type ViewerOptions } from "./server.js";
export { loadViewBundle, openViewSources, type ViewChange, type ViewSources, type ViewSourcesOptions, viewBundle } from "./sources.js";
export { SERVED_VIEW_DATA, VIEW_DATA_FILE, viewDataScript } from "./view-data.js";
