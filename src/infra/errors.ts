/**
 * A model that synthesis cannot turn into Terraform. The validation rules are
 * meant to catch every such model first; this error is the backstop, thrown
 * before any file is written, with the same message style (lower-case, names the
 * value and what is allowed, ends with a hint) and the field path it is about.
 */
export class SynthesisError extends Error {
  constructor(
    message: string,
    /** Field path in the model, e.g. `handlers.warmer` or `restApi.endpointType`. */
    readonly path: string,
    /** The stack being synthesized. */
    readonly stackName: string,
  ) {
    super(message);
    this.name = 'SynthesisError';
  }
}
