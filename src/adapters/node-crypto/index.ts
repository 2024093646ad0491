export * from './node-key-crypto.js';
