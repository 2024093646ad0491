import { describe, expect, it } from 'vitest';
import { commandOf } from '../../bench/cpu-split.js';

describe('commandOf', () => {
  it('reads the command name of a /proc stat line, even with spaces and parentheses in it', () => {
    expect(commandOf('2206 (redis-server) S 1 2206 2206 0 -1 4')).toBe('redis-server');
    expect(commandOf('77 (my (odd) name) R 1 2 3')).toBe('my (odd) name');
  });
});
