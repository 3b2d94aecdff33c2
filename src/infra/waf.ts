/**
 * AWS WAF in front of an API (`restApi.waf`, `graphqlApi.waf`).
 *
 * - `{ webAclArn }`: aws_wafv2_web_acl_association of that existing REGIONAL web
 *   ACL with the resource (the REST API stage, or the AppSync API).
 * - `{ managedRules: [...] }`: an aws_wafv2_web_acl of REGIONAL scope that allows
 *   by default and runs each AWS managed rule group (vendor `AWS`) in the order
 *   written, with its own actions (`override_action { none {} }`: a group's
 *   blocking rules block), CloudWatch metrics and sampled requests on; then the
 *   association.
 *
 * WAF for the `cdn` distribution (CLOUDFRONT scope, in us-east-1) is not made
 * here: docs/config.md says how to add one.
 */
import { Construct } from 'constructs';
import { Wafv2WebAcl } from '@cdktf/provider-aws/lib/wafv2-web-acl';
import { Wafv2WebAclAssociation } from '@cdktf/provider-aws/lib/wafv2-web-acl-association';
import type { Waf } from '../config/model';

export interface ApiWafProps {
  waf: Waf;
  /** ARN of the stage or AppSync API to protect. */
  resourceArn: string;
  /** Name of the web ACL cachestack creates (with `managedRules`). */
  webAclName: string;
}

/** A CloudWatch metric name from a name: letters, digits, `-` and `_`. */
function metricName(name: string): string {
  return name.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 128);
}

export class ApiWaf extends Construct {
  readonly webAcl?: Wafv2WebAcl;
  readonly webAclArn: string;
  readonly association: Wafv2WebAclAssociation;

  constructor(scope: Construct, id: string, props: ApiWafProps) {
    super(scope, id);
    if ('webAclArn' in props.waf) {
      this.webAclArn = props.waf.webAclArn;
    } else {
      this.webAcl = new Wafv2WebAcl(this, 'web-acl', {
        name: props.webAclName,
        description: 'cachestack: AWS managed rule groups',
        scope: 'REGIONAL',
        defaultAction: { allow: {} },
        rule: props.waf.managedRules.map((group, priority) => ({
          name: group,
          priority,
          overrideAction: { none: {} },
          // The provider bindings type `statement` loosely (it nests without end): written as Terraform's own block names.
          statement: { managed_rule_group_statement: { name: group, vendor_name: 'AWS' } },
          visibilityConfig: { cloudwatchMetricsEnabled: true, metricName: metricName(`${props.webAclName}-${group}`), sampledRequestsEnabled: true },
        })),
        visibilityConfig: { cloudwatchMetricsEnabled: true, metricName: metricName(props.webAclName), sampledRequestsEnabled: true },
      });
      this.webAclArn = this.webAcl.arn;
    }
    this.association = new Wafv2WebAclAssociation(this, 'association', { resourceArn: props.resourceArn, webAclArn: this.webAclArn });
  }
}
