import { InProcessApiLoad } from '../../../src/adapters/in-process/index.js';
import { apiLoadContract } from '../../contracts/api-load.contract.js';

apiLoadContract('in-process', async () => {
  let clock = 1_000_000;
  const load = new InProcessApiLoad({ now: () => clock });
  return {
    load,
    passTime: async (ms) => {
      clock += ms;
    },
    close: () => load.close(),
  };
});
