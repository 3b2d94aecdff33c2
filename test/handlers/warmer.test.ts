import { LambdaClient } from '@aws-sdk/client-lambda';
import type { ServerResponse } from 'node:http';
import { isWarmPing, WARM_PING_MARKER, type WarmerInput } from '../../handlers/runtime/contract';
import { withWarmGuard } from '../../handlers/runtime/guard';
import { parseWarmerInput, warm, WarmerInputError, type WarmerSummary } from '../../handlers/warmer/warm';
import { answer, FakeLambda, type Behaviour, type InvokeRequest } from './fake-lambda';

const CONCURRENCY = 3;
const arn = (name: string) => `arn:aws:lambda:us-east-1:123456789012:function:user-service-${name}:live`;

/** The real guard around a handler that must never run for a ping. */
let handlerRuns = 0;
const guarded = withWarmGuard(async () => {
  handlerRuns++;
  return { statusCode: 200, body: 'real work' };
});

/** Holds each request until `CONCURRENCY` of the same function are in flight (or 5 s pass), then lets the guard answer. */
function barrierThenGuard(): Behaviour {
  let waiting: Array<() => void> = [];
  return (req: InvokeRequest, res: ServerResponse, server: FakeLambda) => {
    const name = req.functionName.split(':')[6];
    const release = () => {
      void guarded(JSON.parse(req.body), { getRemainingTimeInMillis: () => 10_000 }).then((reply) => answer(res, reply));
    };
    waiting.push(release);
    if ((server.inFlight.get(name) ?? 0) >= CONCURRENCY) {
      const all = waiting;
      waiting = [];
      all.forEach((r) => r());
    } else {
      setTimeout(() => {
        if (waiting.includes(release)) {
          waiting = waiting.filter((r) => r !== release);
          release();
        }
      }, 5000).unref();
    }
  };
}

const behaviours: Record<string, Behaviour> = {
  'user-service-profile': barrierThenGuard(),
  'user-service-users': barrierThenGuard(),
  'user-service-broken': (_req, res) => answer(res, { errorType: 'Error', errorMessage: 'boom in init' }, 'Unhandled'),
  'user-service-stuck': () => {
    /* never answers: the warmer's deadline must end these pings */
  },
  'user-service-throttled': (_req, res) => {
    res.writeHead(429, { 'content-type': 'application/json', 'x-amzn-errortype': 'TooManyRequestsException' });
    res.end(JSON.stringify({ Type: 'User', message: 'Rate Exceeded.', Reason: 'ReservedFunctionConcurrentInvocationLimitExceeded' }));
  },
};

