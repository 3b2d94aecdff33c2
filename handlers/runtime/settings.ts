/**
 * The handler's settings, decoded once per container from the environment that
 * synthesis sets (see `contract.ts` and docs/handlers.md). No dependencies.
 */
import { decodeHandlerEnvironment, type HandlerSettings } from './contract';

let cached: HandlerSettings | undefined;

/**
 * The settings of this function, read from `process.env` on first use and kept
 * for the life of the container. A malformed variable throws
 * `HandlerEnvironmentError` naming it, which fails the cold start loudly.
 */
export function handlerSettings(): HandlerSettings {
  cached ??= decodeHandlerEnvironment(process.env);
  return cached;
}
