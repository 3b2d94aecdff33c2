import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { spawn, type ChildProcess } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { createInterface } from 'node:readline';
import { sdkClientConfig, type SdkSettings } from '../../handlers/runtime/sdk';
import { decodeHandlerEnvironment, ENV } from '../../handlers/runtime/contract';
import { answer, FakeLambda } from './fake-lambda';

const credentials = { accessKeyId: 'AKIDTEST', secretAccessKey: 'test-secret' };
const settings = (over: Partial<SdkSettings['http']> = {}, retries: SdkSettings['retries'] = { maxAttempts: 1, mode: 'standard' }): SdkSettings => ({
  http: { keepAlive: true, maxSockets: 50, connectTimeoutMs: 3000, requestTimeoutMs: 5000, ...over },
  retries,
});
const invoke = (name: string) => new InvokeCommand({ FunctionName: name, Payload: Buffer.from('{}') });

describe('sdk client settings', () => {
  let server: FakeLambda;
  beforeAll(async () => {
    server = await new FakeLambda({
      fast: (_req, res) => answer(res, { ok: true }),
      stuck: () => {
        /* never answers */
      },
      broken: (_req, res) => {
        res.writeHead(500, { 'content-type': 'application/json', 'x-amzn-errortype': 'ServiceException' });
        res.end(JSON.stringify({ Type: 'Service', message: 'internal failure' }));
      },
    }).start();
  });
  afterAll(() => server.stop());
  beforeEach(() => {
    server.requests.length = 0;
    server.acceptedSockets = 0;
  });

  const client = (s: SdkSettings, endpoint = server.url) => new LambdaClient({ ...sdkClientConfig(s), region: 'us-east-1', endpoint, credentials });

  it('GIVEN keep-alive settings WHEN a real SDK client makes 100 sequential calls THEN they share one connection', async () => {
    const c = client(settings());
    for (let i = 0; i < 100; i++) await c.send(invoke('fast'));
    c.destroy();
    expect(server.requests).toHaveLength(100);
    expect(server.acceptedSockets).toBe(1);
  });

  it('GIVEN keep-alive turned off WHEN a real SDK client makes 100 sequential calls THEN each opens its own connection', async () => {
    const c = client(settings({ keepAlive: false }));
    for (let i = 0; i < 100; i++) await c.send(invoke('fast'));
    c.destroy();
    expect(server.acceptedSockets).toBe(100);
  });

  it('GIVEN maxSockets 2 WHEN 10 calls run at once THEN at most 2 connections are opened', async () => {
    const c = client(settings({ maxSockets: 2 }));
    await Promise.all(Array.from({ length: 10 }, () => c.send(invoke('fast'))));
    c.destroy();
    expect(server.requests).toHaveLength(10);
    expect(server.acceptedSockets).toBe(2);
  });

  it('GIVEN a request timeout WHEN the server never answers THEN the call fails with a TimeoutError', async () => {
    const c = client(settings({ requestTimeoutMs: 300 }));
    await expect(c.send(invoke('stuck'))).rejects.toMatchObject({ name: 'TimeoutError' });
    c.destroy();
    expect(server.requests).toHaveLength(1);
  });

  it('GIVEN a request timeout and 3 attempts WHEN the server never answers THEN the timed-out call is retried up to 3 attempts', async () => {
    const c = client(settings({ requestTimeoutMs: 200 }, { maxAttempts: 3, mode: 'standard' }));
    await expect(c.send(invoke('stuck'))).rejects.toMatchObject({ name: 'TimeoutError' });
    c.destroy();
    expect(server.requests).toHaveLength(3);
  });

  it.each(['standard', 'adaptive'] as const)('GIVEN retry mode %s with 2 attempts WHEN the service fails THEN the client uses that strategy and tries twice', async (mode) => {
    const c = client(settings({}, { maxAttempts: 2, mode }));
    expect(((await c.config.retryStrategy()) as { mode?: string }).mode).toBe(mode);
    await expect(c.send(invoke('broken'))).rejects.toMatchObject({ name: 'ServiceException' });
    c.destroy();
    expect(server.requests).toHaveLength(2);
  });

  describe('connect timeout', () => {
    // A listening socket that never accepts, with its accept queue filled: the
    // kernel then drops new SYNs, so a connect to it hangs (on loopback only).
    let py: ChildProcess;
    let port = 0;
    const fillers: Socket[] = [];
    beforeAll(async () => {
      py = spawn('python3', ['-c', [
        'import socket, sys, time',
        's = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(0)',
        'print(s.getsockname()[1], flush=True)',
        'sys.stdin.read()',
      ].join('\n')], { stdio: ['pipe', 'pipe', 'inherit'] });
      const line = await new Promise<string>((resolve, reject) => {
        py.once('error', (err) => reject(new Error(`the connect-timeout test needs python3 (to hold a socket that never accepts): ${err.message}`)));
        createInterface({ input: py.stdout! }).once('line', resolve);
      });
      port = Number(line);
      for (let i = 0; i < 4; i++) {
        const s = connect(port, '127.0.0.1');
        s.on('error', () => undefined);
        fillers.push(s);
      }
      await new Promise((r) => setTimeout(r, 200));
    });
    afterAll(() => {
      fillers.forEach((s) => s.destroy());
      py.stdin?.end();
      py.kill();
    });

    it('GIVEN a connect timeout WHEN the endpoint never completes the connection THEN the call fails with a TimeoutError about the connection', async () => {
      const c = client(settings({ connectTimeoutMs: 300, requestTimeoutMs: 0 }), `http://127.0.0.1:${port}`);
      await expect(c.send(invoke('fast'))).rejects.toMatchObject({ name: 'TimeoutError', message: expect.stringMatching(/connection/i) });
      c.destroy();
    });
  });

  it('GIVEN the environment synthesis writes WHEN decoded THEN sdkClientConfig carries its values', () => {
    const s = decodeHandlerEnvironment({
      [ENV.httpKeepAlive]: 'true', [ENV.httpMaxSockets]: '7', [ENV.httpConnectTimeoutMs]: '1234',
      [ENV.httpRequestTimeoutMs]: '5678', [ENV.retryMaxAttempts]: '4', [ENV.retryMode]: 'adaptive',
    });
    const cfg = sdkClientConfig(s);
    expect(cfg).toMatchObject({ maxAttempts: 4, retryMode: 'adaptive', requestHandler: { connectionTimeout: 1234, requestTimeout: 5678, throwOnRequestTimeout: true } });
    expect(cfg.requestHandler.httpsAgent.maxSockets).toBe(7);
    expect(cfg.requestHandler.httpAgent.maxSockets).toBe(7);
  });
});
