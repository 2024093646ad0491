// `npm run start:worker`: the image worker and the outbox relay, without the HTTP API.
import { runProcess } from './run-process.js';

await runProcess(['worker']);
