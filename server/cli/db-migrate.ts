/**
 * `npm run db:migrate`: applies the pending migrations to the database DATABASE_URL names (the embedded
 * PGlite in DATA_DIR when it is unset) and prints what it applied. Exits 1, applying nothing, when the
 * configuration is wrong or the database's migration history disagrees with prisma/migrations.
 */
import { ConfigError } from '../config';
import { describeDatabase, loadDatabaseConfig } from '../persistence/config';
import { openDatabase } from '../persistence/db';
import { migrate, MigrationError } from '../persistence/migrate';

async function main(): Promise<number> {
  const config = loadDatabaseConfig();
  console.log(`Migrating ${describeDatabase(config)}`);
  const db = await openDatabase(config);
  try {
    const result = await migrate(db, { log: (line) => console.log(`  ${line}`) });
    console.log(
      result.applied.length === 0
        ? `Nothing to apply: all ${result.unchanged.length} migration(s) were already applied.`
        : `Applied ${result.applied.length} migration(s); ${result.unchanged.length} were already applied.`,
    );
    return 0;
  } finally {
    await db.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof ConfigError || error instanceof MigrationError) console.error(error.message);
    else console.error(error);
    process.exit(1);
  },
);
