/**
 * course-registration `courses` (config/examples/course-registration.yaml):
 * - GET /api/courses?semester_id=&department_id= lists courses through
 *   `courses:semester:{semesterId}:department:{departmentId}` (5 min);
 * - POST /api/courses/{course_id} updates a course, rewrites `course:{courseId}`
 *   with the new item and drops every list of its semester, as the seed's
 *   `cache.delete_pattern("courses:semester:*")` drops every list: here with the
 *   kit's `invalidatePattern` (SCAN + UNLINK, never KEYS), narrowed to the
 *   course's semester since an update cannot move a course to another one.
 * Concurrent misses on a list run one DynamoDB query (the kit's lock plays the
 * seed's `lock:{key}` stampede lock).
 */
import { DynamoDBClient, QueryCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { withWarmGuard } from '../../runtime/guard';
import { sdkClientConfig } from '../../runtime/sdk';
import { fromItem, toItem } from '../lib/dynamo';
import { callerId, errorResponse, HttpError, json, jsonBody, requireString } from '../lib/http';
import { cache, cached, cacheEnabled, invalidateMatching } from './cached';

const COURSES_TABLE = process.env.COURSES_TABLE ?? 'courses';
const dynamo = new DynamoDBClient(sdkClientConfig());
const listKey = cache.key('coursesSemesterDepartment');
const courseKey = cache.key('course');

async function listCourses(semesterId: string, departmentId: string) {
  const out = await dynamo.send(new QueryCommand({
    TableName: COURSES_TABLE,
    IndexName: 'semester-department',
    KeyConditionExpression: 'semesterDepartment = :sd',
    ExpressionAttributeValues: toItem({ ':sd': `${semesterId}#${departmentId}` }),
  }));
  return (out.Items ?? []).map(fromItem);
}

async function updateCourse(event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
  const courseId = event.pathParameters?.course_id;
  if (!courseId) throw new HttpError(400, 'path parameter `course_id` is required');
  const body = jsonBody(event);
  const title = requireString(body, 'title');
  const capacity = body.capacity;
  if (typeof capacity !== 'number' || !Number.isInteger(capacity) || capacity < 0) throw new HttpError(400, '`capacity` must be a whole number >= 0');
  const out = await dynamo.send(new UpdateItemCommand({
    TableName: COURSES_TABLE,
    Key: toItem({ courseId }),
    UpdateExpression: 'SET title = :t, capacity = :c, updatedBy = :u',
    ConditionExpression: 'attribute_exists(courseId)',
    ExpressionAttributeValues: toItem({ ':t': title, ':c': capacity, ':u': callerId(event) }),
    ReturnValues: 'ALL_NEW',
  })).catch((err: Error) => {
    if (err.name === 'ConditionalCheckFailedException') throw new HttpError(404, `no course ${courseId}`);
    throw err;
  });
  const course = fromItem(out.Attributes ?? {});
  if (cacheEnabled) await cache.set(courseKey(courseId), course);
  const [semesterId] = String(course.semesterDepartment ?? '').split('#');
  if (semesterId) await invalidateMatching('coursesSemesterDepartment', { semesterId });
  return json(200, course);
}

export const handler = withWarmGuard(
  async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
    try {
      callerId(event);
      if (event.httpMethod === 'POST') return await updateCourse(event);
      const semesterId = requireString(event.queryStringParameters, 'semester_id');
      const departmentId = requireString(event.queryStringParameters, 'department_id');
      return json(200, { courses: await cached(listKey(semesterId, departmentId), () => listCourses(semesterId, departmentId)) });
    } catch (err) {
      return errorResponse(err);
    }
  },
  { prime: () => (cacheEnabled ? cache.connect() : undefined) },
);
