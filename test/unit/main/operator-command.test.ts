import { afterEach, describe, expect, it, vi } from 'vitest';
import { runOperatorCommand, type OperatorCommand } from '../../../src/main/operator-command.js';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => (out.push(String(chunk)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => (err.push(String(chunk)), true));
  return { out, err };
}

const command = (overrides: Partial<OperatorCommand<string[], { closed: boolean }>> = {}) => {
  const deps = { closed: false };
  const spec: OperatorCommand<string[], { closed: boolean }> = {
    parse: (args) => [...args],
    open: async () => ({ deps, backends: {}, close: async () => void (deps.closed = true) }),
    run: async (_deps, args, { progress }) => {
      progress('1 of 2');
      progress('2 of 2');
      return `done: ${args.join(' ')}`;
    },
    ...overrides,
  };
  return { spec, deps };
};

describe('runOperatorCommand', () => {
  afterEach(() => {
    vi.restoreAllMocks();
    process.exitCode = undefined;
  });

  it('prints the summary on stdout and progress on stderr, one line each off a terminal, and closes', async () => {
    const { out, err } = capture();
    const { spec, deps } = command();
    await runOperatorCommand(spec, ['--all']);
    expect(out).toEqual(['done: --all\n']);
    expect(err).toEqual(process.stderr.isTTY ? ['\r1 of 2\x1b[K', '\r2 of 2\x1b[K', '\n'] : ['1 of 2\n', '2 of 2\n']);
    expect(deps.closed).toBe(true);
    expect(process.exitCode).toBeUndefined();
  });

  it('prints a usage error alone, opening nothing, with exit code 1', async () => {
    const { out, err } = capture();
    const open = vi.fn();
    await runOperatorCommand({ ...command().spec, parse: () => { throw new Error('usage: npm run x -- --all'); }, open }, []);
    expect(open).not.toHaveBeenCalled();
    expect(out).toEqual([]);
    expect(err).toEqual(['usage: npm run x -- --all\n']);
    expect(process.exitCode).toBe(1);
  });

  it('closes what it opened when the command fails, and reports the failure', async () => {
    const { err } = capture();
    const { spec, deps } = command({ run: () => Promise.reject('broker gone') });
    await runOperatorCommand(spec, []);
    expect(deps.closed).toBe(true);
    expect(err).toEqual(['broker gone\n']);
    expect(process.exitCode).toBe(1);
  });
});
