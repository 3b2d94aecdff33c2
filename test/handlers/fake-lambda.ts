/**
 * A loopback HTTP server that speaks the part of the Lambda Invoke API the warmer
 * uses: POST /2015-03-31/functions/{name}/invocations. Behaviour per function name
 * is set by the test; the server records every request and how many overlapped.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface InvokeRequest {
  functionName: string;
  invocationType: string | undefined;
  body: string;
}

export type Behaviour = (req: InvokeRequest, res: ServerResponse, server: FakeLambda) => void;

export class FakeLambda {
  readonly requests: InvokeRequest[] = [];
  readonly inFlight = new Map<string, number>();
  readonly maxInFlight = new Map<string, number>();
  acceptedSockets = 0;
  private readonly sockets = new Set<Socket>();
  private readonly pending = new Set<ServerResponse>();
  private server!: Server;
  url = '';

  constructor(private readonly behaviours: Record<string, Behaviour>) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => this.onRequest(req, res));
    this.server.on('connection', (s: Socket) => {
      this.acceptedSockets++;
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private onRequest(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const m = /^\/2015-03-31\/functions\/([^/]+)\/invocations/.exec(req.url ?? '');
      if (req.method !== 'POST' || !m) {
        res.writeHead(404, { 'content-type': 'application/json', 'x-amzn-errortype': 'UnknownOperationException' });
        res.end('{"message":"unknown operation"}');
        return;
      }
      const fn = decodeURIComponent(m[1]);
      const name = fn.split(':').length >= 7 ? fn.split(':')[6] : fn;
      const invocation: InvokeRequest = { functionName: fn, invocationType: req.headers['x-amz-invocation-type'] as string | undefined, body: Buffer.concat(chunks).toString('utf8') };
      this.requests.push(invocation);
      const now = (this.inFlight.get(name) ?? 0) + 1;
      this.inFlight.set(name, now);
      this.maxInFlight.set(name, Math.max(now, this.maxInFlight.get(name) ?? 0));
      this.pending.add(res);
      res.on('close', () => {
        this.pending.delete(res);
        this.inFlight.set(name, (this.inFlight.get(name) ?? 1) - 1);
      });
      const behaviour = this.behaviours[name];
      if (!behaviour) {
        res.writeHead(404, { 'content-type': 'application/json', 'x-amzn-errortype': 'ResourceNotFoundException' });
        res.end(JSON.stringify({ Type: 'User', message: `Function not found: ${fn}` }));
        return;
      }
      behaviour(invocation, res, this);
    });
  }
}

/** Answer with a 200 and a JSON payload, as Invoke does for RequestResponse. */
export function answer(res: ServerResponse, payload: unknown, functionError?: string): void {
  const headers: Record<string, string> = { 'content-type': 'application/json', 'x-amz-executed-version': '1' };
  if (functionError) headers['x-amz-function-error'] = functionError;
  res.writeHead(200, headers);
  res.end(JSON.stringify(payload));
}
