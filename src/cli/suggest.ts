/** "did you mean" for command names, flags and flag values: the same rule as the config diagnostics'. */
export { closest, editDistance } from '../config/suggest';
