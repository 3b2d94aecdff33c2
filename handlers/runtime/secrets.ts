/**
 * Secrets Manager reads, once per container per secret. The client is loaded
 * on first use (`@aws-sdk/client-secrets-manager` is external when bundled and
 * provided by the Lambda Node.js runtime), so a handler that reads no secret
 * never loads it.
 */
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { sdkClientConfig } from './sdk';

let defaultClient: SecretsManagerClient | undefined;
const values = new Map<string, Promise<string>>();

async function clientFor(client?: SecretsManagerClient): Promise<{ client: SecretsManagerClient; GetSecretValueCommand: typeof import('@aws-sdk/client-secrets-manager').GetSecretValueCommand }> {
  const sm = await import('@aws-sdk/client-secrets-manager');
  if (client) return { client, GetSecretValueCommand: sm.GetSecretValueCommand };
  defaultClient ??= new sm.SecretsManagerClient(sdkClientConfig());
  return { client: defaultClient, GetSecretValueCommand: sm.GetSecretValueCommand };
}

/**
 * The `SecretString` of a secret (AWSCURRENT). Kept for the life of the
 * container once read; a failed read is not kept, so the next call tries again.
 * `client` replaces the default client (built from the kit's SDK settings).
 */
export function readSecret(secretId: string, client?: SecretsManagerClient): Promise<string> {
  let pending = values.get(secretId);
  if (!pending) {
    pending = (async () => {
      const c = await clientFor(client);
      const out = await c.client.send(new c.GetSecretValueCommand({ SecretId: secretId }));
      if (typeof out.SecretString !== 'string') throw new Error(`secret ${secretId} has no SecretString (binary secrets are not supported)`);
      return out.SecretString;
    })();
    values.set(secretId, pending);
    pending.catch(() => {
      if (values.get(secretId) === pending) values.delete(secretId);
    });
  }
  return pending;
}

/**
 * A Redis AUTH token from a secret's text: the plain string, or, when the secret
 * is a JSON object, its `authToken`, `token` or `password` field (first found).
 */
export function authTokenFromSecret(secret: string, secretId = 'the secret'): string {
  const text = secret.trim();
  if (text.startsWith('{')) {
    let parsed: Record<string, unknown>;
    try {
      parsed = JSON.parse(text) as Record<string, unknown>;
    } catch {
      return text;
    }
    for (const field of ['authToken', 'token', 'password']) {
      if (typeof parsed[field] === 'string' && parsed[field] !== '') return parsed[field] as string;
    }
    throw new Error(`${secretId} is a JSON object without an \`authToken\`, \`token\` or \`password\` field`);
  }
  if (!text) throw new Error(`${secretId} is empty`);
  return text;
}

/** Forget every secret read so far (tests). */
export function forgetSecrets(): void {
  values.clear();
}
