export * from './sharp-compressor-settings.js';
export * from './sharp-image-compressor.js';
export { lumaFlatness, lumaSsim } from './luma-ssim.js';
