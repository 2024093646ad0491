import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ensureWrk, parseWrk, wrkMilliseconds, wrkScript } from '../../bench/wrk.js';

// Captured from wrk 4.1 (Debian) against a local server: the first with a script whose paths
// include one answering 404, the second of one URL.
const WITH_NON_2XX = `Running 2s test @ http://127.0.0.1:3000
  1 threads and 10 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     1.87ms    5.99ms  49.90ms   93.57%
    Req/Sec    34.29k    16.26k   47.16k    80.00%
  Latency Distribution
     50%  220.00us
     75%  313.00us
     90%    3.12ms
     99%   36.18ms
  68203 requests in 2.00s, 8.87MB read
  Non-2xx or 3xx responses: 22450
Requests/sec:  34079.65
Transfer/sec:      4.43MB
`;
const CLEAN = `Running 2s test @ http://127.0.0.1:3000/a
  1 threads and 10 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   301.26us  472.59us   7.55ms   96.08%
    Req/Sec    42.46k     6.16k   48.37k    80.95%
  Latency Distribution
     50%  213.00us
     75%  261.00us
     90%  320.00us
     99%    2.78ms
  88512 requests in 2.10s, 11.31MB read
Requests/sec:  42165.52
Transfer/sec:      5.39MB
`;
// A run whose connections timed out (the line wrk adds then; the rest as above).
const WITH_SOCKET_ERRORS = CLEAN.replace('Requests/sec:', '  Socket errors: connect 0, read 2, write 1, timeout 7\nRequests/sec:');

describe('parseWrk', () => {
  it('reads the request count, the rate and the latency percentiles in milliseconds', () => {
    expect(parseWrk(CLEAN)).toEqual({
      requests: 88_512,
      seconds: 2.1,
      rps: 42_165.52,
      latencyMs: { p50: 0.213, p75: 0.261, p90: 0.32, p99: 2.78 },
      non2xx: 0,
      socketErrors: 0,
    });
  });

  it('counts the answers outside 2xx/3xx and every kind of socket error', () => {
    expect(parseWrk(WITH_NON_2XX)).toMatchObject({ requests: 68_203, non2xx: 22_450, latencyMs: { p90: 3.12, p99: 36.18 } });
    expect(parseWrk(WITH_SOCKET_ERRORS).socketErrors).toBe(10);
  });

  it('refuses output without the figures, naming the one missing', () => {
    expect(() => parseWrk('unable to connect to 127.0.0.1:1 Connection refused')).toThrow(/request count/);
    expect(() => parseWrk(CLEAN.replace(/Latency Distribution[\s\S]*?99%.*\n/, ''))).toThrow(/50% latency/);
  });

  it('converts every duration unit wrk prints', () => {
    expect([wrkMilliseconds('812.00us'), wrkMilliseconds('1.25ms'), wrkMilliseconds('2.00s'), wrkMilliseconds('1.50m')]).toEqual([0.812, 1.25, 2000, 90_000]);
    expect(() => wrkMilliseconds('fast')).toThrow(/not a wrk duration/);
  });
});

describe('wrkScript', () => {
  it('sets the headers and picks among the paths, quoted for Lua', () => {
    const script = wrkScript(['/products/1', '/products?name="a"'], { Authorization: 'Bearer k' });
    expect(script).toContain('wrk.headers["Authorization"] = "Bearer k"');
    expect(script).toContain('  "/products?name=\\"a\\"",');
    expect(script).toContain('request = function() return requests[math.random(#requests)] end');
    expect(() => wrkScript([])).toThrow(/at least one path/);
  });

  it('is a script wrk accepts: a run against a closed port fails on connecting, not on the script', () => {
    const wrk = ensureWrk();
    let output = '';
    try {
      output = execFileSync(wrk, ['-t1', '-c1', '-d1s', '-s', '/dev/stdin', 'http://127.0.0.1:9/'], { input: wrkScript(['/a']), encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
    } catch (error) {
      output = String((error as { stdout?: string }).stdout) + String((error as { stderr?: string }).stderr);
    }
    expect(output).not.toMatch(/script|lua|PANIC/i);
    expect(output).toMatch(/requests in|unable to connect|connect/);
  });
});
