import { expect, it } from 'vitest';
import { InProcessRateLimiter } from '../../../src/adapters/in-process/index.js';
import { rateLimiterContract } from '../../contracts/rate-limiter.contract.js';

rateLimiterContract('in-process', async () => {
  let clock = 1_000_000;
  const limiter = new InProcessRateLimiter({ now: () => clock });
  return {
    limiter,
    passTime: async (ms) => {
      clock += ms;
    },
    close: () => limiter.close(),
  };
});

it('sweeps ended windows once it holds many counters', async () => {
  let clock = 0;
  const limiter = new InProcessRateLimiter({ now: () => clock });
  for (let i = 0; i < 10_000; i += 1) await limiter.hit(`k${i}`, 10);
  clock += 20;
  expect((await limiter.hit('k0', 10)).count).toBe(1);
  expect((await limiter.hit('fresh', 10)).count).toBe(1);
});
