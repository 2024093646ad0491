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

/** Every setting the service reads, with defaults; `.env.example` documents each. */
const schema = z.object({
  PORT: int(3000, 0, 65_535),
  HOST: z.string().trim().min(1).default('0.0.0.0'),
  DATA_DIR: z.string().trim().min(1).default('./data'),
  DATABASE_URL: url('postgres:', 'postgresql:'),
  DATABASE_POOL_MAX: int(10, 1, 1000),
  REDIS_URL: url('redis:', 'rediss:'),
  AMQP_URL: url('amqp:', 'amqps:'),
  S3_BUCKET: z.string().trim().min(3).max(63).optional(),
  S3_ENDPOINT: url('http:', 'https:'),
  S3_REGION: z.string().trim().min(1).default('us-east-1'),
  S3_FORCE_PATH_STYLE: flag(false),
  PUBLIC_BASE_URL: url('http:', 'https:'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  IMAGE_FETCH_ALLOW_PRIVATE_NETWORKS: flag(false),
  BODY_LIMIT_BYTES: int(1024 * 1024, 1024, 64 * 1024 * 1024),
  SHUTDOWN_TIMEOUT_MS: int(10_000, 0, 600_000),
});

export type Config = z.infer<typeof schema>;

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
      return `${key}=${JSON.stringify(present[key] ?? '')}: ${issue.message}`;
    }),
  );
}
