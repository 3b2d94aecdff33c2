/**
 * course-registration `enrollments` (config/examples/course-registration.yaml):
 * - GET /api/enrollments/me: the caller's enrollments through
 *   `enrollments:user:{userId}` (60 s);
 * - POST /api/enrollments: enrolls the caller in a course (at most once), then
 *   drops the caller's cached list.
 */
import { DynamoDBClient, PutItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { withWarmGuard } from '../../runtime/guard';
import { sdkClientConfig } from '../../runtime/sdk';
import { fromItem, toItem } from '../lib/dynamo';
import { callerId, errorResponse, HttpError, json, jsonBody, requireString } from '../lib/http';
import { cache, cached, invalidate } from './cached';

const ENROLLMENTS_TABLE = process.env.ENROLLMENTS_TABLE ?? 'enrollments';
const dynamo = new DynamoDBClient(sdkClientConfig());
const enrollmentsKey = cache.key('enrollmentsUser');

async function myEnrollments(userId: string) {
  const out = await dynamo.send(new QueryCommand({
    TableName: ENROLLMENTS_TABLE,
    KeyConditionExpression: 'userId = :u',
    ExpressionAttributeValues: toItem({ ':u': userId }),
  }));
  return (out.Items ?? []).map(fromItem);
}

async function enroll(userId: string, event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
  const courseId = requireString(jsonBody(event), 'course_id');
  const enrollment = { userId, courseId, enrolledAt: new Date().toISOString() };
  await dynamo.send(new PutItemCommand({
    TableName: ENROLLMENTS_TABLE,
    Item: toItem(enrollment),
    ConditionExpression: 'attribute_not_exists(courseId)',
  })).catch((err: Error) => {
    if (err.name === 'ConditionalCheckFailedException') throw new HttpError(409, `already enrolled in ${courseId}`);
    throw err;
  });
  await invalidate(enrollmentsKey(userId));
  return json(201, enrollment);
}

export const handler = withWarmGuard(async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
  try {
    const userId = callerId(event);
    if (event.httpMethod === 'POST') return await enroll(userId, event);
    return json(200, { enrollments: await cached(enrollmentsKey(userId), () => myEnrollments(userId)) });
  } catch (err) {
    return errorResponse(err);
  }
});
