import { defineConfig } from 'drizzle-kit';

/** drizzle-kit reads the schema from the PostgreSQL adapter and writes SQL migrations to ./migrations. */
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/adapters/postgres/schema.ts',
  out: './migrations',
});
