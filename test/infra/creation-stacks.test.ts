import { withoutCreationStacks } from '../../src/infra/creation-stacks';

describe('withoutCreationStacks', () => {
  it('GIVEN a capture with the unlimited stackTraceLimit cdktf sets WHEN run inside THEN the stack is empty', () => {
    const target: { stack?: string } = {};
    withoutCreationStacks(() => {
      const previous = Error.stackTraceLimit;
      Error.stackTraceLimit = Number.MAX_SAFE_INTEGER;
      try {
        Error.captureStackTrace(target);
      } finally {
        Error.stackTraceLimit = previous;
      }
    });
    expect(target.stack).toBe('');
  });

  it('GIVEN a real error thrown inside WHEN caught THEN it keeps its stack and the original capture is restored', () => {
    const original = Error.captureStackTrace;
    let caught: unknown;
    try {
      withoutCreationStacks(() => {
        throw new Error('boom');
      });
    } catch (e) {
      caught = e;
    }
    expect((caught as Error).stack).toContain('creation-stacks.test.ts');
    expect(Error.captureStackTrace).toBe(original);
  });
});
