/**
 * The bench's plain cdktf anchor (bench/baseline-cdktf) must build what
 * `cachestack synth` builds for the same generated config, or the synth row of
 * docs/benchmarks.md compares unlike work. Both are really synthesized here, for
 * N = 3, and their Terraform resource and data source types compared; for two
 * services at once, as the many-services row runs them, so the stacks must match
 * one to one too.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeManyConfigs } from '../../bench/generate';
import { synth } from '../../src/synth';
import { countTypes, runAnchor } from './anchors';

/**
 * Types only one side can have, each with the reason. Empty today: the anchor
 * declares every type cachestack does and nothing else. A type added to
 * cachestack's output must either be added to the anchor or listed here.
 */
const ONLY_CACHESTACK: Record<string, string> = {};
const ONLY_ANCHOR: Record<string, string> = {};

/** Types of which there is one per endpoint or per resolver: the counts that make the work grow with N. */
const PER_ENDPOINT = [
  'resource.aws_api_gateway_resource',
  'resource.aws_api_gateway_method',
  'resource.aws_api_gateway_integration',
  'resource.aws_api_gateway_method_settings',
  'resource.aws_appsync_resolver',
];

type TfJson = Record<string, Record<string, Record<string, unknown>> | undefined>;

function types(doc: TfJson): Record<string, number> {
  const all: string[] = [];
  for (const kind of ['resource', 'data']) {
    for (const [type, blocks] of Object.entries(doc[kind] ?? {})) for (const _ of Object.keys(blocks)) all.push(`${kind}.${type}`);
  }
  return countTypes(all);
}

describe('bench/baseline-cdktf (the plain cdktf synth anchor)', () => {
  let dir: string;
  let ours: Record<string, number>;
  let anchor: Record<string, number>;
  const stacks = (out: string) => readdirSync(join(dir, out, 'stacks')).sort();
  const stackTypes = (out: string, stack: string) => types(JSON.parse(readFileSync(join(dir, out, 'stacks', stack, 'cdk.tf.json'), 'utf8')) as TfJson);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cachestack-anchor-cdktf-'));
    const many = writeManyConfigs(dir, 2, 3);
    const result = await synth([many.dir], { cwd: dir, out: join(dir, 'ours') });
    if (result.status !== 'ok') throw new Error(`cachestack synth of the bench configs: ${result.status}`);
    runAnchor('baseline-cdktf/main.ts', 3, join(dir, 'anchor'), 2);
    ours = stackTypes('ours', 'bench-3-s00');
    anchor = stackTypes('anchor', 'bench-3-s00');
  }, 300_000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('GIVEN two generated services WHEN both synthesize THEN they write the same stacks, each with the same types', () => {
    expect(stacks('anchor')).toEqual(['bench-3-s00', 'bench-3-s01']);
    expect(stacks('ours')).toEqual(stacks('anchor'));
    expect(stackTypes('anchor', 'bench-3-s01')).toEqual(anchor);
    expect(stackTypes('ours', 'bench-3-s01')).toEqual(ours);
  });

  it('GIVEN the generated bench config for N=3 WHEN both synthesize THEN the anchor declares every type cachestack does', () => {
    const missing = Object.keys(ours).filter((t) => !(t in anchor) && !(t in ONLY_CACHESTACK));
    expect(missing).toEqual([]);
  });

  it('GIVEN the same WHEN both synthesize THEN the anchor declares no type cachestack does not', () => {
    const extra = Object.keys(anchor).filter((t) => !(t in ours) && !(t in ONLY_ANCHOR));
    expect(extra).toEqual([]);
  });

  it('GIVEN the same WHEN both synthesize THEN the per-endpoint and per-resolver resources come in the same numbers', () => {
    const pick = (c: Record<string, number>) => Object.fromEntries(PER_ENDPOINT.map((t) => [t, c[t]]));
    expect(pick(anchor)).toEqual(pick(ours));
    expect(anchor['resource.aws_api_gateway_method']).toBe(3);
    expect(anchor['resource.aws_appsync_resolver']).toBe(3);
  });

  it('GIVEN the exception lists WHEN read THEN each names a type that really is on one side only', () => {
    for (const t of Object.keys(ONLY_CACHESTACK)) expect([t, t in ours && !(t in anchor)]).toEqual([t, true]);
    for (const t of Object.keys(ONLY_ANCHOR)) expect([t, t in anchor && !(t in ours)]).toEqual([t, true]);
  });
});
