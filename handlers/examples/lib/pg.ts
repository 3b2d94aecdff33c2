/**
 * One `pg` pool per container, built from the kit's Postgres settings on first
 * use. A failed build (the secret could not be read) is not kept, so the next
 * request tries again instead of failing until the container is recycled.
 * Example code.
 */
import { Pool } from 'pg';
import { postgresPoolConfig } from '../../runtime/postgres';

let pending: Promise<Pool> | undefined;

export function pool(): Promise<Pool> {
  if (!pending) {
    const building = postgresPoolConfig().then((config) => {
      if (!config) throw new Error('this handler has no postgres connection; add `connections.postgres` to it in the YAML');
      return new Pool(config);
    });
    pending = building;
    building.catch(() => {
      if (pending === building) pending = undefined;
    });
  }
  return pending;
}
