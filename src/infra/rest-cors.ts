/**
 * `restApi.cors`: what a browser needs to call the API from another origin.
 *
 * - On every resource path with endpoints (unless an endpoint there is itself an
 *   OPTIONS method): an OPTIONS method without authorization (browsers send the
 *   preflight without credentials), a MOCK integration answering 200, and the
 *   method and integration responses that carry Access-Control-Allow-Origin,
 *   -Methods, -Headers, -Max-Age (and -Credentials when allowed), plus
 *   `Vary: Origin`. Allowed methods: `allowMethods`, or the methods of that path's
 *   endpoints. With one origin (or `*`) the header is that value; with several,
 *   the integration response's template echoes the request's Origin when it is
 *   one of them (`$context.responseOverride`) and sends none otherwise.
 * - Each OPTIONS method gets method settings with caching disabled: a preflight
 *   answer is never served from the stage cache.
 * - Gateway responses DEFAULT_4XX and DEFAULT_5XX (API Gateway's own errors:
 *   authorizer denials, throttling, timeouts) carry Access-Control-Allow-Origin,
 *   so the page can read the error. With several origins they echo the request's
 *   Origin, except with `allowCredentials`, where they carry none (an echo of any
 *   origin with credentials is what CORS exists to prevent).
 *
 * Responses of the handlers themselves (AWS_PROXY) pass through unchanged: a
 * handler adds Access-Control-Allow-Origin to its own responses (docs/config.md).
 */
import { Construct } from 'constructs';
import type { ITerraformDependable } from 'cdktf';
import { ApiGatewayGatewayResponse } from '@cdktf/provider-aws/lib/api-gateway-gateway-response';
import { ApiGatewayIntegration } from '@cdktf/provider-aws/lib/api-gateway-integration';
import { ApiGatewayIntegrationResponse } from '@cdktf/provider-aws/lib/api-gateway-integration-response';
import { ApiGatewayMethod } from '@cdktf/provider-aws/lib/api-gateway-method';
import { ApiGatewayMethodResponse } from '@cdktf/provider-aws/lib/api-gateway-method-response';
import type { Cors, Endpoint } from '../config/model';

const ALL_METHODS = ['DELETE', 'GET', 'HEAD', 'PATCH', 'POST', 'PUT'];

/** `'value'`: a static header value in an API Gateway mapping. */
function quoted(value: string): string {
  return `'${value}'`;
}

/** The methods a path's preflight allows: `allowMethods`, or its endpoints' methods (ANY: all), plus OPTIONS. */
export function preflightMethods(cors: Cors, endpoints: readonly Endpoint[], path: string): string[] {
  const own = endpoints.filter((e) => e.path === path).map((e) => e.method);
  const methods = cors.allowMethods ?? (own.includes('ANY') ? ALL_METHODS : own);
  return [...new Set([...methods, 'OPTIONS'])].sort();
}

/** Paths that get an OPTIONS method: every path with endpoints, except one that has an OPTIONS endpoint of its own. */
export function preflightPaths(endpoints: readonly Endpoint[]): string[] {
  const paths = [...new Set(endpoints.map((e) => e.path))];
  return paths.filter((p) => !endpoints.some((e) => e.path === p && e.method === 'OPTIONS')).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** The VTL of the preflight's integration response with several origins: echo the Origin when it is listed. */
export function originEchoTemplate(origins: readonly string[]): string {
  const list = origins.map((o) => `"${o}"`).join(', ');
  return [
    "#set($origin = $input.params().header.get('Origin'))",
    "#if(\"$!origin\" == \"\")#set($origin = $input.params().header.get('origin'))#end",
    `#if([${list}].contains("$!origin"))`,
    '#set($context.responseOverride.header.Access-Control-Allow-Origin = $origin)',
    '#end',
    '',
  ].join('\n');
}

export interface RestCorsProps {
  cors: Cors;
  restApiId: string;
  endpoints: readonly Endpoint[];
  resourceIdOf(path: string): string;
}

export class RestCors extends Construct {
  /** OPTIONS methods by path. */
  readonly methods = new Map<string, ApiGatewayMethod>();
  /** What the deployment must wait for. */
  readonly parts: ITerraformDependable[] = [];

  constructor(scope: Construct, id: string, props: RestCorsProps) {
    super(scope, id);
    const { cors, restApiId } = props;
    const single = cors.allowOrigins.length === 1;
    const common: Record<string, string> = { 'Access-Control-Allow-Headers': cors.allowHeaders.join(',') || 'Content-Type', 'Access-Control-Max-Age': String(cors.maxAgeSeconds), Vary: 'Origin' };
    if (cors.allowCredentials) common['Access-Control-Allow-Credentials'] = 'true';

    for (const path of preflightPaths(props.endpoints)) {
      const at = new Construct(this, `OPTIONS:${path}`);
      const method = new ApiGatewayMethod(at, 'method', { restApiId, resourceId: props.resourceIdOf(path), httpMethod: 'OPTIONS', authorization: 'NONE' });
      const integration = new ApiGatewayIntegration(at, 'integration', {
        restApiId,
        resourceId: method.resourceId,
        httpMethod: method.httpMethod,
        type: 'MOCK',
        requestTemplates: { 'application/json': '{"statusCode": 200}' },
      });
      const headers: Record<string, string> = { ...common, 'Access-Control-Allow-Methods': preflightMethods(cors, props.endpoints, path).join(',') };
      if (single) headers['Access-Control-Allow-Origin'] = cors.allowOrigins[0];
      const names = [...new Set([...Object.keys(headers), 'Access-Control-Allow-Origin'])].sort();
      const methodResponse = new ApiGatewayMethodResponse(at, 'method-response', {
        restApiId,
        resourceId: method.resourceId,
        httpMethod: method.httpMethod,
        statusCode: '200',
        responseParameters: Object.fromEntries(names.map((h) => [`method.response.header.${h}`, true])),
      });
      const integrationResponse = new ApiGatewayIntegrationResponse(at, 'integration-response', {
        restApiId,
        resourceId: method.resourceId,
        httpMethod: method.httpMethod,
        statusCode: methodResponse.statusCode,
        responseParameters: Object.fromEntries(Object.keys(headers).sort().map((h) => [`method.response.header.${h}`, quoted(headers[h])])),
        responseTemplates: single ? undefined : { 'application/json': originEchoTemplate(cors.allowOrigins) },
        dependsOn: [integration],
      });
      this.methods.set(path, method);
      this.parts.push(method, integration, methodResponse, integrationResponse);
    }

    const errorHeaders: Record<string, string> = { 'gatewayresponse.header.Vary': quoted('Origin') };
    if (single) errorHeaders['gatewayresponse.header.Access-Control-Allow-Origin'] = quoted(cors.allowOrigins[0]);
    else if (!cors.allowCredentials) errorHeaders['gatewayresponse.header.Access-Control-Allow-Origin'] = 'method.request.header.Origin';
    if (cors.allowCredentials) errorHeaders['gatewayresponse.header.Access-Control-Allow-Credentials'] = quoted('true');
    if (cors.exposeHeaders.length > 0) errorHeaders['gatewayresponse.header.Access-Control-Expose-Headers'] = quoted(cors.exposeHeaders.join(','));
    for (const type of ['DEFAULT_4XX', 'DEFAULT_5XX']) {
      this.parts.push(
        new ApiGatewayGatewayResponse(this, `gateway-response:${type}`, {
          restApiId,
          responseType: type,
          responseParameters: Object.fromEntries(Object.entries(errorHeaders).sort(([a], [b]) => (a < b ? -1 : 1))),
        }),
      );
    }
  }
}
