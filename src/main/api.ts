// `npm run start:api`: the HTTP API alone.
import { runProcess } from './run-process.js';

await runProcess(['api']);
