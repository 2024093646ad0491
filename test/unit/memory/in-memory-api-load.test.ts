import { InMemoryApiLoad } from '../../../src/adapters/memory/index.js';
import { apiLoadContract } from '../../contracts/api-load.contract.js';

apiLoadContract('in-memory', async () => {
  let clock = 1_000_000;
  const load = new InMemoryApiLoad({ now: () => clock });
  return {
    load,
    passTime: async (ms) => {
      clock += ms;
    },
    close: () => load.close(),
  };
});
