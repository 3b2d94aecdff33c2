/**
 * `cachestack/runtime`: the runtime kit as a package import, for handlers in a
 * project that installs cachestack (`import { withWarmGuard } from 'cachestack/runtime'`).
 *
 * Everything of the kit except the Redis cache, which loads ioredis: import it
 * from `cachestack/runtime/redis-cache` so that handlers without a cache do not
 * carry ioredis in their bundle (the package's modules are CommonJS, which
 * esbuild cannot tree-shake). Every module is also importable on its own as
 * `cachestack/runtime/<module>` (guard, sdk, secrets, postgres, dax, keys, settings, contract, ping);
 * `cachestack/runtime/invalidate` (the SigV4 signer) is, like the Redis cache, only there.
 */
export * from './contract';
export * from './dax';
export * from './guard';
export * from './keys';
export * from './ping';
export * from './postgres';
export * from './sdk';
export * from './secrets';
export * from './settings';
