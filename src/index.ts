// The core other services import: domain types and rules, ports and use cases. Adapters live at
// subpaths (`/adapters/postgres`, `/adapters/http`) and the in-memory fakes at `/testing`.
export * from './domain/index.js';
export * from './application/index.js';
