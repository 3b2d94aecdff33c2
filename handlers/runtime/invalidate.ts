/**
 * Per-entry invalidation of the API Gateway stage cache, for handlers whose YAML
 * says `invalidates: ["GET /profile", ...]`.
 *
 *   import { invalidateEndpoint } from 'cachestack/runtime/invalidate';
 *   await invalidateEndpoint('GET', '/profile', { headers: { Authorization: event.headers.Authorization } });
 *
 * API Gateway drops and refills one cache entry when a request for it carries
 * `Cache-Control: max-age=0` and (with `requireAuthorization: true`, the
 * default) is signed with SigV4 by a principal allowed `execute-api:InvalidateCache`
 * on that method; synthesis grants exactly that to the handler's role and puts
 * the stage URL in the environment (`CACHESTACK_REST_STAGE_URL`). The entry is the
 * one whose cache key values the request carries: pass the same `query` and
 * `headers` the cached request had (a `header.Authorization` key means the
 * caller's token).
 *
 * Where the signature goes: in the `Authorization` header, unless the request
 * must carry an `Authorization` header of its own (a Cognito or Lambda-authorized
 * endpoint, or one keyed on `header.Authorization`): then the signature goes in
 * the query string (`X-Amz-Signature`, a presigned request valid for 60 s), which
 * API Gateway also accepts and which is not part of the cache key.
 *
 * Signing uses the AWS SDK's own SigV4 signer (`@smithy/signature-v4`) and
 * credentials (the default provider chain: in Lambda, the role's session). The
 * request refreshes the entry, so the handler behind the endpoint runs once.
 * Not in `cachestack/runtime`'s index: only handlers that invalidate bundle the signer.
 */
import { Sha256 } from '@smithy/core/checksum';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider, HttpRequest as SignableRequest } from '@smithy/types';
import type { HandlerSettings } from './contract';
import { handlerSettings } from './settings';

export interface InvalidateOptions {
  /** Query string of the cached request (the `query.` cache keys). */
  query?: Record<string, string | string[]>;
  /** Headers of the cached request (the `header.` cache keys, such as the caller's `Authorization`). */
  headers?: Record<string, string>;
  /** @default the stage from the environment (`CACHESTACK_REST_STAGE_URL`) */
  stage?: HandlerSettings['restApi'];
  /** @default the AWS SDK's default credential provider chain */
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /** Seconds a query-string signature stays valid. @default 60 */
  expiresInSeconds?: number;
  /** Time to sign at (tests). @default now */
  signingDate?: Date;
}

export interface InvalidateResult {
  /** HTTP status of the refreshing request; 403 means the role may not invalidate this method. */
  status: number;
  /** The URL requested (without a query-string signature). */
  url: string;
}

/** Raised when the function has no stage to invalidate, or API Gateway refuses the invalidation. */
export class InvalidationError extends Error {
  constructor(message: string, readonly status?: number) {
    super(message);
    this.name = 'InvalidationError';
  }
}

async function defaultCredentials(): Promise<AwsCredentialIdentityProvider> {
  // Loaded on first use only: the SDK's credential chain, which the Lambda runtime ships.
  const { defaultProvider } = await import('@aws-sdk/credential-provider-node');
  return defaultProvider();
}

let credentialChain: Promise<AwsCredentialIdentityProvider> | undefined;

/** `/users/a b` → `/users/a%20b`: each segment percent-encoded as it goes on the wire (already-encoded `%XX` kept). */
function encodePath(path: string): string {
  return path
    .split('/')
    .map((seg) => encodeURIComponent(decodeURIComponentSafe(seg)))
    .join('/');
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** The request (method, URL, headers) `invalidateEndpoint` sends, signed; exported for tests and for callers with their own HTTP client. */
export async function signedInvalidation(method: string, path: string, options: InvalidateOptions = {}): Promise<{ url: string; method: string; headers: Record<string, string> }> {
  const stage = options.stage ?? handlerSettings().restApi;
  if (!stage) {
    throw new InvalidationError('this function has no REST API stage to invalidate: list the endpoints in `invalidates` of its handler in the YAML (CACHESTACK_REST_STAGE_URL is not set)');
  }
  if (!path.startsWith('/')) throw new InvalidationError(`the path must start with "/", got ${JSON.stringify(path)}`);
  const base = new URL(stage.stageUrl);
  const fullPath = `${base.pathname.replace(/\/+$/, '')}${encodePath(path)}`;
  const userHeaders: Record<string, string> = {};
  for (const [k, v] of Object.entries(options.headers ?? {})) userHeaders[k.toLowerCase()] = v;
  const headers: Record<string, string> = { ...userHeaders, host: base.host, 'cache-control': 'max-age=0' };
  const query: Record<string, string | string[]> = { ...(options.query ?? {}) };
  const request: SignableRequest = {
    method: method.toUpperCase(),
    protocol: base.protocol,
    hostname: base.hostname,
    port: base.port ? Number(base.port) : undefined,
    path: fullPath,
    query,
    headers,
  };
  const credentials = options.credentials ?? (await (credentialChain ??= defaultCredentials()));
  const signer = new SignatureV4({ service: 'execute-api', region: stage.region, credentials, sha256: Sha256 });
  const inQuery = 'authorization' in userHeaders;
  // `cache-control` is signed too (the SDK leaves it out by default): the signature covers the intent to invalidate.
  const signableHeaders = new Set(['cache-control']);
  const signed = inQuery
    ? await signer.presign(request, { expiresIn: options.expiresInSeconds ?? 60, signingDate: options.signingDate, signableHeaders, unsignableHeaders: new Set(Object.keys(userHeaders)) })
    : await signer.sign(request, { signingDate: options.signingDate, signableHeaders });
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(signed.query ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    for (const one of Array.isArray(v) ? v : v === null ? [] : [v]) search.append(k, one);
  }
  const qs = search.toString();
  const out: Record<string, string> = {};
  // The signer drops an `authorization` header it did not write; the caller's goes back on (query-string mode).
  for (const [k, v] of Object.entries({ ...userHeaders, ...signed.headers })) if (k !== 'host') out[k] = v;
  return { url: `${base.protocol}//${base.host}${fullPath}${qs ? `?${qs}` : ''}`, method: request.method, headers: out };
}

/**
 * Drop and refill the stage cache entry of `method path` (a concrete path such as
 * `/users/42`). Resolves with the status of the refreshing request; throws
 * `InvalidationError` on 403 (the role may not invalidate this method, or the
 * endpoint is not in `invalidates`).
 */
export async function invalidateEndpoint(method: string, path: string, options: InvalidateOptions = {}): Promise<InvalidateResult> {
  const req = await signedInvalidation(method, path, options);
  const res = await fetch(req.url, { method: req.method, headers: req.headers });
  await res.arrayBuffer().catch(() => undefined);
  const url = req.url.replace(/\?.*$/, '');
  if (res.status === 403) {
    throw new InvalidationError(`API Gateway refused to invalidate ${req.method} ${url} (403): is the endpoint in \`invalidates\` of this handler?`, 403);
  }
  return { status: res.status, url };
}
