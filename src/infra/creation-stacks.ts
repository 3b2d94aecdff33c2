/**
 * cdktf records a "creation stack" for every token it creates (each attribute
 * reference such as `fn.arn`, each lazy value): it raises `Error.stackTraceLimit`
 * to `Number.MAX_SAFE_INTEGER`, captures the whole JavaScript stack and formats it
 * (cdktf/lib/tokens/private/stack-trace.js). Those stacks are only read when a
 * token fails to resolve, and we pass `stackTraces: false` so none reach the
 * output; yet capturing them took about a third of a 1,000-endpoint synth.
 *
 * `withoutCreationStacks` runs a function with `Error.captureStackTrace` answering
 * an empty stack for exactly those captures (recognised by the unlimited
 * `stackTraceLimit` the helper sets) and leaves every other capture, such as the
 * stack of a real error, as it is. The original is restored afterwards, also when
 * the function throws.
 */
type CaptureStackTrace = (target: object, constructorOpt?: Function) => void;

export function withoutCreationStacks<T>(fn: () => T): T {
  const original = Error.captureStackTrace as CaptureStackTrace;
  const patched: CaptureStackTrace = function captureStackTrace(target, constructorOpt) {
    if (Error.stackTraceLimit === Number.MAX_SAFE_INTEGER) {
      (target as { stack?: string }).stack = '';
      return;
    }
    original.call(Error, target, constructorOpt);
  };
  Error.captureStackTrace = patched as typeof Error.captureStackTrace;
  try {
    return fn();
  } finally {
    Error.captureStackTrace = original as typeof Error.captureStackTrace;
  }
}
