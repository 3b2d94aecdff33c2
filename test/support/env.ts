/**
 * Jest `setupFiles`: runs in every test worker before its test file.
 *
 * The AWS SDK warns once per process, on Node.js older than 22, that its future
 * releases will need Node 22 (NodeVersionSupportWarning). cachestack supports
 * Node 22 and 24 and says so in the README; the tests still run on the Node 20
 * some machines have, where that warning would be noise in every green run. The
 * SDK's own switch turns it off, for the workers and the processes they start.
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

/**
 * Python handlers' requirements are installed by pip from this machine's
 * configured index (the local one here). pip also tries any unreachable index
 * it is configured with, five times with back-off, for every lookup: seconds of
 * waiting per test that no result depends on. One try is enough here.
 */
process.env.PIP_RETRIES ??= '0';

/**
 * The GraphQL schema analysis cache (src/config/sdl-cache.ts) is off in tests and
 * the processes they start, so that no test writes into the user's cache
 * directory and every run analyses afresh; the tests of the cache itself turn it
 * on with a temporary CACHESTACK_CACHE_DIR.
 */
process.env.CACHESTACK_NO_CACHE ??= '1';
