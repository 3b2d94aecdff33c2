/**
 * `cdn`: one CloudFront distribution in front of the REST API stage and,
 * optionally, an S3 bucket of static files; what src/plan/cdn.ts plans.
 *
 * Resources:
 * - aws_cloudfront_distribution: price class, HTTP/2 and 3, IPv6, `aliases` with
 *   the ACM certificate (SNI, `minimumTls`) or the default certificate, standard
 *   logging to `logging.bucket`, `compress` on every behavior.
 * - `api` origin: the stage's execute-api host with the stage as origin path,
 *   HTTPS only, TLS 1.2. Its behavior (the default one, or `pathPattern` when
 *   `static` is the default) allows every method, caches GET and HEAD, redirects
 *   nothing (`https-only`: a redirected POST would lose its body), and uses
 *   - aws_cloudfront_cache_policy `<stack>-cdn-api`, built from the TTLs (min 0):
 *     keys on the query string and the headers `apiCacheKeyHeaders` names
 *     (Authorization whenever an endpoint behind it has auth: rule 17); with
 *     `maxTtlSeconds: 0` it keys on nothing and caches nothing;
 *   - aws_cloudfront_origin_request_policy `<stack>-cdn-api-origin`: every viewer
 *     header except Host (API Gateway routes on its own host name), every query
 *     string and cookie, so the API sees the request as sent;
 *   - aws_cloudfront_function (viewer request) removing the path prefix, when
 *     `apiStripPrefix` says so.
 * - `static` origin: the bucket (read with data.aws_s3_bucket) through an
 *   aws_cloudfront_origin_access_control (SigV4, always signed), cache policy
 *   `<stack>-cdn-static` from the TTLs keying on nothing, and an
 *   aws_s3_bucket_policy that lets this distribution alone (AWS:SourceArn) get
 *   objects and denies any request without TLS. cachestack owns the bucket's
 *   policy: it replaces whatever policy the bucket had (docs/config.md says why).
 */
import { Construct } from 'constructs';
import { CloudfrontCachePolicy } from '@cdktf/provider-aws/lib/cloudfront-cache-policy';
import { CloudfrontDistribution, type CloudfrontDistributionOrderedCacheBehavior, type CloudfrontDistributionOrigin } from '@cdktf/provider-aws/lib/cloudfront-distribution';
import { CloudfrontFunction } from '@cdktf/provider-aws/lib/cloudfront-function';
import { CloudfrontOriginAccessControl } from '@cdktf/provider-aws/lib/cloudfront-origin-access-control';
import { CloudfrontOriginRequestPolicy } from '@cdktf/provider-aws/lib/cloudfront-origin-request-policy';
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { DataAwsS3Bucket } from '@cdktf/provider-aws/lib/data-aws-s3-bucket';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import type { ServiceModel } from '../config/model';
import { planCdn, stripPrefixFunctionCode, type CdnBehaviorPlan } from '../plan/cdn';
import { SynthesisError } from './errors';
import type { ResourceNames } from './naming';
import type { RestApi } from './rest-api';

export const API_ORIGIN_ID = 'api';
export const STATIC_ORIGIN_ID = 'static';

export interface ServiceCdnProps {
  model: ServiceModel;
  names: ResourceNames;
  restApi?: RestApi;
}

export class ServiceCdn extends Construct {
  readonly distribution: CloudfrontDistribution;
  readonly apiCachePolicy?: CloudfrontCachePolicy;
  readonly staticCachePolicy?: CloudfrontCachePolicy;
  readonly originRequestPolicy?: CloudfrontOriginRequestPolicy;
  readonly prefixFunction?: CloudfrontFunction;
  readonly originAccessControl?: CloudfrontOriginAccessControl;
  readonly bucketPolicy?: S3BucketPolicy;

