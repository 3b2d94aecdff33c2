/**
 * ecommerce-analytics `compliance-guardian` (config/examples/ecommerce-analytics.yaml):
 * invoked directly with `{ "productId": "..." }`; checks the product's listing
 * against the marketplace rules stored with it (banned words, required fields)
 * and returns the findings.
 */
import { BatchGetItemCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { withWarmGuard } from '../../runtime/guard';
import { sdkClientConfig } from '../../runtime/sdk';
import { fromItem, toItem } from '../lib/dynamo';

const PRODUCTS_TABLE = process.env.PRODUCTS_TABLE ?? 'products';
const RULES_TABLE = process.env.RULES_TABLE ?? 'compliance-rules';
const dynamo = new DynamoDBClient(sdkClientConfig());

export interface Finding {
  rule: string;
  message: string;
}

export const handler = withWarmGuard(async (event: { productId?: string }) => {
  if (typeof event?.productId !== 'string' || !event.productId) throw new Error('`productId` is required');
  const out = await dynamo.send(new BatchGetItemCommand({
    RequestItems: {
      [PRODUCTS_TABLE]: { Keys: [toItem({ productId: event.productId })] },
      [RULES_TABLE]: { Keys: [toItem({ ruleSet: 'marketplace' })] },
    },
  }));
  const product = out.Responses?.[PRODUCTS_TABLE]?.[0];
  const rules = out.Responses?.[RULES_TABLE]?.[0];
  if (!product) throw new Error(`no product ${event.productId}`);
  const p = fromItem(product);
  const r = rules ? fromItem(rules) : {};
  const findings: Finding[] = [];
  const text = `${p.title ?? ''} ${p.description ?? ''}`.toLowerCase();
  for (const word of Array.isArray(r.bannedWords) ? r.bannedWords : []) {
    if (typeof word === 'string' && text.includes(word.toLowerCase())) findings.push({ rule: 'banned-word', message: `listing contains "${word}"` });
  }
  for (const field of Array.isArray(r.requiredFields) ? r.requiredFields : []) {
    if (typeof field === 'string' && (p[field] === undefined || p[field] === '')) findings.push({ rule: 'required-field', message: `listing has no ${field}` });
  }
  return { productId: event.productId, compliant: findings.length === 0, findings };
});
