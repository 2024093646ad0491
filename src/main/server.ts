// `npm start`: the API and the image worker in one process.
import { runProcess } from './run-process.js';

await runProcess(['api', 'worker']);
