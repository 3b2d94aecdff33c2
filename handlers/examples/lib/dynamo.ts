/**
 * Plain JavaScript values <-> DynamoDB attribute values, for the example
 * handlers that use `@aws-sdk/client-dynamodb` (or DAX) directly. Example code.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';

export type Plain = string | number | boolean | null | Plain[] | { [k: string]: Plain };

export function toAttr(v: Plain): AttributeValue {
  if (v === null) return { NULL: true };
  if (typeof v === 'string') return { S: v };
  if (typeof v === 'number') return { N: String(v) };
  if (typeof v === 'boolean') return { BOOL: v };
  if (Array.isArray(v)) return { L: v.map(toAttr) };
  return { M: toItem(v) };
}

export function toItem(obj: Record<string, Plain | undefined>): Record<string, AttributeValue> {
  const out: Record<string, AttributeValue> = {};
  for (const [k, v] of Object.entries(obj)) if (v !== undefined) out[k] = toAttr(v);
  return out;
}

export function fromAttr(a: AttributeValue): Plain {
  if (a.S !== undefined) return a.S;
  if (a.N !== undefined) return Number(a.N);
  if (a.BOOL !== undefined) return a.BOOL;
  if (a.NULL) return null;
  if (a.L) return a.L.map(fromAttr);
  if (a.M) return fromItem(a.M);
  if (a.SS) return a.SS;
  if (a.NS) return a.NS.map(Number);
  throw new Error(`unsupported attribute value ${JSON.stringify(Object.keys(a))}`);
}

export function fromItem(item: Record<string, AttributeValue>): { [k: string]: Plain } {
  const out: { [k: string]: Plain } = {};
  for (const [k, v] of Object.entries(item)) out[k] = fromAttr(v);
  return out;
}
