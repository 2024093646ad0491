export * from './fs-object-store.js';
export { InvalidObjectKeyError } from './object-key.js';
