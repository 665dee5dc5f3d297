/**
 * The Web Worker module of the asynchronous Direct bootstrap (`direct-bootstrap-web-workers.ts` loads it as a
 * module worker, by its URL relative to `import.meta.url`).
 * It imports no Node built-in: it runs in browsers, Deno and Bun.
 */
import { webBootstrapTask, type WebBootstrapReply, type WebBootstrapRequest } from "./direct-bootstrap-web-task.js";

/** A dedicated worker's global scope, as far as this module uses it (core compiles without the DOM library). */
interface WorkerScope {
  addEventListener(type: "message", listener: (event: { readonly data: WebBootstrapRequest }) => void): void;
  postMessage(message: WebBootstrapReply, transfer: ArrayBuffer[]): void;
}

const scope = globalThis as unknown as WorkerScope;
const handle = webBootstrapTask((reply, transfer) => scope.postMessage(reply, transfer));
scope.addEventListener("message", (event) => handle(event.data));
