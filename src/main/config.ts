import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { z } from 'zod';

const flag = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0'], { error: 'must be true or false' })
    .default(fallback ? 'true' : 'false')
    .transform((value) => value === 'true' || value === '1');

const int = (fallback: number, min: number, max: number) =>
  z.coerce
    .number({ error: 'must be a whole number' })
    .int('must be a whole number')
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`)
    .default(fallback);

const url = (...protocols: string[]) =>
  z
    .string()
    .trim()
    .refine((value) => {
      try {
        return protocols.includes(new URL(value).protocol);
      } catch {
        return false;
      }
    }, `must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}`)
    .optional();

const delays = z
  .string()
  .trim()
  .regex(/^\d+(\s*,\s*\d+)*$/, 'must be comma-separated milliseconds, e.g. 1000,5000,30000,120000')
  .transform((text) => text.split(',').map((part) => Number(part.trim())))
  .refine((list) => list.every((ms) => ms >= 1 && ms <= 86_400_000), 'each delay must be 1 ms to 24 h');

const widths = z
  .string()
  .trim()
  .regex(/^\d+(\s*,\s*\d+)*$/, 'must be comma-separated widths in pixels, e.g. 320,640,1024,1600')
  .transform((text) => text.split(',').map((part) => Number(part.trim())))
  .refine((list) => list.every((width) => width >= 16 && width <= 16_384), 'each width must be 16 to 16384 px')
  .refine((list) => list.length <= 8, 'at most 8 widths');

const renditionFormats = z
  .string()
  .trim()
  .regex(/^(webp|avif)(\s*,\s*(webp|avif))*$/, 'must be webp, avif or both, comma-separated')
  .transform((text) => text.split(',').map((part) => part.trim() as 'webp' | 'avif'));

// Empty or 0: fixed quality; otherwise the SSIM each rendition is encoded to reach.
const targetSsim = z
  .string()
  .trim()
  .regex(/^(0|0?\.\d+)?$/, 'must be empty, 0, or a fraction such as 0.965')
  .optional()
  .transform((text) => (!text || Number(text) === 0 ? undefined : Number(text)))
  .refine((value) => value === undefined || (value >= 0.5 && value < 1), 'must be at least 0.5 and below 1');

const duty = z
  .string()
  .trim()
  .regex(/^(1|1\.0*|0?\.\d+)$/, 'must be a fraction above 0, such as 0.1, or 1')
  .default('0.1')
  .transform(Number)
  .refine((value) => value > 0 && value <= 1, 'must be above 0 and at most 1');

/** Every setting the service reads, with defaults; `.env.example` documents each. */
const schema = z.object({
  PORT: int(3000, 0, 65_535),
  // A worker-only process serves /healthz, /readyz and /metrics here.
  WORKER_PORT: int(3001, 0, 65_535),
  // A scrape leaves out a source (broker, database) that has not answered by then.
  METRICS_SOURCE_TIMEOUT_MS: int(1000, 10, 30_000),
  HOST: z.string().trim().min(1).default('0.0.0.0'),
  DATA_DIR: z.string().trim().min(1).default('./data'),
  DATABASE_URL: url('postgres:', 'postgresql:'),
  DATABASE_POOL_MAX: int(10, 1, 1000),
  // One server (redis://, rediss://) or a Redis Cluster by its seed nodes (redis-cluster://h:p,h:p).
  REDIS_URL: z.union([z.string().trim().regex(/^redis-cluster:\/\/([^@/]+@)?[^,/@]+:\d+(,[^,/@]+:\d+)*\/?$/), url('redis:', 'rediss:')], {
    error: 'must be redis://host:port, rediss://host:port or redis-cluster://host:port,host:port',
  }).optional(),
  REDIS_PREFIX: z.string().trim().regex(/^[A-Za-z0-9_.:-]{1,64}$/, 'must be 1-64 letters, digits or . _ : -').default('catalog'),
  REDIS_COMMAND_TIMEOUT_MS: int(50, 1, 10_000),
  CACHE_ENABLED: flag(true),
  CACHE_TTL_MS: int(600_000, 1000, 86_400_000),
  CACHE_ABSENT_TTL_MS: int(30_000, 100, 3_600_000),
  CACHE_LIST_TTL_MS: int(60_000, 1000, 86_400_000),
  CACHE_LOCAL_MAX_BYTES: int(64 * 1024 * 1024, 0, 4 * 1024 * 1024 * 1024),
  AMQP_URL: url('amqp:', 'amqps:'),
  AMQP_PREFIX: z.string().trim().regex(/^[a-z][a-z0-9_.-]{0,62}$/, 'must be lower-case letters, digits, . _ or -').default('catalog'),
  S3_BUCKET: z.string().trim().min(3).max(63).optional(),
  S3_ENDPOINT: url('http:', 'https:'),
  S3_REGION: z.string().trim().min(1).default('us-east-1'),
  S3_FORCE_PATH_STYLE: flag(false),
  S3_PUBLIC_URL: url('http:', 'https:'),
  S3_ACCESS_KEY_ID: z.string().trim().min(1).optional(),
  S3_SECRET_ACCESS_KEY: z.string().trim().min(1).optional(),
  PUBLIC_BASE_URL: url('http:', 'https:'),
  // Traces go to this OTLP/HTTP collector (…/v1/traces); unset, nothing is traced.
  OTEL_EXPORTER_OTLP_ENDPOINT: url('http:', 'https:'),
  OTEL_SERVICE_NAME: z.string().trim().min(1).default('product-catalog'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  IMAGE_FETCH_ALLOW_PRIVATE_NETWORKS: flag(false),
  IMAGE_FETCH_TIMEOUT_MS: int(15_000, 100, 600_000),
  WEBHOOK_ALLOW_PRIVATE_NETWORKS: flag(false),
  WEBHOOK_TIMEOUT_MS: int(5_000, 100, 60_000),
  // Deliveries to one endpoint in flight at once per worker; more wait their turn in the queue. 0: no cap.
  WEBHOOK_MAX_IN_FLIGHT_PER_ENDPOINT: int(2, 0, 1024),
  // How long a delivery to an endpoint at its cap waits for a slot before it is deferred. 0: at once.
  WEBHOOK_SLOT_WAIT_MS: int(250, 0, 60_000),
  IMAGE_MAX_BYTES: int(25 * 1024 * 1024, 1024, 512 * 1024 * 1024),
  IMAGE_MAX_PIXELS: int(50_000_000, 1, 1_000_000_000),
  IMAGE_MAX_EDGE: int(1600, 16, 16_384),
  IMAGE_FORMAT: z.enum(['webp', 'avif', 'jpeg']).default('webp'),
  IMAGE_ALLOW_SVG: flag(false),
  IMAGE_RENDITION_WIDTHS: widths.default([320, 640, 1024, 1600]),
  IMAGE_RENDITION_FORMATS: renditionFormats.default(['webp']),
  // The orphan sweep's grace period: far above a job's put-to-commit window and the 5 min lease.
  IMAGE_TARGET_SSIM: targetSsim,
  IMAGE_DEDUPE: flag(true),
  GC_GRACE_MS: int(24 * 3_600_000, 60_000, 365 * 24 * 3_600_000),
  // A worker's periodic orphan sweep: the pause between sweeps; 0 (the default) runs none.
  GC_INTERVAL_MS: int(0, 0, 30 * 24 * 3_600_000),
  IMAGE_RETRY_DELAYS_MS: delays.default([1000, 5000, 30_000, 120_000]),
  WORKER_CONCURRENCY: int(2, 1, 64),
  // Deliveries a worker holds at once; more than WORKER_CONCURRENCY so I/O overlaps compression. 0: 4 × WORKER_CONCURRENCY.
  WORKER_PREFETCH: int(0, 0, 1024),
  // Source and output bytes a worker's jobs hold at once; a download reserves IMAGE_MAX_BYTES until its size is known.
  WORKER_MAX_BYTES_IN_FLIGHT: int(96 * 1024 * 1024, 1024 * 1024, 8 * 1024 * 1024 * 1024),
  // The worker's CPU priority (nice, 0-19): compression yields to the API on a shared host.
  WORKER_NICE: int(10, 0, 19),
  // The share of the time a worker works while an API on its host (same HOST_ID) is saturated; 1: it never yields.
  WORKER_YIELD_DUTY: duty,
  // Which processes share cores: an API and a worker with the same id (default: the machine's hostname).
  HOST_ID: z.string().trim().regex(/^[A-Za-z0-9_.:-]{1,128}$/, 'must be 1-128 letters, digits or . _ : -').optional(),
  OUTBOX_POLL_INTERVAL_MS: int(1000, 10, 60_000),
  BODY_LIMIT_BYTES: int(1024 * 1024, 1024, 64 * 1024 * 1024),
  SHUTDOWN_TIMEOUT_MS: int(10_000, 100, 600_000),
  UPLOAD_CONCURRENCY: int(4, 1, 256),
  LIST_MAX_BYTES: int(1024 * 1024, 16 * 1024, 64 * 1024 * 1024),
  HTTP_HEADERS_TIMEOUT_MS: int(10_000, 100, 600_000),
  HTTP_REQUEST_TIMEOUT_MS: int(120_000, 1000, 3_600_000),
  HTTP_KEEP_ALIVE_TIMEOUT_MS: int(5_000, 100, 600_000),
  HTTP_MAX_CONNECTIONS: int(1024, 1, 1_000_000),
  // A bearer token68 (RFC 6750), long enough to be a secret: 32 characters at least.
  ADMIN_API_KEY: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9\-._~+/]{32,256}=*$/, 'must be 32-256 characters of A-Z a-z 0-9 - . _ ~ + /')
    .optional(),
  // Signs the event stream's browser tokens; unset, each API process draws its own.
  EVENTS_TOKEN_SECRET: z.string().trim().min(32, 'must be at least 32 characters').optional(),
  AUTH_PUBLIC_READS: flag(true),
  RATE_LIMIT_ENABLED: flag(true),
  RATE_LIMIT_WINDOW_MS: int(60_000, 1000, 3_600_000),
  RATE_LIMIT_WRITES: int(120, 1, 10_000_000),
  RATE_LIMIT_READS: int(600, 1, 10_000_000),
});

export type Config = z.infer<typeof schema>;

/** Settings whose values must never reach a log line. */
export const SECRET_SETTINGS = ['S3_SECRET_ACCESS_KEY', 'ADMIN_API_KEY', 'EVENTS_TOKEN_SECRET'] as const;

/** Thrown when the environment holds bad values; the message lists every problem, one a line. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Reads the settings once from `env`; blank values count as unset. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const present = Object.fromEntries(
    Object.keys(schema.shape).flatMap((key) => {
      const value = env[key];
      return value === undefined || value.trim() === '' ? [] : [[key, value]];
    }),
  );
  const parsed = schema.safeParse(present);
  if (parsed.success) return parsed.data;
  throw new ConfigError(
    parsed.error.issues.map((issue) => {
      const key = String(issue.path[0]);
      // A secret's value stays out of the message, which reaches the terminal and the logs.
      const shown = (SECRET_SETTINGS as readonly string[]).includes(key) ? '[redacted]' : JSON.stringify(present[key] ?? '');
      return `${key}=${shown}: ${issue.message}`;
    }),
  );
}

/**
 * The variables a process starts with: `.env` in `cwd` when there is one, under the environment
 * (a variable set in the environment wins, as with dotenv and Node's --env-file).
 */
export function environment(env: Record<string, string | undefined>, cwd: string): Record<string, string | undefined> {
  let text: string;
  try {
    text = readFileSync(join(cwd, '.env'), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return env;
    throw new ConfigError([`.env: ${(error as Error).message}`]);
  }
  return { ...parseEnv(text), ...env };
}

/** The configuration of this process: its environment over `.env` in the working directory. */
export const readConfig = (): Config => loadConfig(environment(process.env, process.cwd()));
