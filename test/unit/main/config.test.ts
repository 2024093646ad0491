import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, environment, loadConfig } from '../../../src/main/config.js';

describe('loadConfig', () => {
  it('gives the embedded defaults for an empty environment', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      PORT: 3000,
      DATA_DIR: './data',
      DATABASE_POOL_MAX: 10,
      LOG_LEVEL: 'info',
      IMAGE_FETCH_ALLOW_PRIVATE_NETWORKS: false,
      S3_FORCE_PATH_STYLE: false,
      BODY_LIMIT_BYTES: 1024 * 1024,
    });
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.REDIS_URL).toBeUndefined();
  });

  it('reads set values and treats blank ones as unset', () => {
    const config = loadConfig({
      PORT: '8080',
      DATABASE_URL: 'postgres://app:pw@db:5432/catalog',
      REDIS_URL: '  ',
      IMAGE_FETCH_ALLOW_PRIVATE_NETWORKS: 'true',
      S3_FORCE_PATH_STYLE: '1',
    });
    expect(config.PORT).toBe(8080);
    expect(config.DATABASE_URL).toBe('postgres://app:pw@db:5432/catalog');
    expect(config.REDIS_URL).toBeUndefined();
    expect(config.IMAGE_FETCH_ALLOW_PRIVATE_NETWORKS).toBe(true);
    expect(config.S3_FORCE_PATH_STYLE).toBe(true);
  });

  it('lists every bad value in one error', () => {
    const attempt = () =>
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud', S3_FORCE_PATH_STYLE: 'yes' });
    expect(attempt).toThrow(ConfigError);
    try {
      attempt();
    } catch (error) {
      const problems = (error as ConfigError).problems;
      expect(problems).toHaveLength(4);
      expect(problems.join('\n')).toMatch(/PORT="eighty"/);
      expect(problems.join('\n')).toMatch(/DATABASE_URL="mysql:\/\/x": must be a URL starting with postgres:\/\/ or postgresql:\/\//);
      expect(problems.join('\n')).toMatch(/LOG_LEVEL="loud"/);
      expect(problems.join('\n')).toMatch(/S3_FORCE_PATH_STYLE="yes": must be true or false/);
      expect((error as Error).message).toMatch(/^Invalid configuration:\n  - /);
    }
  });

  it('rejects out-of-range numbers', () => {
    expect(() => loadConfig({ PORT: '70000' })).toThrow(/PORT="70000": must be at most 65535/);
    expect(() => loadConfig({ DATABASE_POOL_MAX: '0' })).toThrow(/must be at least 1/);
    expect(() => loadConfig({ DATABASE_POOL_MAX: '2.5' })).toThrow(/must be a whole number/);
  });
});

describe('API key settings', () => {
  it('has no admin key and public reads by default', () => {
    const defaults = loadConfig({});
    expect(defaults.ADMIN_API_KEY).toBeUndefined();
    expect(defaults.AUTH_PUBLIC_READS).toBe(true);
    expect(loadConfig({ AUTH_PUBLIC_READS: 'false', ADMIN_API_KEY: ` ${'k'.repeat(32)} ` })).toMatchObject({
      ADMIN_API_KEY: 'k'.repeat(32),
      AUTH_PUBLIC_READS: false,
    });
  });

  it('refuses a short admin key or one a Bearer header cannot carry, without echoing it', () => {
    for (const key of ['short-key', `${'k'.repeat(31)} x`]) {
      expect(() => loadConfig({ ADMIN_API_KEY: key })).toThrow(/ADMIN_API_KEY=\[redacted\]: must be 32-256 characters/);
      expect(() => loadConfig({ ADMIN_API_KEY: key })).not.toThrow(new RegExp(key));
    }
  });

  it('takes an events token secret of 32 characters or more, and never echoes a short one', () => {
    expect(loadConfig({}).EVENTS_TOKEN_SECRET).toBeUndefined();
    expect(loadConfig({ EVENTS_TOKEN_SECRET: 's'.repeat(32) }).EVENTS_TOKEN_SECRET).toBe('s'.repeat(32));
    expect(() => loadConfig({ EVENTS_TOKEN_SECRET: 'too-short-secret' })).toThrow(/EVENTS_TOKEN_SECRET=\[redacted\]: must be at least 32 characters/);
    expect(() => loadConfig({ EVENTS_TOKEN_SECRET: 'too-short-secret' })).not.toThrow(/too-short-secret/);
  });
});