describe('warmer', () => {
  let server: FakeLambda;
  let client: LambdaClient;

  beforeAll(async () => {
    server = await new FakeLambda(behaviours).start();
    client = new LambdaClient({
      region: 'us-east-1',
      endpoint: server.url,
      credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test-secret' },
      maxAttempts: 1,
    });
  });

  afterAll(async () => {
    client.destroy();
    await server.stop();
  });

  beforeEach(() => {
    server.requests.length = 0;
    server.maxInFlight.clear();
    handlerRuns = 0;
  });

  const input: WarmerInput = {
    concurrency: CONCURRENCY,
    timeoutMs: 1500,
    targets: ['profile', 'broken', 'stuck', 'users', 'throttled'].map((n) => ({ name: n, functionArn: arn(n) })),
  };

  it('GIVEN healthy, failing, hanging and throttled targets WHEN a run warms them THEN every target gets `concurrency` overlapping pings and the summary counts each outcome', async () => {
    const summary = await warm(input, { client, budgetMs: 10_000, run: 'run-1' });

    // every target was pinged `concurrency` times, synchronously, and the healthy ones overlapped
    for (const t of input.targets) {
      const reqs = server.requests.filter((r) => r.functionName === t.functionArn);
      expect(reqs).toHaveLength(CONCURRENCY);
      expect(reqs.every((r) => r.invocationType === 'RequestResponse')).toBe(true);
    }
    expect(server.maxInFlight.get('user-service-profile')).toBe(CONCURRENCY);
    expect(server.maxInFlight.get('user-service-users')).toBe(CONCURRENCY);
    expect(server.maxInFlight.get('user-service-stuck')).toBe(CONCURRENCY);

    const byName = Object.fromEntries(summary.targets.map((t) => [t.name, t]));
    expect(summary.targets.map((t) => t.name)).toEqual(['profile', 'broken', 'stuck', 'users', 'throttled']);
    expect(byName.profile).toMatchObject({ pinged: 3, succeeded: 3, failed: 0, unguarded: 0, environments: 1, errors: [] });
    expect(byName.users).toMatchObject({ pinged: 3, succeeded: 3, failed: 0, unguarded: 0, errors: [] });
    expect(byName.broken).toMatchObject({ pinged: 3, succeeded: 0, failed: 3 });
    expect(byName.broken.errors).toEqual([{ reason: 'function error (Unhandled)', count: 3, example: expect.stringContaining('boom in init') }]);
    expect(byName.stuck).toMatchObject({ pinged: 3, succeeded: 0, failed: 3 });
    expect(byName.stuck.errors).toEqual([expect.objectContaining({ reason: 'timeout', count: 3 })]);
    expect(byName.throttled).toMatchObject({ pinged: 3, succeeded: 0, failed: 3 });
    expect(byName.throttled.errors).toEqual([expect.objectContaining({ reason: 'TooManyRequestsException', count: 3 })]);
    expect(summary).toMatchObject({ msg: 'warmer run', run: 'run-1', concurrency: 3, timeoutMs: 1500, pinged: 15, succeeded: 6, failed: 9 });
    for (const t of summary.targets) expect(typeof t.durationMs).toBe('number');
  });

  it('GIVEN a run WHEN the pings reach a guarded handler THEN the payload is the ping the guard recognises and the handler itself never runs', async () => {
    await warm({ concurrency: CONCURRENCY, targets: [{ name: 'profile', functionArn: arn('profile') }] }, { client, budgetMs: 10_000, run: 'run-2' });
    const bodies = server.requests.map((r) => JSON.parse(r.body));
    expect(bodies).toHaveLength(CONCURRENCY);
    for (const b of bodies) {
      expect(isWarmPing(b)).toBe(true);
      expect(b).toEqual({ source: WARM_PING_MARKER, run: 'run-2', holdMs: expect.any(Number) });
      expect(b.holdMs).toBeGreaterThan(0);
    }
    expect(handlerRuns).toBe(0);
  });

  it('GIVEN concurrency 1 WHEN a run warms a target THEN the ping asks for no hold', async () => {
    await warm({ concurrency: 1, targets: [{ name: 'broken', functionArn: arn('broken') }] }, { client, budgetMs: 10_000 });
    expect(JSON.parse(server.requests[0].body).holdMs).toBe(0);
  });

  it('GIVEN a budget shorter than the input timeout WHEN a target hangs THEN the budget ends the pings', async () => {
    const summary = await warm({ concurrency: 2, timeoutMs: 60_000, targets: [{ name: 'stuck', functionArn: arn('stuck') }] }, { client, budgetMs: 300 });
    expect(summary.timeoutMs).toBe(300);
    expect(summary.targets[0]).toMatchObject({ pinged: 2, failed: 2 });
    expect(summary.targets[0].errors[0].reason).toBe('timeout');
  });

  it('GIVEN the warmer handler module WHEN invoked through its environment THEN it builds its own client, logs one JSON summary and returns it', async () => {
    const saved = { ...process.env };
    Object.assign(process.env, {
      AWS_REGION: 'us-east-1',
      AWS_ENDPOINT_URL_LAMBDA: server.url,
      AWS_ACCESS_KEY_ID: 'AKIDTEST',
      AWS_SECRET_ACCESS_KEY: 'test-secret',
      CACHESTACK_HTTP_MAX_SOCKETS: '1',
    });
    const logs: string[] = [];
    const spy = jest.spyOn(console, 'log').mockImplementation((line: string) => void logs.push(line));
    try {
      let mod!: typeof import('../../handlers/warmer/index');
      jest.isolateModules(() => {
        mod = require('../../handlers/warmer/index');
      });
      const summary: WarmerSummary = await mod.handler(
        { concurrency: CONCURRENCY, targets: [{ name: 'profile', functionArn: arn('profile') }, { name: 'stuck', functionArn: arn('stuck') }] },
        { getRemainingTimeInMillis: () => 1500 },
      );
      // one socket allowed by the environment, yet the pings overlapped: the warmer raised the cap for the run
      expect(server.maxInFlight.get('user-service-profile')).toBe(CONCURRENCY);
      expect(summary.targets[0]).toMatchObject({ name: 'profile', succeeded: 3, failed: 0 });
      expect(summary.targets[1]).toMatchObject({ name: 'stuck', succeeded: 0, failed: 3 });
      expect(summary.timeoutMs).toBeLessThan(1500);
      expect(logs).toHaveLength(1);
      expect(JSON.parse(logs[0])).toEqual(JSON.parse(JSON.stringify(summary)));
    } finally {
      spy.mockRestore();
      for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
      Object.assign(process.env, saved);
    }
  });

  it.each([
    [null, /must be an object/],
    [{ concurrency: 1 }, /needs a `targets` list/],
    [{ concurrency: 0, targets: [] }, /`concurrency` must be a whole number >= 1, got 0/],
    [{ concurrency: 1, targets: [{ name: 'x' }] }, /targets\[0\] must be \{ name, functionArn \}/],
    [{ concurrency: 1, targets: [], timeoutMs: -5 }, /`timeoutMs` must be a positive number/],
  ])('GIVEN the malformed event %j WHEN parsed THEN it is rejected with a message naming the field', (event, message) => {
    expect(() => parseWarmerInput(event)).toThrow(WarmerInputError);
    expect(() => parseWarmerInput(event)).toThrow(message);
  });
});
