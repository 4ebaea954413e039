/**
 * The drift test: the migrations must build what schema.prisma describes, so the SQL can never silently
 * disagree with the schema the Prisma client was generated from.
 *
 * Two independent checks. Prisma's schema engine (WebAssembly) diffs the migrations against the schema
 * and must find nothing. Then, on PGlite and on PostgreSQL, an empty database is migrated and every
 * model and field of the schema, read through Prisma's DMMF, is looked up in the catalog: the table, each
 * column's type, nullability and default, every primary key, unique and plain index, every foreign key
 * and its actions, every enum and its values, and nothing more than that.
 */
import { readFileSync } from 'node:fs';
import type * as DMMF from '@prisma/dmmf';
import { getDMMF } from '@prisma/get-dmmf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PHASES } from '../../lib/protocol/views';
import { diffMigrationsToSchema, SCHEMA_PATH } from '../../prisma/tools/schema-engine';
import type { SqlSession } from '../../server/persistence/db';
import { migrate } from '../../server/persistence/migrate';
import { databaseTargets, type TestDatabase } from '../helpers/databases';

const schema = readFileSync(SCHEMA_PATH, 'utf8');
const dmmf = getDMMF({ datamodel: schema });
if ('error' in dmmf) throw new Error(`schema.prisma does not parse: ${dmmf.reason}`);
const { models, enums, indexes } = dmmf.datamodel;

/** PostgreSQL's limit on identifiers; Prisma's default names must fit or they would be truncated. */
const MAX_IDENTIFIER = 63;

const tableOf = (model: DMMF.Model) => model.dbName ?? model.name;
const columnOf = (model: DMMF.Model, fieldName: string) => {
  const field = model.fields.find((each) => each.name === fieldName);
  if (!field) throw new Error(`${model.name} has no field ${fieldName}`);
  return field.dbName ?? field.name;
};
const modelNamed = (name: string) => {
  const model = models.find((each) => each.name === name);
  if (!model) throw new Error(`no model ${name}`);
  return model;
};

// ---- What the schema says the catalog must hold -------------------------------------------------

interface ColumnSpec {
  /** pg's format_type(), e.g. `timestamp(3) without time zone`, `double precision[]`, `"SessionPhase"`. */
  type: string;
  nullable: boolean;
  /** The column default as PostgreSQL prints it, or null. */
  default: string | null;
}

/** Prisma's PostgreSQL type for each scalar, as format_type() prints it (no @db attributes here). */
const SCALAR_TYPES: Record<string, string> = {
  String: 'text',
  Int: 'integer',
  BigInt: 'bigint',
  Float: 'double precision',
  Decimal: 'numeric(65,30)',
  Boolean: 'boolean',
  DateTime: 'timestamp(3) without time zone',
  Json: 'jsonb',
  Bytes: 'bytea',
};

function expectedType(field: DMMF.Field): string {
  if (field.nativeType) throw new Error(`${field.name}: @db.${field.nativeType[0]} is not covered by the drift test yet; teach it the type.`);
  let base: string;
  if (field.kind === 'enum') {
    const dbName = enums.find((each) => each.name === field.type)?.dbName ?? field.type;
    base = `"${dbName}"`;
  } else {
    const scalar = SCALAR_TYPES[field.type];
    if (!scalar) throw new Error(`${field.name}: no PostgreSQL type known for ${field.type}`);
    base = scalar;
  }
  return field.isList ? `${base}[]` : base;
}

/** The database-side default Prisma emits; client-side ones (uuid(), cuid(), @updatedAt) have none. */
function expectedDefault(field: DMMF.Field): string | null {
  const value = field.default;
  if (value === undefined) return null;
  if (typeof value === 'object' && value !== null && 'name' in value) {
    switch (value.name) {
      case 'now':
        return 'CURRENT_TIMESTAMP';
      case 'uuid':
      case 'cuid':
      case 'nanoid':
      case 'ulid':
        return null;
      default:
        throw new Error(`${field.name}: default ${value.name}() is not covered by the drift test yet`);
    }
  }
  if (field.kind === 'enum') return `'${String(value)}'::"${field.type}"`;
  if (typeof value === 'string') return `'${value}'::text`;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new Error(`${field.name}: default ${JSON.stringify(value)} is not covered by the drift test yet`);
}

