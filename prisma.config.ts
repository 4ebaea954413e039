/**
 * The Prisma CLI's settings. Only `prisma generate` runs on machines without network access (see
 * package.json); `prisma migrate deploy` elsewhere reads DATABASE_URL from here. The server applies
 * migrations itself (server/persistence/migrate.ts).
 */
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL },
});
