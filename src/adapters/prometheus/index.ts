export * from './prometheus-metrics.js';
