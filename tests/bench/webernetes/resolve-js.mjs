// A module-resolution hook for the webernetes bench driver: @ngrok/webernetes 0.3.5's
// dist/ imports its own files without an extension ("./clock"), as a bundler allows and
// plain Node ESM does not (nor "./cluster/cri" for a directory). A relative specifier that does not resolve is tried again
// with ".js", then "/index.js". Registered by driver.mjs; touches nothing else.

export async function resolve(specifier, context, next) {
	try {
		return await next(specifier, context);
	} catch (err) {
		const relative = specifier.startsWith("./") || specifier.startsWith("../");
		const missing = ["ERR_MODULE_NOT_FOUND", "ERR_UNSUPPORTED_DIR_IMPORT"].includes(err?.code);
		if (!relative || !missing) throw err;
		for (const suffix of [".js", "/index.js"]) {
			try {
				return await next(specifier + suffix, context);
			} catch {
				// try the next suffix
			}
		}
		throw err;
	}
}
