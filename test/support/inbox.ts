/** A list that test servers append to, from which each item can be taken once, waiting for it if need be. */

/** Received items (mails, SMS); `take` hands each out once, so after a resend the next take gets the new one. */
export class Inbox<T> {
  /** Everything received, in order. */
  readonly items: T[] = [];
  readonly #handedOut = new Set<T>();
  readonly #waiters = new Set<() => void>();

  /** Adds an item and wakes whoever waits for one like it. */
  push(item: T): void {
    this.items.push(item);
    for (const wake of [...this.#waiters]) wake();
  }

  /**
   * The first item matching `predicate` not handed out before; waits up to `timeoutInMs` for one to arrive.
   * @param describe - what went wrong, for the timeout error (say what was received).
   */
  take(predicate: (item: T) => boolean, timeoutInMs: number, describe: () => string): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const tryTake = (): boolean => {
        const item = this.items.find((candidate) => !this.#handedOut.has(candidate) && predicate(candidate));
        if (item === undefined) return false;
        this.#handedOut.add(item);
        resolve(item);
        return true;
      };
      if (tryTake()) return;
      const timer = setTimeout(() => {
        this.#waiters.delete(wake);
        reject(new Error(describe()));
      }, timeoutInMs);
      const wake = (): void => {
        if (!tryTake()) return;
        clearTimeout(timer);
        this.#waiters.delete(wake);
      };
      this.#waiters.add(wake);
    });
  }
}
