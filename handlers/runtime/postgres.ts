/**
 * Settings for a `pg` connection pool from the environment (the handler's
 * `connections.postgres` in the YAML), as a plain object shaped like `pg`'s
 * `PoolConfig`. The kit does not depend on `pg`; the handler does:
 *
 *   import { Pool } from 'pg';
 *   const pool = postgresPoolConfig().then((config) => new Pool(config));   // module scope
 *   ...
 *   const { rows } = await (await pool).query('SELECT ...', [id]);
 *
 * With a `secret` in the YAML, the connection details come from that Secrets
 * Manager secret in the RDS format (`host`, `port`, `username`, `password`,
 * `dbname`), read once per container.
 */
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { HandlerSettings } from './contract';
import { readSecret } from './secrets';
import { handlerSettings } from './settings';

export type PostgresSettings = NonNullable<HandlerSettings['postgres']>;

/** The subset of `pg`'s `PoolConfig` the kit fills in. */
export interface PgPoolConfig {
  host?: string;
  port?: number;
  user?: string;
  password?: string;
  database?: string;
  /** TLS with certificate verification (see docs/handlers.md for the RDS CA bundle). */
  ssl: { rejectUnauthorized: boolean; servername?: string } | false;
  /** Connections kept open when idle. */
  min: number;
  /** Most connections the pool opens (per container). */
  max: number;
  idleTimeoutMillis: number;
  /** How long a query waits for a connection (to open, or to free up) before failing. */
  connectionTimeoutMillis: number;
  /** Server-side: Postgres cancels a statement after this many ms. */
  statement_timeout: number;
  /** Client-side: the query promise fails 1 s after the statement timeout, covering a dead connection. */
  query_timeout: number;
  application_name: string;
}

export class PostgresSecretError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PostgresSecretError';
  }
}

/**
 * Pool settings without connection details (those come from the secret, or
 * from the PG* variables that `pg` reads itself). `undefined` when the function
 * has no Postgres connection.
 */
export function postgresPoolSettings(settings: HandlerSettings = handlerSettings()): PgPoolConfig | undefined {
  const pg = settings.postgres;
  if (!pg) return undefined;
  return {
    ssl: { rejectUnauthorized: true },
    min: pg.min,
    max: pg.max,
    idleTimeoutMillis: pg.idleTimeoutMs,
    connectionTimeoutMillis: pg.connectionTimeoutMs,
    statement_timeout: pg.statementTimeoutMs,
    query_timeout: pg.statementTimeoutMs > 0 ? pg.statementTimeoutMs + 1000 : 0,
    application_name: `${settings.service}/${settings.handler}`.slice(0, 63),
  };
}

/** Connection details from an RDS-format secret. */
export function postgresConnectionFromSecret(secret: string, secretId = 'the postgres secret'): Pick<PgPoolConfig, 'host' | 'port' | 'user' | 'password' | 'database'> {
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(secret) as Record<string, unknown>;
  } catch {
    throw new PostgresSecretError(`${secretId} must be JSON with host, port, username, password and dbname (the RDS secret format)`);
  }
  const missing = ['host', 'username', 'password'].filter((k) => typeof parsed[k] !== 'string' || parsed[k] === '');
  if (missing.length) throw new PostgresSecretError(`${secretId} has no ${missing.map((m) => `\`${m}\``).join(', ')}; the RDS secret format has host, port, username, password and dbname`);
  const port = parsed.port === undefined ? 5432 : Number(parsed.port);
  if (!Number.isInteger(port) || port <= 0) throw new PostgresSecretError(`${secretId} has port ${JSON.stringify(parsed.port)}, which is not a port number`);
  return {
    host: parsed.host as string,
    port,
    user: parsed.username as string,
    password: parsed.password as string,
    database: typeof parsed.dbname === 'string' ? parsed.dbname : undefined,
  };
}

/**
 * Pool settings with the connection details of the configured secret (read once
 * per container). `undefined` when the function has no Postgres connection.
 */
export async function postgresPoolConfig(options: { settings?: HandlerSettings; secretsManager?: SecretsManagerClient } = {}): Promise<PgPoolConfig | undefined> {
  const settings = options.settings ?? handlerSettings();
  const base = postgresPoolSettings(settings);
  if (!base) return undefined;
  const arn = settings.postgres?.secretArn;
  if (!arn) return base;
  const connection = postgresConnectionFromSecret(await readSecret(arn, options.secretsManager), `secret ${arn}`);
  return { ...base, ...connection, ssl: base.ssl && { ...base.ssl, servername: connection.host } };
}
