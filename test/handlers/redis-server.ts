/**
 * A real redis-server for the tests, on a free loopback port, without
 * persistence. Fails (never skips) when redis-server is not installed.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { connect, createServer, type AddressInfo } from 'node:net';

export async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const { port } = srv.address() as AddressInfo;
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return port;
}

/** Send one inline command and return the first reply line. */
export function rawCommand(port: number, command: string, timeoutMs = 1000): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1');
    const timer = setTimeout(() => {
      s.destroy();
      reject(new Error(`no reply to ${command} within ${timeoutMs} ms`));
    }, timeoutMs);
    let buf = '';
    s.on('connect', () => s.write(`${command}\r\n`));
    s.on('data', (d) => {
      buf += d.toString();
      if (buf.includes('\r\n')) {
        clearTimeout(timer);
        s.end();
        resolve(buf.split('\r\n')[0]);
      }
    });
    s.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

export class RedisServer {
  private proc?: ChildProcess;
  private constructor(readonly port: number, private readonly extraArgs: string[]) {}

  /** Start a server (on `port`, or a free one) and wait until it answers PING. */
  static async start(options: { port?: number; args?: string[] } = {}): Promise<RedisServer> {
    const which = spawnSync('redis-server', ['--version'], { encoding: 'utf8' });
    if (which.error) {
      throw new Error(`redis-server is not installed (${which.error.message}); the cache-aside tests need a real one: apt-get install redis-server`);
    }
    const server = new RedisServer(options.port ?? (await freePort()), options.args ?? []);
    await server.boot();
    return server;
  }

  private async boot(): Promise<void> {
    const args = ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--protected-mode', 'no', ...this.extraArgs];
    const proc = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    proc.stdout!.on('data', (d) => (output += d));
    proc.stderr!.on('data', (d) => (output += d));
    this.proc = proc;
    const auth = this.extraArgs.includes('--requirepass');
    for (let i = 0; i < 100; i++) {
      if (proc.exitCode !== null) throw new Error(`redis-server exited with ${proc.exitCode}: ${output.slice(-500)}`);
      try {
        const reply = await rawCommand(this.port, 'PING', 200);
        if (reply === '+PONG' || (auth && reply.startsWith('-NOAUTH'))) return;
      } catch {
        /* not up yet */
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    proc.kill('SIGKILL');
    throw new Error(`redis-server on port ${this.port} did not answer PING within 5 s: ${output.slice(-500)}`);
  }

  /** Kill the server at once (SIGKILL), as a crash would. */
  async kill(): Promise<void> {
    await this.signal('SIGKILL');
  }

  async stop(): Promise<void> {
    await this.signal('SIGTERM');
  }

  /** Start it again on the same port. */
  async restart(): Promise<void> {
    await this.boot();
  }

  private async signal(sig: NodeJS.Signals): Promise<void> {
    const proc = this.proc;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    proc.kill(sig);
    await exited;
  }
}
