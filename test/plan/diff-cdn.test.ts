/**
 * The edge part of diff: what empties CloudFront's cache, what changes what it
 * keys on, and the REST/GraphQL edge settings that weaken protection.
 */
import type { Cdn, ServiceModel } from '../../src/config/model';
import { diffModels, type Change } from '../../src/plan/diff';
import { buildPlan } from '../../src/plan/explain';
import { edgeLines } from '../../src/plan/edge';
import { edited, serviceModel } from './models';

const CDN: Cdn = {
  priceClass: 'PriceClass_100',
  minimumTls: 'TLSv1.2_2021',
  compress: true,
  aliases: ['app.example.com'],
  certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc',
  api: { pathPattern: '/api/*', defaultTtlSeconds: 0, maxTtlSeconds: 300 },
  static: { bucket: 'my-frontend', defaultTtlSeconds: 86400, maxTtlSeconds: 31536000 },
};

const withCdn = (edit: (c: Cdn, m: ServiceModel) => void = () => undefined) =>
  edited((m) => {
    m.cdn = structuredClone(CDN);
    edit(m.cdn, m);
  });

const of = (changes: Change[], subject: Change['subject']) => changes.filter((c) => c.subject === subject);

describe('diff: cdn', () => {
  test('GIVEN the same cdn twice THEN nothing changes', () => {
    expect(diffModels(withCdn(), withCdn())).toEqual([]);
  });

  test('GIVEN a cdn added THEN one unflagged addition; removed THEN destroy with data loss', () => {
    const [added] = of(diffModels(serviceModel(), withCdn()), 'cdn');
    expect(added).toMatchObject({ action: 'add', flags: [] });
    const [removed] = of(diffModels(withCdn(), serviceModel()), 'cdn');
    expect(removed).toMatchObject({ action: 'remove', flags: ['destroy'], dataLoss: true });
    expect(removed.message).toMatch(/app\.example\.com stop being served/);
  });

  test('GIVEN the api behavior stops being keyed on Authorization (every endpoint public) THEN replace and security', () => {
    const head = withCdn((_c, m) => m.restApi!.endpoints.forEach((e) => Object.assign(e, { auth: 'none', cache: undefined })));
    const key = of(diffModels(withCdn(), head), 'cdn').find((c) => c.field === 'cacheKey')!;
    expect(key.flags).toEqual(['replace', 'security']);
    expect(key.dataLoss).toBe(true);
    expect(key.before).toBe('query string + Authorization + X-Session (gzip/brotli variants)');
    expect(key.after).toBe('query string (gzip/brotli variants)');
  });

  test('GIVEN compression turned off THEN the key changes (replace) without a security flag', () => {
    const keys = of(diffModels(withCdn(), withCdn((c) => (c.compress = false))), 'cdn').filter((c) => c.field === 'cacheKey');
    expect(keys.map((c) => [c.name, c.flags])).toEqual([
      ['api behavior', ['replace']],
      ['static behavior', ['replace']],
    ]);
  });

  test('GIVEN the path pattern moved and the rest api renamed THEN both empty the cache', () => {
    const head = withCdn((c, m) => {
      c.api!.pathPattern = '/v2/*';
      m.restApi!.name = 'users-v2';
    });
    const changes = of(diffModels(withCdn(), head), 'cdn');
    expect(changes.find((c) => c.field === 'pathPattern')).toMatchObject({ flags: ['replace'], dataLoss: true });
    expect(changes.find((c) => c.field === 'origin')).toMatchObject({ before: 'users/v1', after: 'users-v2/v1', flags: ['replace'], dataLoss: true });
  });

  test('GIVEN static added in front of an api-only distribution THEN the api behavior moves off the default (replace)', () => {
    const base = withCdn((c) => delete c.static);
    const changes = of(diffModels(base, withCdn()), 'cdn');
    expect(changes.map((c) => [c.name, c.action, c.field, c.flags])).toEqual([
      ['api behavior', 'update', 'pathPattern', ['replace']],
      ['api behavior', 'update', 'stripPrefix', []],
      ['static behavior', 'add', null, []],
    ]);
  });

  test('GIVEN TTLs and the price class changed THEN they are listed unflagged; a lower TLS policy is security', () => {
    const head = withCdn((c) => {
      c.api!.maxTtlSeconds = 60;
      c.priceClass = 'PriceClass_All';
      c.minimumTls = 'TLSv1.2_2018';
    });
    const changes = of(diffModels(withCdn(), head), 'cdn');
    expect(changes.find((c) => c.field === 'ttl')).toMatchObject({ flags: [], before: [0, 300], after: [0, 60] });
    expect(changes.find((c) => c.field === 'priceClass')).toMatchObject({ flags: [] });
    expect(changes.find((c) => c.field === 'minimumTls')).toMatchObject({ flags: ['security'] });
  });
});

