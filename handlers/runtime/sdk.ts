/**
 * AWS SDK v3 client settings from the environment: a keep-alive agent with a
 * socket cap, connect and request timeouts, the retry mode and the number of
 * attempts, in one object that every SDK v3 client constructor accepts.
 *
 *   const dynamo = new DynamoDBClient(sdkClientConfig());                 // at module scope
 *   const lambda = new LambdaClient({ ...sdkClientConfig(), region: 'eu-west-1' });
 *
 * Build clients once per container, at module scope, so their connections
 * outlive the invocation that opened them. Each call returns new agents, so
 * `maxSockets` is a cap per client and destroying one client does not close
 * another's sockets.
 *
 * `requestHandler` is given as `NodeHttpHandlerOptions`: every SDK v3 client
 * builds `@smithy/node-http-handler`'s `NodeHttpHandler` from it
 * (`NodeHttpHandler.create`). Importing `NodeHttpHandler` here instead would
 * bundle it and the part of `@smithy/core` it needs (about 130 KB minified) into
 * every handler, because bundling leaves only `@aws-sdk/*` external; the options
 * form costs nothing and uses the SDK's own copy.
 */
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { NodeHttpHandlerOptions } from '@smithy/types';
import type { HandlerSettings } from './contract';
import { handlerSettings } from './settings';

export type SdkSettings = Pick<HandlerSettings, 'http' | 'retries'>;

/** The constructor options this module sets; spread more (region, credentials, endpoint) next to them. */
export interface SdkClientConfig {
  requestHandler: NodeHttpHandlerOptions & { httpAgent: HttpAgent; httpsAgent: HttpsAgent };
  maxAttempts: number;
  retryMode: 'standard' | 'adaptive';
}

/** Agents for plain and TLS endpoints, with the keep-alive and socket cap of `http`. */
export function keepAliveAgents(http: SdkSettings['http']): { httpAgent: HttpAgent; httpsAgent: HttpsAgent } {
  const options = { keepAlive: http.keepAlive, keepAliveMsecs: 1000, maxSockets: http.maxSockets, scheduling: 'lifo' as const };
  return { httpAgent: new HttpAgent(options), httpsAgent: new HttpsAgent(options) };
}

/**
 * Request-handler options: keep-alive agents capped at `http.maxSockets`,
 * `connectionTimeout` = `http.connectTimeoutMs`, and `requestTimeout` =
 * `http.requestTimeoutMs` enforced as an error (`TimeoutError`, which the SDK
 * retries like any transient failure). A timeout of 0 turns that timeout off.
 */
export function keepAliveHandlerOptions(http: SdkSettings['http']): SdkClientConfig['requestHandler'] {
  return {
    ...keepAliveAgents(http),
    connectionTimeout: http.connectTimeoutMs,
    requestTimeout: http.requestTimeoutMs,
    throwOnRequestTimeout: true,
  };
}

/**
 * Constructor options for any AWS SDK v3 client, from the function's
 * environment (or from `settings`, e.g. in a test).
 */
export function sdkClientConfig(settings: SdkSettings = handlerSettings()): SdkClientConfig {
  return {
    requestHandler: keepAliveHandlerOptions(settings.http),
    maxAttempts: Math.max(1, settings.retries.maxAttempts),
    retryMode: settings.retries.mode,
  };
}
