/**
 * The second synth anchor of docs/benchmarks.md: the bench service in the AWS CDK
 * (aws-cdk-lib), the tool most teams would otherwise pick, synthesized to
 * CloudFormation the way a team writes it (L2 constructs where they exist, L1
 * `Cfn*` for AppSync caching, ElastiCache and DAX), run by `npx cdk synth` with
 * cdk.json's app `npx tsx app.ts`. It does not read cachestack's YAML and
 * imports nothing from src/.
 *
 * Offline: a fixed account and region, no `fromLookup`, inline Lambda code (no
 * assets, no bundling, no Docker).
 *
 *   BENCH_N         endpoints and resolvers per service (default 10)
 *   BENCH_SERVICES  services, one stack each (default 1)
 *
 * The CloudFormation limit of 500 resources per stack is lifted
 * (`@aws-cdk/core:stackResourceLimit: 0`): from about 70 endpoints a service is
 * over it, and a team would then split it into nested stacks; the synth work is
 * the same, so the bench keeps one stack per service as the Terraform output does.
 */
import { App } from 'aws-cdk-lib';
import { benchService } from '../baseline-service';
import { ServiceStack } from './lib/service-stack';

const n = Number(process.env.BENCH_N ?? 10);
const services = Number(process.env.BENCH_SERVICES ?? 1);
const app = new App({ context: { '@aws-cdk/core:stackResourceLimit': 0 } });
for (let s = 0; s < services; s++) {
  const name = services === 1 ? `bench-${n}` : `bench-${n}-s${String(s).padStart(2, '0')}`;
  new ServiceStack(app, name, {
    spec: benchService(name, n),
    env: { account: '123456789012', region: 'us-east-1' },
    analyticsReporting: false,
    tags: { service: name, team: 'bench' },
  });
}
app.synth();
