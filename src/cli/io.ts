/**
 * Everything a command may touch of the outside world, passed in so that tests
 * run the CLI in-process and read what it printed.
 */
export interface Io {
  /** Writes text to standard output as is (no newline added). */
  stdout(text: string): void;
  /** Writes text to standard error as is (no newline added). */
  stderr(text: string): void;
  /** Working directory: relative paths on the command line resolve against it. */
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  /** Standard output is a terminal: the text format may use colour. */
  isTTY?: boolean;
}

/** The real process as an `Io`. */
export function processIo(): Io {
  return {
    stdout: (text) => {
      process.stdout.write(text);
    },
    stderr: (text) => {
      process.stderr.write(text);
    },
    cwd: process.cwd(),
    env: process.env,
    isTTY: process.stdout.isTTY === true,
  };
}

/** `CACHESTACK_ALLOW_OUTSIDE_ROOT=1` (or `true`, `yes`) is `--allow-outside-root`, for runs that take no flags (`cdktf synth` through main.ts). */
export function allowOutsideRootFromEnv(env: Readonly<Record<string, string | undefined>>): boolean {
  const v = (env.CACHESTACK_ALLOW_OUTSIDE_ROOT ?? '').trim().toLowerCase();
  return v === '1' || v === 'true' || v === 'yes';
}

/** Colour follows https://no-color.org: any non-empty NO_COLOR turns it off. */
export function useColor(io: Io): boolean {
  return io.isTTY === true && !io.env.NO_COLOR;
}
