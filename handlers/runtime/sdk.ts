/**
 * AWS SDK v3 client settings from the environment: a keep-alive agent with a
 * socket cap, connect and request timeouts, the retry mode and the number of
 * attempts, in one object that every SDK v3 client constructor accepts.
 *
 *   const dynamo = new DynamoDBClient(sdkClientConfig());                 // at module scope
 *   const lambda = new LambdaClient({ ...sdkClientConfig(), region: 'eu-west-1' });
 *
 * Build clients once per container, at module scope, so their connections
 * outlive the invocation that opened them. Each call returns a new request
 * handler with its own agents, so `maxSockets` is a cap per client and
 * destroying one client does not close another's sockets.
 *
 * Depends on `@smithy/node-http-handler`, which ships with the AWS SDK v3 (and
 * with the SDK in the Lambda Node.js runtime).
 */
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { HandlerSettings } from './contract';
import { handlerSettings } from './settings';

export type SdkSettings = Pick<HandlerSettings, 'http' | 'retries'>;

/** The constructor options this module sets; spread more (region, credentials) next to them. */
export interface SdkClientConfig {
  requestHandler: NodeHttpHandler;
  maxAttempts: number;
  retryMode: 'standard' | 'adaptive';
}

/** Agents for plain and TLS endpoints, with the keep-alive and socket cap of `settings.http`. */
export function keepAliveAgents(http: SdkSettings['http']): { httpAgent: HttpAgent; httpsAgent: HttpsAgent } {
  const options = { keepAlive: http.keepAlive, keepAliveMsecs: 1000, maxSockets: http.maxSockets, scheduling: 'lifo' as const };
  return { httpAgent: new HttpAgent(options), httpsAgent: new HttpsAgent(options) };
}

/**
 * A request handler for SDK v3 clients: keep-alive agents capped at
 * `http.maxSockets`, `connectionTimeout` = `http.connectTimeoutMs`, and
 * `requestTimeout` = `http.requestTimeoutMs` enforced as an error
 * (`TimeoutError`, which the SDK retries like any transient failure).
 */
export function keepAliveRequestHandler(http: SdkSettings['http'], agents = keepAliveAgents(http)): NodeHttpHandler {
  return new NodeHttpHandler({
    ...agents,
    connectionTimeout: http.connectTimeoutMs,
    requestTimeout: http.requestTimeoutMs,
    throwOnRequestTimeout: true,
  });
}

/**
 * Constructor options for any AWS SDK v3 client, from the function's
 * environment (or from `settings`, e.g. in a test).
 */
export function sdkClientConfig(settings: SdkSettings = handlerSettings()): SdkClientConfig {
  return {
    requestHandler: keepAliveRequestHandler(settings.http),
    maxAttempts: Math.max(1, settings.retries.maxAttempts),
    retryMode: settings.retries.mode,
  };
}