function expectedColumns(model: DMMF.Model): Record<string, ColumnSpec> {
  return Object.fromEntries(
    model.fields
      .filter((field) => field.kind === 'scalar' || field.kind === 'enum')
      .map((field) => [
        field.dbName ?? field.name,
        // Prisma leaves list columns nullable even when the field is required.
        { type: expectedType(field), nullable: !field.isRequired || field.isList, default: expectedDefault(field) },
      ]),
  );
}

interface IndexSpec {
  name: string;
  columns: string[];
  primary: boolean;
  unique: boolean;
}

function expectedIndexes(model: DMMF.Model): IndexSpec[] {
  const table = tableOf(model);
  return indexes
    .filter((index) => index.model === model.name)
    .map((index) => {
      const columns = index.fields.map((field) => columnOf(model, field.name));
      const suffix = index.type === 'id' ? 'pkey' : index.type === 'unique' ? 'key' : 'idx';
      const name = index.dbName ?? (index.type === 'id' ? `${table}_pkey` : `${table}_${columns.join('_')}_${suffix}`);
      if (index.type === 'fulltext') throw new Error(`${model.name}: full-text indexes are not covered by the drift test yet`);
      return { name, columns, primary: index.type === 'id', unique: index.type !== 'normal' };
    });
}

interface ForeignKeySpec {
  name: string;
  columns: string[];
  references: string;
  referencedColumns: string[];
  onDelete: string;
  onUpdate: string;
}

function expectedForeignKeys(model: DMMF.Model): ForeignKeySpec[] {
  const table = tableOf(model);
  return model.fields
    .filter((field) => field.kind === 'object' && (field.relationFromFields?.length ?? 0) > 0)
    .map((field) => {
      const target = modelNamed(field.type);
      const columns = (field.relationFromFields ?? []).map((name) => columnOf(model, name));
      // Prisma's defaults: Restrict on delete for a required relation, SetNull for an optional one; Cascade on update.
      const onDelete = field.relationOnDelete ?? (field.isRequired ? 'Restrict' : 'SetNull');
      const onUpdate = (field as DMMF.Field & { relationOnUpdate?: string }).relationOnUpdate ?? 'Cascade';
      return {
        name: `${table}_${columns.join('_')}_fkey`,
        columns,
        references: tableOf(target),
        referencedColumns: (field.relationToFields ?? []).map((name) => columnOf(target, name)),
        onDelete,
        onUpdate,
      };
    });
}

// ---- What the catalog holds ---------------------------------------------------------------------

const ACTIONS: Record<string, string> = { a: 'NoAction', r: 'Restrict', c: 'Cascade', n: 'SetNull', d: 'SetDefault' };

async function catalog(session: SqlSession) {
  const tables = (
    await session.query<{ name: string }>("SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind = 'r'")
  ).map((row) => row.name);

  const columnRows = await session.query<{ table: string; name: string; type: string; nullable: boolean; default: string | null }>(
    `SELECT c.relname AS "table", a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type, NOT a.attnotnull AS nullable,
            pg_get_expr(d.adbin, d.adrelid) AS "default"
       FROM pg_attribute a
       JOIN pg_class c ON c.oid = a.attrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace
       LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
      WHERE n.nspname = 'public' AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped`,
  );

  const indexRows = await session.query<{ table: string; name: string; columns: string[]; primary: boolean; unique: boolean; partial: boolean }>(
    `SELECT t.relname AS "table", i.relname AS name, ix.indisprimary AS "primary", ix.indisunique AS "unique", ix.indpred IS NOT NULL AS partial,
            ARRAY(SELECT a.attname::text FROM unnest(ix.indkey::int2[]) WITH ORDINALITY AS k(attnum, position)
                    JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum ORDER BY k.position) AS columns
       FROM pg_index ix
       JOIN pg_class t ON t.oid = ix.indrelid
       JOIN pg_class i ON i.oid = ix.indexrelid
       JOIN pg_namespace n ON n.oid = t.relnamespace
      WHERE n.nspname = 'public'`,
  );

  const foreignKeyRows = await session.query<{
    table: string;
    name: string;
    columns: string[];
    references: string;
    referencedColumns: string[];
    onDelete: string;
    onUpdate: string;
  }>(
    `SELECT t.relname AS "table", con.conname AS name, r.relname AS "references", con.confdeltype AS "onDelete", con.confupdtype AS "onUpdate",
            ARRAY(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY AS k(attnum, position)
                    JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum ORDER BY k.position) AS columns,
            ARRAY(SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY AS k(attnum, position)
                    JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum ORDER BY k.position) AS "referencedColumns"
       FROM pg_constraint con
       JOIN pg_class t ON t.oid = con.conrelid
       JOIN pg_class r ON r.oid = con.confrelid
       JOIN pg_namespace n ON n.oid = t.relnamespace
      WHERE n.nspname = 'public' AND con.contype = 'f'`,
  );

  const enumRows = await session.query<{ name: string; values: string[] }>(
    `SELECT t.typname AS name, ARRAY(SELECT e.enumlabel::text FROM pg_enum e WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder) AS "values"
       FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
      WHERE n.nspname = 'public' AND t.typtype = 'e'`,
  );

  const byName = <T extends { name: string }>(rows: T[]) => [...rows].sort((a, b) => a.name.localeCompare(b.name));
  return {
    tables,
    columns: (table: string) =>
      Object.fromEntries(
        columnRows.filter((row) => row.table === table).map((row) => [row.name, { type: row.type, nullable: row.nullable, default: row.default }]),
      ),
    indexes: (table: string) =>
      byName(indexRows.filter((row) => row.table === table)).map(({ name, columns, primary, unique, partial }) => {
        expect(partial, `${name} is a partial index, which schema.prisma cannot describe`).toBe(false);
        return { name, columns, primary, unique };
      }),
    foreignKeys: (table: string) =>
      byName(foreignKeyRows.filter((row) => row.table === table)).map(({ table: _table, onDelete, onUpdate, ...rest }) => ({
        ...rest,
        onDelete: ACTIONS[onDelete] ?? onDelete,
        onUpdate: ACTIONS[onUpdate] ?? onUpdate,
      })),
    enums: Object.fromEntries(enumRows.map((row) => [row.name, row.values])),
  };
}