describe('diff: rest and graphql edge settings', () => {
  const withEdge = (edit: (m: ServiceModel) => void = () => undefined) =>
    edited((m) => {
      m.restApi!.cors = { allowOrigins: ['https://app.example.com'], allowHeaders: ['Authorization'], exposeHeaders: [], maxAgeSeconds: 600, allowCredentials: false };
      m.restApi!.waf = { managedRules: ['AWSManagedRulesCommonRuleSet', 'AWSManagedRulesKnownBadInputsRuleSet'] };
      m.restApi!.domain = { name: 'api.example.com', certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc', endpointType: 'REGIONAL' };
      m.graphqlApi!.waf = { webAclArn: 'arn:aws:wafv2:us-east-1:123456789012:regional/webacl/a/1' };
      edit(m);
    });

  test('GIVEN a waf removed and a managed rule group dropped THEN both are security', () => {
    const head = withEdge((m) => {
      delete m.graphqlApi!.waf;
      m.restApi!.waf = { managedRules: ['AWSManagedRulesCommonRuleSet'] };
    });
    const changes = of(diffModels(withEdge(), head), 'edge');
    expect(changes.map((c) => [c.name, c.action, c.flags])).toEqual([
      ['users waf', 'update', ['security']],
      ['users waf', 'remove', ['security']],
    ]);
    expect(changes[0].message).toMatch(/AWSManagedRulesKnownBadInputsRuleSet no longer applied/);
  });

  test('GIVEN cors admitting another origin with credentials THEN security; the domain changing type THEN replace', () => {
    const head = withEdge((m) => {
      m.restApi!.cors = { ...m.restApi!.cors!, allowOrigins: ['https://app.example.com', 'https://evil.example.com'], allowCredentials: true };
      m.restApi!.domain = { ...m.restApi!.domain!, endpointType: 'EDGE' };
    });
    const changes = of(diffModels(withEdge(), head), 'edge');
    expect(changes.find((c) => c.field === 'cors')).toMatchObject({ flags: ['security'] });
    expect(changes.find((c) => c.field === 'domain')).toMatchObject({ flags: ['replace'], dataLoss: false });
  });

  test('GIVEN the edge settings THEN explain says each of them', () => {
    const lines = edgeLines(buildPlan(withEdge((m) => (m.cdn = structuredClone(CDN)))).edge);
    expect(lines.map((l) => l.split(':')[0])).toEqual(['cors', 'custom domain', 'waf (rest api)', 'waf (graphql api)', 'cdn', 'cdn default (*) → s3 bucket my-frontend (origin access control)', 'cdn /api/* → the rest api stage', 'cdn']);
    expect(lines.join('\n')).toContain('keyed by query string + Authorization + X-Session');
  });
});

describe('cost of the edge', () => {
  test('GIVEN a web ACL cachestack creates with two managed rule groups THEN it costs $5 plus $1 per group a month; an existing ACL costs nothing here', async () => {
    const { estimateCost } = await import('../../src/plan/cost');
    const created = edited((m) => (m.restApi!.waf = { managedRules: ['AWSManagedRulesCommonRuleSet', 'AWSManagedRulesKnownBadInputsRuleSet'] }));
    expect(estimateCost(created).lines.find((l) => l.item.startsWith('waf'))).toEqual({ item: 'waf rest api users', detail: '1 web ACL x $5 + 2 rule groups x $1 per month (requests not estimated)', monthlyUsd: 7 });
    const existing = edited((m) => (m.restApi!.waf = { webAclArn: 'arn:aws:wafv2:us-east-1:123456789012:regional/webacl/a/1' }));
    expect(estimateCost(existing).lines.filter((l) => l.item.startsWith('waf'))).toEqual([]);
  });
});
