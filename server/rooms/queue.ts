/**
 * One queue of concurrency 1 per room. Socket messages, timers and the engine's answers all enter a
 * room through it, so two events never see the same state and each effect runs before the next event.
 */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();
  private pending = 0;

  /** Runs `task` after every task enqueued before it has settled; resolves or rejects with its outcome. */
  run<T>(task: () => T | Promise<T>): Promise<T> {
    this.pending++;
    const result = this.tail.then(task);
    // The chain continues whatever this task did; its caller sees the rejection.
    this.tail = result.then(
      () => this.pending--,
      () => this.pending--,
    );
    return result;
  }

  /** Tasks enqueued and not yet settled. */
  get size(): number {
    return this.pending;
  }

  /** Resolves once every task enqueued so far has settled. */
  async idle(): Promise<void> {
    while (this.pending > 0) await this.tail;
  }
}
