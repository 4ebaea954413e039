/**
 * The embedded PGlite on a worker thread of its own, behind the part of PGlite's interface that the
 * Prisma adapter (pglite-prisma-adapter) and our SQL sessions use: `query`, `exec`, `transaction`,
 * `close`. PostgreSQL compiled to WebAssembly runs synchronously, so on the server's thread every save
 * blocked the sockets of every room; in the worker it blocks nothing here.
 *
 * PGlite's own PGliteWorker is built for browsers (Web Workers, BroadcastChannel, navigator.locks), so
 * this is a small Node equivalent over `worker_threads`. What cannot cross threads is handled here: a
 * caller's row parsers (functions) run on this side, on the text the worker sends back for their
 * types, and PostgreSQL errors are rebuilt as PGlite's DatabaseError (the adapter maps those to
 * Prisma's errors).
 */
import { Worker } from 'node:worker_threads';
import { messages, type QueryOptions, type Results, type Transaction } from '@electric-sql/pglite';

type Request = { op: 'query'; sql: string; params: unknown[]; rowMode?: 'array' | 'object'; textTypes: number[] } | { op: 'exec'; sql: string } | { op: 'close' };

interface ErrorFields {
  message: string;
  name: string;
  /** A PostgreSQL error (it has a severity), rebuilt as PGlite's DatabaseError. */
  database: boolean;
  [field: string]: unknown;
}

type Reply = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: ErrorFields };
type Ready = { ready: true } | { ready: false; error: ErrorFields };

/** The part of PGlite the rest of the server uses, on this thread or another. */
export type PGliteLike = Pick<Transaction, 'query' | 'exec'> & {
  transaction<T>(callback: (tx: Transaction) => Promise<T>): Promise<T>;
  readonly closed: boolean;
  close(): Promise<void>;
};

function rebuildError(fields: ErrorFields): Error {
  const { message, name, database, ...rest } = fields;
  if (database) return Object.assign(new messages.DatabaseError(message, 0, 'error'), rest);
  const error = new Error(message);
  error.name = name;
  return Object.assign(error, rest);
}

/** PGlite on its own thread; `open` starts it (and creates the database folder's contents on first use). */
export class PGliteThread implements PGliteLike {
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: (value: unknown) => void; reject: (error: unknown) => void }>();
  /** Queries take turns with transactions: nothing of another caller may land inside a BEGIN…COMMIT. */
  private turn: Promise<unknown> = Promise.resolve();
  private isClosed = false;

  private constructor(private readonly worker: Worker) {
    worker.on('message', (reply: Reply) => {
      const waiter = this.waiting.get(reply.id);
      if (!waiter) return;
      this.waiting.delete(reply.id);
      // While nothing is asked of it, the thread must not keep the process alive.
      if (this.waiting.size === 0) worker.unref();
      if (reply.ok) waiter.resolve(reply.result);
      else waiter.reject(rebuildError(reply.error));
    });
    worker.on('error', (error) => this.failAll(error));
    worker.on('exit', (code) => {
      this.isClosed = true;
      this.failAll(new Error(`The database thread stopped (exit code ${code}).`));
    });
  }

  /** Starts the thread and opens the database in `dataDir` (null: in memory). */
  static async open(dataDir: string | null): Promise<PGliteThread> {
    const worker = new Worker(new URL('./pglite-worker.mjs', import.meta.url), { workerData: { dataDir } });
    let settle: { onMessage: (ready: Ready) => void; onError: (error: Error) => void; onExit: (code: number) => void } | undefined;
    const ready = await new Promise<Ready>((resolve, reject) => {
      settle = {
        onMessage: resolve,
        onError: reject,
        onExit: (code) => reject(new Error(`The database thread stopped while opening (exit code ${code}).`)),
      };
      worker.once('message', settle.onMessage).once('error', settle.onError).once('exit', settle.onExit);
    }).finally(() => {
      // Only these: the Worker keeps listeners of its own (removeAllListeners would stop its messages).
      if (settle) worker.off('message', settle.onMessage).off('error', settle.onError).off('exit', settle.onExit);
    });
    if (!ready.ready) {
      await worker.terminate();
      throw rebuildError(ready.error);
    }
    worker.unref();
    return new PGliteThread(worker);
  }

  get closed(): boolean {
    return this.isClosed;
  }

  query<T>(sql: string, params: unknown[] = [], options?: QueryOptions): Promise<Results<T>> {
    return this.exclusive(() => this.send<T>(sql, params, options));
  }

  exec(sql: string): Promise<Results[]> {
    return this.exclusive(() => this.request<Results[]>({ op: 'exec', sql }));
  }

  /** BEGIN, the callback, then COMMIT; ROLLBACK when it throws or calls `tx.rollback()`. */
  transaction<T>(callback: (tx: Transaction) => Promise<T>): Promise<T> {
    return this.exclusive(async () => {
      await this.request({ op: 'exec', sql: 'BEGIN' });
      let open = true;
      const end = async (sql: 'COMMIT' | 'ROLLBACK') => {
        if (!open) return;
        open = false;
        await this.request({ op: 'exec', sql });
      };
      const tx: Transaction = {
        query: <R>(sql: string, params?: unknown[], options?: QueryOptions) => this.send<R>(sql, params ?? [], options),
        sql: () => Promise.reject(new Error('Tagged-template queries are not available on the database thread.')),
        exec: (sql: string) => this.request<Results[]>({ op: 'exec', sql }),
        rollback: () => end('ROLLBACK'),
        listen: () => Promise.reject(new Error('LISTEN is not available on the database thread.')),
        get closed() {
          return !open;
        },
      };
      try {
        const value = await callback(tx);
        await end('COMMIT');
        return value;
      } catch (error) {
        await end('ROLLBACK').catch(() => {});
        throw error;
      }
    });
  }

  async close(): Promise<void> {
    if (this.isClosed) return;
    await this.exclusive(() => this.request({ op: 'close' }));
    this.isClosed = true;
    await this.worker.terminate();
  }

  /** One query; the caller's parsers turn the text of their types into values here. */
  private async send<T>(sql: string, params: unknown[], options?: QueryOptions): Promise<Results<T>> {
    const parsers: Partial<QueryOptions['parsers'] & object> = options?.parsers ?? {};
    const textTypes = Object.keys(parsers).map(Number);
    const result = await this.request<Results<T>>({ op: 'query', sql, params, rowMode: options?.rowMode, textTypes });
    const parsed = result.fields.flatMap((field, index) => {
      // PGlite calls a parser with the type as well, though its declared type leaves that out.
      const parse: ((value: string, typeId: number) => unknown) | undefined = parsers[field.dataTypeID];
      return parse ? [{ index, name: field.name, type: field.dataTypeID, parse }] : [];
    });
    if (parsed.length === 0) return result;
    for (const row of result.rows as Record<string | number, unknown>[]) {
      for (const { index, name, type, parse } of parsed) {
        const key = options?.rowMode === 'array' ? index : name;
        const text = row[key];
        if (typeof text === 'string') row[key] = parse(text, type);
      }
    }
    return result;
  }

  private request<T>(request: Request): Promise<T> {
    if (this.isClosed) return Promise.reject(new Error('The database is closed.'));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.worker.ref();
      this.worker.postMessage({ id, ...request });
    });
  }

  private exclusive<T>(task: () => Promise<T>): Promise<T> {
    const mine = this.turn.then(task);
    this.turn = mine.catch(() => undefined);
    return mine;
  }

  private failAll(error: unknown): void {
    for (const waiter of this.waiting.values()) waiter.reject(error);
    this.waiting.clear();
  }
}
