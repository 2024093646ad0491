/**
 * At most `size` holders at once; acquiring waits up to a deadline for a free slot, in arrival
 * order, and resolves to null when none came free in time (the caller answers "busy").
 */
export class Slots {
  #free: number;
  readonly #waiting: Array<(release: (() => void) | null) => void> = [];

  constructor(size: number) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`slots must be a positive integer, got ${size}`);
    this.#free = size;
  }

  /** A function that frees the slot (call it once), or null after `waitMs` without one. */
  acquire(waitMs: number): Promise<(() => void) | null> {
    if (this.#free > 0) {
      this.#free -= 1;
      return Promise.resolve(this.#release());
    }
    return new Promise((resolve) => {
      const waiter = (release: (() => void) | null) => {
        clearTimeout(timer);
        resolve(release);
      };
      const timer = setTimeout(() => {
        this.#waiting.splice(this.#waiting.indexOf(waiter), 1);
        resolve(null);
      }, waitMs);
      this.#waiting.push(waiter);
    });
  }

  #release(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.#waiting.shift();
      // Hand the slot straight to the next waiter, so a newcomer cannot overtake it.
      if (next) next(this.#release());
      else this.#free += 1;
    };
  }
}
