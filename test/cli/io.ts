/** An in-memory `Io` for running the CLI in-process. */
import type { Io } from '../../src/cli/io';

export interface CapturedIo extends Io {
  out: string;
  err: string;
}

export function captureIo(cwd: string, options: { env?: Record<string, string>; isTTY?: boolean } = {}): CapturedIo {
  const io: CapturedIo = {
    out: '',
    err: '',
    stdout: (text: string) => {
      io.out += text;
    },
    stderr: (text: string) => {
      io.err += text;
    },
    cwd,
    env: options.env ?? {},
    isTTY: options.isTTY ?? false,
  };
  return io;
}