  constructor(scope: Construct, id: string, props: ServiceCdnProps) {
    super(scope, id);
    const { model, names } = props;
    const cdn = model.cdn;
    const plan = planCdn(model);
    if (!cdn || !plan) throw new SynthesisError('no `cdn` to synthesize', 'cdn', model.stackName);
    const comment = `cachestack: ${model.stackName}`;

    const policy = (name: string, b: CdnBehaviorPlan) =>
      new CloudfrontCachePolicy(this, `cache-policy:${b.origin}`, {
        name,
        comment: `${comment} ${b.origin}`,
        minTtl: 0,
        defaultTtl: b.defaultTtlSeconds,
        maxTtl: b.maxTtlSeconds,
        parametersInCacheKeyAndForwardedToOrigin: {
          // CloudFront refuses accept-encoding keys on a policy that caches nothing.
          enableAcceptEncodingGzip: cdn.compress && b.caches,
          enableAcceptEncodingBrotli: cdn.compress && b.caches,
          headersConfig: b.keyHeaders.length > 0 ? { headerBehavior: 'whitelist', headers: { items: b.keyHeaders } } : { headerBehavior: 'none' },
          queryStringsConfig: { queryStringBehavior: b.keyQueryStrings },
          cookiesConfig: { cookieBehavior: 'none' },
        },
      });

    const origins: CloudfrontDistributionOrigin[] = [];
    const behaviorOf: Partial<Record<'api' | 'static', CloudfrontDistributionOrderedCacheBehavior>> = {};

    const apiPlan = plan.behaviors.find((b) => b.origin === 'api');
    if (apiPlan) {
      const rest = props.restApi;
      if (!rest) throw new SynthesisError('`cdn.api` needs `restApi`', 'cdn.api', model.stackName);
      this.apiCachePolicy = policy(names.cdnCachePolicyName('api'), apiPlan);
      this.originRequestPolicy = new CloudfrontOriginRequestPolicy(this, 'origin-request-policy:api', {
        name: names.cdnOriginRequestPolicyName(),
        comment: `${comment} api: every viewer header but Host`,
        headersConfig: { headerBehavior: 'allExcept', headers: { items: ['Host'] } },
        queryStringsConfig: { queryStringBehavior: 'all' },
        cookiesConfig: { cookieBehavior: 'all' },
      });
      if (apiPlan.stripPrefix !== null) {
        this.prefixFunction = new CloudfrontFunction(this, 'function:api-prefix', {
          name: names.cdnFunctionName(),
          comment: `${comment}: remove ${apiPlan.stripPrefix} before the API`,
          runtime: 'cloudfront-js-2.0',
          publish: true,
          code: stripPrefixFunctionCode(apiPlan.stripPrefix),
        });
      }
      origins.push({
        originId: API_ORIGIN_ID,
        domainName: `${rest.api.id}.execute-api.${model.region}.amazonaws.com`,
        originPath: `/${rest.stage.stageName}`,
        customOriginConfig: { httpPort: 80, httpsPort: 443, originProtocolPolicy: 'https-only', originSslProtocols: ['TLSv1.2'] },
      });
      behaviorOf.api = {
        pathPattern: apiPlan.pathPattern,
        targetOriginId: API_ORIGIN_ID,
        viewerProtocolPolicy: 'https-only',
        allowedMethods: ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT'],
        cachedMethods: ['GET', 'HEAD'],
        cachePolicyId: this.apiCachePolicy.id,
        originRequestPolicyId: this.originRequestPolicy.id,
        compress: cdn.compress,
        functionAssociation: this.prefixFunction ? [{ eventType: 'viewer-request', functionArn: this.prefixFunction.arn }] : undefined,
      };
    }

    let bucket: DataAwsS3Bucket | undefined;
    const staticPlan = plan.behaviors.find((b) => b.origin === 'static');
    if (staticPlan && cdn.static) {
      bucket = new DataAwsS3Bucket(this, 'static-bucket', { bucket: cdn.static.bucket });
      this.staticCachePolicy = policy(names.cdnCachePolicyName('static'), staticPlan);
      this.originAccessControl = new CloudfrontOriginAccessControl(this, 'origin-access-control', {
        name: names.cdnOriginAccessControlName(),
        description: `${comment} static`,
        originAccessControlOriginType: 's3',
        signingBehavior: 'always',
        signingProtocol: 'sigv4',
      });
      origins.push({ originId: STATIC_ORIGIN_ID, domainName: bucket.bucketRegionalDomainName, originAccessControlId: this.originAccessControl.id });
      behaviorOf.static = {
        pathPattern: '*',
        targetOriginId: STATIC_ORIGIN_ID,
        viewerProtocolPolicy: 'redirect-to-https',
        allowedMethods: ['GET', 'HEAD', 'OPTIONS'],
        cachedMethods: ['GET', 'HEAD'],
        cachePolicyId: this.staticCachePolicy.id,
        compress: cdn.compress,
      };
    }

    const { pathPattern: _default, ...defaultBehavior } = (behaviorOf.static ?? behaviorOf.api)!;
    void _default;
    this.distribution = new CloudfrontDistribution(this, 'distribution', {
      enabled: true,
      comment,
      priceClass: cdn.priceClass,
      httpVersion: 'http2and3',
      isIpv6Enabled: true,
      aliases: cdn.aliases.length > 0 ? [...cdn.aliases].sort() : undefined,
      defaultRootObject: behaviorOf.static ? 'index.html' : undefined,
      origin: origins,
      defaultCacheBehavior: defaultBehavior,
      orderedCacheBehavior: behaviorOf.static && behaviorOf.api ? [behaviorOf.api] : undefined,
      restrictions: { geoRestriction: { restrictionType: 'none' } },
      viewerCertificate: cdn.certificateArn
        ? { acmCertificateArn: cdn.certificateArn, sslSupportMethod: 'sni-only', minimumProtocolVersion: cdn.minimumTls }
        : { cloudfrontDefaultCertificate: true },
      loggingConfig: cdn.logging ? { bucket: `${cdn.logging.bucket}.s3.amazonaws.com`, prefix: cdn.logging.prefix, includeCookies: false } : undefined,
    });

    if (bucket) {
      const doc = new DataAwsIamPolicyDocument(this, 'static-bucket-policy-document', {
        statement: [
          {
            sid: 'CloudFrontReadsThroughOac',
            effect: 'Allow',
            actions: ['s3:GetObject'],
            principals: [{ type: 'Service', identifiers: ['cloudfront.amazonaws.com'] }],
            resources: [`${bucket.arn}/*`],
            condition: [{ test: 'StringEquals', variable: 'AWS:SourceArn', values: [this.distribution.arn] }],
          },
          {
            sid: 'DenyWithoutTls',
            effect: 'Deny',
            actions: ['s3:*'],
            principals: [{ type: '*', identifiers: ['*'] }],
            resources: [bucket.arn, `${bucket.arn}/*`],
            condition: [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }],
          },
        ],
      });
      this.bucketPolicy = new S3BucketPolicy(this, 'static-bucket-policy', { bucket: bucket.bucket, policy: doc.json });
    }
  }

  get domainName(): string {
    return this.distribution.domainName;
  }
}
