/**
 * roadcall-assistant `payments` (config/examples/roadcall-assistant.yaml):
 * POST /incidents/{incidentId}/payments records a payment and its line items in
 * Aurora Postgres in one transaction, through the container's pool (min 2, max
 * 10, 30 s statement timeout: the YAML's `connections.postgres`).
 */
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { withWarmGuard } from '../../runtime/guard';
import { callerId, errorResponse, HttpError, json, jsonBody } from '../lib/http';
import { pool } from '../lib/pg';

interface LineItem {
  description: string;
  amountCents: number;
}

function lineItems(body: Record<string, unknown>): LineItem[] {
  const items = body.lineItems;
  if (!Array.isArray(items) || items.length === 0) throw new HttpError(400, '`lineItems` must be a non-empty list');
  return items.map((it, i) => {
    const { description, amountCents } = (it ?? {}) as Record<string, unknown>;
    if (typeof description !== 'string' || !description || typeof amountCents !== 'number' || !Number.isInteger(amountCents) || amountCents <= 0) {
      throw new HttpError(400, `lineItems[${i}] needs a \`description\` and a whole positive \`amountCents\``);
    }
    return { description, amountCents };
  });
}

export const handler = withWarmGuard(
  async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
    try {
      const payerId = callerId(event);
      const incidentId = event.pathParameters?.incidentId;
      if (!incidentId) throw new HttpError(400, 'path parameter `incidentId` is required');
      const items = lineItems(jsonBody(event));
      const total = items.reduce((n, it) => n + it.amountCents, 0);
      const client = await (await pool()).connect();
      try {
        await client.query('BEGIN');
        const { rows } = await client.query<{ id: string; created_at: Date }>(
          'INSERT INTO payments (incident_id, payer_id, total_cents, status) VALUES ($1, $2, $3, $4) RETURNING id, created_at',
          [incidentId, payerId, total, 'PENDING'],
        );
        for (const it of items) {
          await client.query('INSERT INTO payment_line_items (payment_id, description, amount_cents) VALUES ($1, $2, $3)', [rows[0].id, it.description, it.amountCents]);
        }
        await client.query('COMMIT');
        return json(201, { paymentId: rows[0].id, incidentId, totalCents: total, status: 'PENDING', createdAt: rows[0].created_at.toISOString() });
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        client.release();
      }
    } catch (err) {
      return errorResponse(err);
    }
  },
  // a ping opens the pool's first connection, so the first payment does not pay for it
  { prime: async () => (await (await pool()).connect()).release() },
);
