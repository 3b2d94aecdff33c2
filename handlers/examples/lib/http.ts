/**
 * Small helpers the example handlers share for API Gateway proxy events. They
 * are example code, not part of the runtime kit: copy what you need.
 */
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';

/** An error with the HTTP status the client should see. */
export class HttpError extends Error {
  constructor(readonly statusCode: number, message: string) {
    super(message);
    this.name = 'HttpError';
  }
}

export function json(statusCode: number, body: unknown, headers: Record<string, string> = {}): APIGatewayProxyResult {
  return { statusCode, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) };
}

/** The response for an error: its own status for an `HttpError`, a logged 500 for anything else. */
export function errorResponse(err: unknown): APIGatewayProxyResult {
  if (err instanceof HttpError) return json(err.statusCode, { message: err.message });
  console.error(JSON.stringify({ level: 'error', msg: 'unhandled error', error: err instanceof Error ? err.stack : String(err) }));
  return json(500, { message: 'internal error' });
}

/** The caller's user id: the Cognito `sub` claim, or what a Lambda authorizer put in its context. */
export function callerId(event: APIGatewayProxyEvent): string {
  const authorizer = event.requestContext?.authorizer as Record<string, unknown> | null | undefined;
  const claims = authorizer?.claims as Record<string, unknown> | undefined;
  const id = claims?.sub ?? authorizer?.userId ?? authorizer?.principalId;
  if (typeof id !== 'string' || id === '') throw new HttpError(401, 'no caller identity on the request');
  return id;
}

/** The JSON body of a request, as an object. */
export function jsonBody(event: APIGatewayProxyEvent): Record<string, unknown> {
  if (!event.body) throw new HttpError(400, 'request body is empty; send a JSON object');
  const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new HttpError(400, 'request body is not JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new HttpError(400, 'request body must be a JSON object');
  return parsed as Record<string, unknown>;
}

/** A required string field of a JSON body or a query string. */
export function requireString(source: Record<string, unknown> | null | undefined, field: string): string {
  const v = source?.[field];
  if (typeof v !== 'string' || v.trim() === '') throw new HttpError(400, `\`${field}\` is required and must be a non-empty string`);
  return v.trim();
}
