/**
 * Synthesis helpers for infra tests: one model → one stack → its Terraform JSON
 * (cdktf's `Testing.synth`, metadata removed), plus lookups by resource type and
 * by construct-derived address.
 */
import { Testing } from 'cdktf';
// Brings cdktf's jest matcher types (toHaveResourceWithProperties ...) into the program.
import type {} from 'cdktf/lib/testing/adapters/jest';
import type { ServiceModel } from '../../src/config/model';
import { ServiceStack, type StackAssets } from '../../src/infra';
import { assetsFor } from './model-builder';

export type Json = Record<string, any>;

export interface Synthesized {
  stack: ServiceStack;
  /** What `Testing.synth` returned; the matchers take this. */
  text: string;
  tf: Json;
}

export function synth(model: ServiceModel, assets: StackAssets = assetsFor(model)): Synthesized {
  const stack = new ServiceStack(Testing.app(), model, assets);
  const text = Testing.synth(stack);
  return { stack, text, tf: JSON.parse(text) };
}

/** Blocks of one resource type by logical id. */
export function resourcesOf(tf: Json, type: string): Record<string, Json> {
  return tf.resource?.[type] ?? {};
}

export function dataOf(tf: Json, type: string): Record<string, Json> {
  return tf.data?.[type] ?? {};
}

/**
 * Whether a logical id belongs to `prefix`: with a prefix ending in `_` (the
 * human part of an address), only the 8-digit hash may follow; otherwise any rest.
 */
function matches(id: string, prefix: string): boolean {
  if (!id.startsWith(prefix)) return false;
  return !prefix.endsWith('_') || /^[0-9A-F]{8}$/.test(id.slice(prefix.length));
}

/** Logical id of the one block of `type` matching `prefix`; fails when there is not exactly one. */
export function idOf(tf: Json, type: string, prefix = ''): string {
  const ids = Object.keys(resourcesOf(tf, type)).filter((k) => matches(k, prefix));
  if (ids.length !== 1) throw new Error(`expected one ${type} matching ${JSON.stringify(prefix)}, found ${ids.join(', ') || 'none'}`);
  return ids[0];
}

/** The one block of `type` matching `prefix`. */
export function one(tf: Json, type: string, prefix = ''): Json {
  return resourcesOf(tf, type)[idOf(tf, type, prefix)];
}

/** `${type.id.attr}`, the interpolation cdktf writes for a reference. */
export function ref(type: string, id: string, attr: string): string {
  return `\${${type}.${id}.${attr}}`;
}

/** Every Terraform address (`type.name`, data sources as `data.type.name`) of a synthesized stack. */
export function addresses(tf: Json): string[] {
  const out: string[] = [];
  for (const [type, blocks] of Object.entries(tf.resource ?? {})) for (const name of Object.keys(blocks as Json)) out.push(`${type}.${name}`);
  for (const [type, blocks] of Object.entries(tf.data ?? {})) for (const name of Object.keys(blocks as Json)) out.push(`data.${type}.${name}`);
  for (const name of Object.keys(tf.output ?? {})) out.push(`output.${name}`);
  return out.sort();
}
