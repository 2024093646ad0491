/** Checks that pass or fail, steps that must succeed for the rest to run, and their timings. */
export class Results {
  passed = 0;
  failed = 0;
  readonly #began = performance.now();

  /** Prints a line under the current step. */
  readonly note = (line: string): void => console.log(`    ${line}`);

  /** Runs a check; a throw is a failure with its message, and the run goes on. */
  async check(name: string, body: () => Promise<unknown>): Promise<void> {
    const began = performance.now();
    try {
      await body();
      this.passed += 1;
      console.log(`ok - ${name} (${seconds(began)})`);
    } catch (error) {
      this.fail(name, error);
    }
  }

  /** Runs a step the rest depends on: a throw counts as a failure and propagates. */
  async step<T>(name: string, body: () => Promise<T>): Promise<T> {
    const began = performance.now();
    console.log(`# ${name}`);
    try {
      const value = await body();
      console.log(`# ${name}: done in ${seconds(began)}${typeof value === 'string' ? ` (${value})` : ''}`);
      return value;
    } catch (error) {
      throw new StepFailed(name, error);
    }
  }

  fail(name: string, error: unknown): void {
    this.failed += 1;
    const [label, cause] = error instanceof StepFailed ? [error.step, error.cause] : [name, error];
    console.log(`not ok - ${label}: ${cause instanceof Error ? cause.message : String(cause)}`);
  }

  /** The closing line; sets a failing exit status. */
  summary(): void {
    console.log(`# total ${seconds(this.#began)}`);
    console.log(`${this.passed} passed, ${this.failed} failed`);
    if (this.failed > 0 || this.passed === 0) process.exitCode = 1;
  }
}

class StepFailed extends Error {
  constructor(
    readonly step: string,
    override readonly cause: unknown,
  ) {
    super(step);
  }
}

const seconds = (since: number): string => `${((performance.now() - since) / 1000).toFixed(1)} s`;
