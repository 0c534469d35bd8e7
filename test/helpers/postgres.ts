// A PostgreSQL store on a schema of its own for one test (the server is DATABASE_URL's; see missing.ts).
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { PostgresMessageStore, type PostgresStoreOptions } from '../../src/postgres/index.js';
import type { StoreBackend } from './store-contract.js';

/** A schema name no other test uses. */
export const freshSchema = (): string => `test_${randomBytes(6).toString('hex')}`;

/**
 * A backend on a new schema: `open()` makes another store instance with its own pool (as another process would);
 * `done()` closes them all and drops the schema.
 */
export function postgresBackend(
  url: string,
  options: Omit<PostgresStoreOptions, 'connectionString' | 'schema' | 'pool'> = {},
): StoreBackend<PostgresMessageStore> & { readonly schema: string } {
  const schema = freshSchema();
  const opened: PostgresMessageStore[] = [];
  return {
    schema,
    open() {
      const store = new PostgresMessageStore({ ...options, connectionString: url, schema });
      opened.push(store);
      return store;
    },
    async done() {
      await Promise.all(opened.map((s) => s.close()));
      await dropSchema(url, schema);
    },
  };
}

export async function dropSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}
