/**
 * `npm run db:new-migration -- <name>`: writes prisma/migrations/<timestamp>_<name>/migration.sql for the
 * changes in schema.prisma, exactly as `prisma migrate dev --create-only` would, with no network and no
 * database. Without a name it only prints the SQL the migrations are missing.
 *
 * Exit codes: 0 done (or nothing to do), 1 an error, 2 without a name: the schema and migrations differ.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createMigration, diffMigrationsToSchema, MIGRATION_LOCK_TOML, MIGRATIONS_DIR, migrationSlug, SCHEMA_PATH } from './schema-engine';

async function main(args: string[]): Promise<number> {
  if (args.includes('--help') || args.length > 1) {
    console.log('usage: npm run db:new-migration -- [name]   (without a name: print what the migrations lack)');
    return args.includes('--help') ? 0 : 1;
  }
  const schema = readFileSync(SCHEMA_PATH, 'utf8');
  const [rawName] = args;

  if (rawName === undefined) {
    const sql = await diffMigrationsToSchema(schema);
    if (sql === null) {
      console.log('schema.prisma and prisma/migrations agree.');
      return 0;
    }
    console.log(sql);
    return 2;
  }

  const name = migrationSlug(rawName);
  if (name === '') {
    console.error(`"${rawName}" has no letters or digits to name a migration with.`);
    return 1;
  }
  const migration = await createMigration(schema, name);
  if (migration === null) {
    console.log('schema.prisma and prisma/migrations agree: no migration to create.');
    return 0;
  }
  const folder = path.join(MIGRATIONS_DIR, migration.directoryName);
  mkdirSync(folder, { recursive: true });
  writeFileSync(path.join(folder, 'migration.sql'), migration.script, 'utf8');
  const lockfile = path.join(MIGRATIONS_DIR, 'migration_lock.toml');
  if (!existsSync(lockfile)) writeFileSync(lockfile, MIGRATION_LOCK_TOML, 'utf8');
  console.log(`Wrote ${path.relative(process.cwd(), path.join(folder, 'migration.sql'))}. Review it, then run npm run db:migrate.`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