describe('pipeline settings', () => {
  it('defaults the image limits and retry delays from the issue', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      IMAGE_MAX_BYTES: 25 * 1024 * 1024,
      IMAGE_FETCH_TIMEOUT_MS: 15_000,
      IMAGE_MAX_PIXELS: 50_000_000,
      IMAGE_MAX_EDGE: 1600,
      IMAGE_FORMAT: 'webp',
      IMAGE_RETRY_DELAYS_MS: [1000, 5000, 30_000, 120_000],
      IMAGE_RENDITION_WIDTHS: [320, 640, 1024, 1600],
      IMAGE_RENDITION_FORMATS: ['webp'],
      WORKER_CONCURRENCY: 2,
    });
  });

  it('parses rendition widths and formats and rejects malformed ones', () => {
    const config = loadConfig({ IMAGE_RENDITION_WIDTHS: '200, 800', IMAGE_RENDITION_FORMATS: 'webp, avif' });
    expect(config).toMatchObject({ IMAGE_RENDITION_WIDTHS: [200, 800], IMAGE_RENDITION_FORMATS: ['webp', 'avif'] });
    expect(() => loadConfig({ IMAGE_RENDITION_WIDTHS: '320px' })).toThrow(/comma-separated widths/);
    expect(() => loadConfig({ IMAGE_RENDITION_WIDTHS: '8' })).toThrow(/16 to 16384 px/);
    expect(() => loadConfig({ IMAGE_RENDITION_WIDTHS: '16,32,48,64,80,96,112,128,144' })).toThrow(/at most 8 widths/);
    expect(() => loadConfig({ IMAGE_RENDITION_FORMATS: 'png' })).toThrow(/webp, avif or both/);
  });

  it('reads IMAGE_TARGET_SSIM as a fraction, empty or 0 meaning fixed quality', () => {
    expect(loadConfig({}).IMAGE_TARGET_SSIM).toBeUndefined();
    expect(loadConfig({ IMAGE_TARGET_SSIM: '' }).IMAGE_TARGET_SSIM).toBeUndefined();
    expect(loadConfig({ IMAGE_TARGET_SSIM: '0' }).IMAGE_TARGET_SSIM).toBeUndefined();
    expect(loadConfig({ IMAGE_TARGET_SSIM: '0.965' }).IMAGE_TARGET_SSIM).toBe(0.965);
    expect(loadConfig({ IMAGE_TARGET_SSIM: '.97' }).IMAGE_TARGET_SSIM).toBe(0.97);
    expect(() => loadConfig({ IMAGE_TARGET_SSIM: '97%' })).toThrow(/a fraction such as 0.965/);
    expect(() => loadConfig({ IMAGE_TARGET_SSIM: '0.2' })).toThrow(/at least 0.5 and below 1/);
  });

  it('reads WORKER_YIELD_DUTY as a fraction above 0 up to 1, and HOST_ID as a plain name', () => {
    expect(loadConfig({}).WORKER_YIELD_DUTY).toBe(0.1);
    expect(loadConfig({ WORKER_YIELD_DUTY: '.25' }).WORKER_YIELD_DUTY).toBe(0.25);
    expect(loadConfig({ WORKER_YIELD_DUTY: '1' }).WORKER_YIELD_DUTY).toBe(1);
    expect(() => loadConfig({ WORKER_YIELD_DUTY: '0' })).toThrow(/WORKER_YIELD_DUTY="0": must be a fraction above 0/);
    expect(() => loadConfig({ WORKER_YIELD_DUTY: '0.0' })).toThrow(/above 0 and at most 1/);
    expect(() => loadConfig({ WORKER_YIELD_DUTY: '1.5' })).toThrow(/WORKER_YIELD_DUTY/);
    expect(loadConfig({}).HOST_ID).toBeUndefined();
    expect(loadConfig({ HOST_ID: 'node-a.eu-west-1' }).HOST_ID).toBe('node-a.eu-west-1');
    expect(() => loadConfig({ HOST_ID: 'node a' })).toThrow(/HOST_ID="node a"/);
  });

  it('parses retry delays and rejects malformed ones', () => {
    expect(loadConfig({ IMAGE_RETRY_DELAYS_MS: '50, 100,200' }).IMAGE_RETRY_DELAYS_MS).toEqual([50, 100, 200]);
    expect(() => loadConfig({ IMAGE_RETRY_DELAYS_MS: '1s,5s' })).toThrow(/comma-separated milliseconds/);
    expect(() => loadConfig({ IMAGE_RETRY_DELAYS_MS: '0' })).toThrow(/1 ms to 24 h/);
    expect(() => loadConfig({ IMAGE_FORMAT: 'gif' })).toThrow(/IMAGE_FORMAT="gif"/);
  });
});

describe('environment', () => {
  const dirs: string[] = [];
  const dirWith = (dotenv?: string) => {
    const dir = mkdtempSync(join(tmpdir(), 'catalog-env-'));
    dirs.push(dir);
    if (dotenv !== undefined) writeFileSync(join(dir, '.env'), dotenv);
    return dir;
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('reads .env in the working directory, and the environment wins over it', () => {
    const dir = dirWith('# the README example\nPORT=4100\nLOG_LEVEL="debug"\nREDIS_PREFIX=from-file\n');
    const env = environment({ REDIS_PREFIX: 'from-env', PATH: '/bin' }, dir);
    expect(env).toMatchObject({ PORT: '4100', LOG_LEVEL: 'debug', REDIS_PREFIX: 'from-env', PATH: '/bin' });
    expect(loadConfig(env)).toMatchObject({ PORT: 4100, LOG_LEVEL: 'debug', REDIS_PREFIX: 'from-env' });
  });

  it('is the environment alone when there is no .env', () => {
    const env = { PORT: '1' };
    expect(environment(env, dirWith())).toBe(env);
  });

  it('says so when .env cannot be read', () => {
    const dir = dirWith();
    mkdirSync(join(dir, '.env'));
    expect(() => environment({}, dir)).toThrow(ConfigError);
    expect(() => environment({}, dir)).toThrow(/\.env: /);
  });
});
