/**
 * Builds the page (`app/`) into one self-contained file, `dist/app/index.html`: the script and the styles are
 * inlined, so it opens from `file://` (Chromium refuses module scripts loaded from file: URLs, not inline ones)
 * and fetches nothing. `./view-data.js`, the bundle a server or an export provides, stays an external classic script.
 */
import { defineConfig, type Plugin } from "vite";

/** Inlines the emitted script chunk and stylesheet into the HTML and drops them from the output. */
function inlineIntoHtml(): Plugin {
  return {
    name: "cje-inline-into-html",
    enforce: "post",
    generateBundle(_options, bundle) {
      for (const page of Object.values(bundle)) {
        if (page.type !== "asset" || !page.fileName.endsWith(".html")) continue;
        let html = String(page.source);
        for (const [name, output] of Object.entries(bundle)) {
          if (output.type === "chunk") {
            const tag = new RegExp(`<script type="module"[^>]*src="\\./${escapeRegExp(name)}"[^>]*></script>`);
            const code = output.code.replaceAll("</script", "<\\/script");
            html = html.replace(tag, () => `<script type="module">${code}</script>`);
            delete bundle[name];
          } else if (name.endsWith(".css")) {
            const tag = new RegExp(`<link rel="stylesheet"[^>]*href="\\./${escapeRegExp(name)}"[^>]*>`);
            html = html.replace(tag, () => `<style>${String(output.source)}</style>`);
            delete bundle[name];
          }
        }
        page.source = html;
      }
    },
  };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

export default defineConfig({
  root: "app",
  base: "./",
  logLevel: "warn",
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
  build: {
    outDir: "../dist/app",
    emptyOutDir: true,
    target: "es2022",
    modulePreload: false,
    cssCodeSplit: false,
    assetsInlineLimit: Number.POSITIVE_INFINITY,
    chunkSizeWarningLimit: 2048,
    reportCompressedSize: false,
    rolldownOptions: {
      output: { codeSplitting: false },
      // The page imports browser-safe functions from package entries whose other modules use Node built-ins; tree
      // shaking drops those modules (the browser tests check that no Node built-in reaches the page).
      onwarn(warning, warn) {
        if (!warning.message.includes("has been externalized for browser compatibility")) warn(warning);
      },
    },
  },
  plugins: [inlineIntoHtml()],
});
