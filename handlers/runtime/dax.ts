/**
 * Settings for a DAX client from the environment (the handler's
 * `connections.dax` in the YAML), shaped like `@amazon-dax-sdk/client-dax`'s
 * `DaxConfig`. The kit does not depend on the DAX client; the handler does:
 *
 *   import { Dax } from '@amazon-dax-sdk/client-dax';
 *   const dax = new Dax(daxClientConfig());   // module scope
 */
import type { HandlerSettings } from './contract';
import { handlerSettings } from './settings';

export interface DaxClientSettings {
  /** The cluster's discovery endpoint (`daxs://...` when encrypted). */
  endpoint: string;
  region?: string;
  /** Ms the client waits for one DAX answer. */
  requestTimeout: number;
  /** Ms to open a connection to a node (the handler's `http.connectTimeoutMs`). */
  connectTimeout: number;
  /** Retries after the first attempt (the handler's `retries.maxAttempts` - 1). */
  maxRetries: number;
}

export class DaxNotConfiguredError extends Error {
  constructor(handler: string) {
    super(`handler \`${handler}\` has no dax connection; add \`connections: { dax: { cluster: NAME } }\` to the handler in the YAML`);
    this.name = 'DaxNotConfiguredError';
  }
}

/** DAX client settings; throws `DaxNotConfiguredError` when the function has no DAX connection. */
export function daxClientConfig(settings: HandlerSettings = handlerSettings(), region: string | undefined = process.env.AWS_REGION): DaxClientSettings {
  if (!settings.dax) throw new DaxNotConfiguredError(settings.handler);
  return {
    endpoint: settings.dax.endpoint,
    region,
    requestTimeout: settings.dax.requestTimeoutMs,
    connectTimeout: settings.http.connectTimeoutMs,
    maxRetries: Math.max(0, settings.retries.maxAttempts - 1),
  };
}
