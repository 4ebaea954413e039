/**
 * The embedded database's own thread (see pglite-thread.ts). PGlite runs PostgreSQL compiled to
 * WebAssembly synchronously: on the server's thread a save of a big class stalled every socket for
 * hundreds of milliseconds. Here it stalls nothing but this thread.
 *
 * Plain JavaScript, so it starts under tsx, vitest and node alike without a TypeScript loader.
 * Requests are answered in the order they arrive (PGlite queues them itself).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';

if (!parentPort) throw new Error('pglite-worker.mjs runs only as a worker thread.');
const port = parentPort;

/** @type {(value: string) => string} */
const keepText = (value) => value;

/**
 * A PostgreSQL error as plain fields: the message, the code, the detail… (a class does not survive
 * the trip between threads; the other side rebuilds PGlite's DatabaseError from these).
 * @param {unknown} error
 */
function errorFields(error) {
  if (!(error instanceof Error)) return { message: String(error), name: 'Error', database: false };
  /** @type {Record<string, unknown>} */
  const fields = {};
  for (const [key, value] of Object.entries(error)) {
    if (value === undefined || typeof value === 'function' || (typeof value === 'object' && value !== null)) continue;
    fields[key] = value;
  }
  return { ...fields, message: error.message, name: error.name, database: 'severity' in error };
}

/**
 * @param {{ id: number, op: 'query', sql: string, params: unknown[], rowMode?: 'array' | 'object', textTypes: number[] }
 *   | { id: number, op: 'exec', sql: string } | { id: number, op: 'close' }} request
 * @param {PGlite} db
 */
async function answer(request, db) {
  if (request.op === 'query') {
    // The caller's parsers are functions, which cannot cross threads: their types come back as text.
    const parsers = Object.fromEntries(request.textTypes.map((type) => [type, keepText]));
    const result = await db.query(request.sql, request.params, { rowMode: request.rowMode, parsers });
    return { rows: result.rows, fields: result.fields, affectedRows: result.affectedRows };
  }
  if (request.op === 'exec') {
    const results = await db.exec(request.sql);
    return results.map((result) => ({ rows: result.rows, fields: result.fields, affectedRows: result.affectedRows }));
  }
  await db.close();
  return null;
}

try {
  const db = await PGlite.create(workerData.dataDir ?? undefined);
  port.on('message', (request) => {
    answer(request, db).then(
      (result) => {
        port.postMessage({ id: request.id, ok: true, result });
        if (request.op === 'close') port.close();
      },
      (error) => port.postMessage({ id: request.id, ok: false, error: errorFields(error) }),
    );
  });
  port.postMessage({ ready: true });
} catch (error) {
  port.postMessage({ ready: false, error: errorFields(error) });
}
