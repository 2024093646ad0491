import { spawn } from 'node:child_process';

/** What a finished command printed. */
export interface Finished {
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `command` with `args` (no shell) and resolves with its output once it exits 0; rejects
 * with the command line, its status and the end of its output otherwise. `echo` streams the
 * output through as well (for the long builds).
 */
export function exec(command: string, args: readonly string[], options: { env?: NodeJS.ProcessEnv; echo?: boolean } = {}): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (options.echo) process.stdout.write(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (options.echo) process.stderr.write(chunk);
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code === 0) return resolve({ stdout, stderr });
      const tail = `${stdout}\n${stderr}`.trim().split('\n').slice(-15).join('\n');
      reject(new Error(`\`${[command, ...args].join(' ')}\` exited ${code ?? signal}:\n${tail}`));
    });
  });
}

/** True when `command` is on PATH. */
export const onPath = (command: string): Promise<boolean> =>
  exec('sh', ['-c', `command -v ${command}`]).then(
    () => true,
    () => false,
  );
