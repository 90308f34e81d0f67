// Starts the wasm app from a file instead of Trunk's inline module script, so the
// page's Content-Security-Policy needs no 'unsafe-inline' (see Trunk.toml pattern_script).
const tag = document.querySelector('script[data-svcplay-js]');
const { default: init } = await import(tag.dataset.svcplayJs);
await init({ module_or_path: tag.dataset.svcplayWasm });
