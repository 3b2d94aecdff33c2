/** The flags `cachestack diff` puts on a change, and `--fail-on` gates on. */
export type Flag = 'replace' | 'destroy' | 'security';
export const FLAGS: readonly Flag[] = ['replace', 'destroy', 'security'];
