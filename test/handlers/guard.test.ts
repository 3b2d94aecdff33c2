import { WARM_PING_MARKER } from '../../handlers/runtime/contract';
import { isWarmPingReply, requestedHoldMs, warmPing } from '../../handlers/runtime/ping';

type GuardModule = typeof import('../../handlers/runtime/guard');
/** A fresh guard module: its invocation counter starts at 0, as in a new container. */
const freshGuard = (): GuardModule => {
  let mod!: GuardModule;
  jest.isolateModules(() => {
    mod = require('../../handlers/runtime/guard');
  });
  return mod;
};

describe('warm guard', () => {
  afterEach(() => jest.useRealTimers());

  it('GIVEN a guarded handler WHEN a warm ping arrives THEN the guard answers and the handler never runs', async () => {
    const { withWarmGuard, INSTANCE_ID } = freshGuard();
    const inner = jest.fn(async (e: { path: string }) => `handled ${e.path}`);
    const handler = withWarmGuard(inner);
    const reply = await handler(warmPing('r1', 0), {});
    expect(isWarmPingReply(reply)).toBe(true);
    expect(reply).toMatchObject({ source: WARM_PING_MARKER, warm: true, instance: INSTANCE_ID, cold: true });
    expect(inner).not.toHaveBeenCalled();
    await expect(handler({ path: '/x' }, {})).resolves.toBe('handled /x');
    expect(inner).toHaveBeenCalledTimes(1);
    const again = await handler(warmPing('r2', 0), {});
    expect(again).toMatchObject({ cold: false, instance: INSTANCE_ID });
  });

  it('GIVEN events that only look alike WHEN handled THEN they reach the handler', async () => {
    const { withWarmGuard } = freshGuard();
    const handler = withWarmGuard(async (e: unknown) => e);
    for (const e of [{ source: 'aws.events' }, { warmer: true }, null, 'cachestack:warm-ping']) {
      await expect(handler(e, {})).resolves.toBe(e);
    }
  });

  it('GIVEN a ping asking for a hold WHEN answered THEN it waits exactly that long (fake clock)', async () => {
    jest.useFakeTimers();
    const { withWarmGuard } = freshGuard();
    const handler = withWarmGuard(async () => 'x');
    let done = false;
    const p = handler(warmPing('r', 200), { getRemainingTimeInMillis: () => 10_000 }).then(() => (done = true));
    await jest.advanceTimersByTimeAsync(199);
    expect(done).toBe(false);
    await jest.advanceTimersByTimeAsync(1);
    await p;
    expect(done).toBe(true);
  });

  it.each([
    ['maxHoldMs (default 250)', 5000, 10_000, {}, 250],
    ['an explicit maxHoldMs', 5000, 10_000, { maxHoldMs: 40 }, 40],
    ['the remaining time less 100 ms', 5000, 160, {}, 60],
  ])('GIVEN a long hold WHEN bounded by %s THEN the ping is answered at that bound (fake clock)', async (_label, hold, remaining, options, bound) => {
    jest.useFakeTimers();
    const { withWarmGuard } = freshGuard();
    const handler = withWarmGuard(async () => 'x', options);
    let done = false;
    const p = handler(warmPing('r', hold), { getRemainingTimeInMillis: () => remaining }).then(() => (done = true));
    await jest.advanceTimersByTimeAsync(bound - 1);
    expect(done).toBe(false);
    await jest.advanceTimersByTimeAsync(1);
    await p;
    expect(done).toBe(true);
  });

  it('GIVEN a prime function WHEN pinged THEN it runs, and a failing prime still lets the ping be answered', async () => {
    const { withWarmGuard } = freshGuard();
    const prime = jest.fn(async () => undefined);
    await withWarmGuard(async () => 'x', { prime })(warmPing('r', 0), {});
    expect(prime).toHaveBeenCalledTimes(1);

    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      const reply = await withWarmGuard(async () => 'x', { prime: () => Promise.reject(new Error('no route to redis')) })(warmPing('r', 0), {});
      expect(isWarmPingReply(reply)).toBe(true);
      expect(JSON.parse(warn.mock.calls[0][0] as string)).toMatchObject({ level: 'warn', msg: 'warm ping: prime failed', error: 'no route to redis' });
    } finally {
      warn.mockRestore();
    }
  });

  it('GIVEN a prime that never settles WHEN pinged THEN the ping is answered when the invocation budget runs out (fake clock)', async () => {
    jest.useFakeTimers();
    const { withWarmGuard } = freshGuard();
    const handler = withWarmGuard(async () => 'x', { prime: () => new Promise(() => undefined) });
    let done = false;
    const p = handler(warmPing('r', 0), { getRemainingTimeInMillis: () => 1100 }).then(() => (done = true));
    await jest.advanceTimersByTimeAsync(999);
    expect(done).toBe(false);
    await jest.advanceTimersByTimeAsync(1);
    await p;
    expect(done).toBe(true);
  });

  it.each([
    [{ source: WARM_PING_MARKER }, 0],
    [{ source: WARM_PING_MARKER, holdMs: -5 }, 0],
    [{ source: WARM_PING_MARKER, holdMs: 'soon' }, 0],
    [{ source: WARM_PING_MARKER, holdMs: 80.7 }, 80],
    [{ source: WARM_PING_MARKER, holdMs: 99_999 }, 1000],
  ])('GIVEN the ping %j WHEN its hold is read THEN it is %d ms', (ping, hold) => {
    expect(requestedHoldMs(ping as never)).toBe(hold);
  });
});