// ---- The tests ----------------------------------------------------------------------------------

describe('schema.prisma and the migrations', () => {
  it('differ in nothing, according to Prisma’s schema engine', async () => {
    const missing = await diffMigrationsToSchema(schema);
    expect(missing, `The migrations lack this SQL; run npm run db:new-migration -- <name>:\n${missing}`).toBeNull();
    // Prisma's schema engine as WebAssembly takes seconds alone and minutes on a machine busy with other work.
  }, 300_000);

  it('keep the session phases equal to the game’s', () => {
    expect(enums.find((each) => each.name === 'SessionPhase')?.values.map((value) => value.name)).toEqual([...PHASES]);
  });

  it('use default names that fit in a PostgreSQL identifier', () => {
    for (const model of models) {
      for (const { name } of [...expectedIndexes(model), ...expectedForeignKeys(model)]) expect(name.length, name).toBeLessThanOrEqual(MAX_IDENTIFIER);
    }
  });
});

for (const target of await databaseTargets()) {
  describe.skipIf(target.skip)(`after migrating an empty ${target.kind} database`, () => {
    let t: TestDatabase;
    let found: Awaited<ReturnType<typeof catalog>>;

    beforeAll(async () => {
      t = await target.open('drift');
      await migrate(t.db);
      found = await t.db.sql.withSession(catalog);
    });
    afterAll(async () => {
      await t?.close();
    });

    it('has exactly one table per model, besides _prisma_migrations', () => {
      expect([...found.tables].sort()).toEqual([...models.map(tableOf), '_prisma_migrations'].sort());
    });

    it('has exactly the enums of the schema, with their values in order', () => {
      expect(found.enums).toEqual(Object.fromEntries(enums.map((each) => [each.dbName ?? each.name, each.values.map((value) => value.dbName ?? value.name)])));
    });

    describe.each(models.map((model) => [model.name, model] as const))('model %s', (_name, model) => {
      it('has every field as a column of the right type, nullability and default, and no other column', () => {
        expect(found.columns(tableOf(model))).toEqual(expectedColumns(model));
      });

      it('has its primary key, unique and plain indexes under Prisma’s names, and no other index', () => {
        const byName = (a: IndexSpec, b: IndexSpec) => a.name.localeCompare(b.name);
        expect(found.indexes(tableOf(model))).toEqual(expectedIndexes(model).sort(byName));
      });

      it('has a foreign key for every relation it holds, with its actions, and no other', () => {
        const byName = (a: ForeignKeySpec, b: ForeignKeySpec) => a.name.localeCompare(b.name);
        expect(found.foreignKeys(tableOf(model))).toEqual(expectedForeignKeys(model).sort(byName));
      });
    });
  });
}
