/**
 * An IAM role that one AWS service assumes, with one inline policy listing
 * exactly what it may do. The trust policy names the service principal only, as
 * AWS's own examples for Lambda, DAX and AppSync do: a role cannot be passed to a
 * service in another account, and a condition key the service does not send
 * would stop it from assuming the role at all. Policies are `data "aws_iam_policy_document"` blocks,
 * so `terraform plan` and policy scanners read them as structured statements.
 */
import { Construct } from 'constructs';
import { DataAwsIamPolicyDocument, type DataAwsIamPolicyDocumentStatement } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';

/** One `Allow` statement. */
export interface PolicyStatement {
  /** Statement id, unique in the policy. */
  sid: string;
  /** Exact action names; never a wildcard. */
  actions: string[];
  /** ARNs; `*` only where the service offers no resource-level permission. */
  resources: string[];
  /** Condition blocks. @default no condition */
  conditions?: { test: string; variable: string; values: string[] }[];
}

export interface ServiceRoleProps {
  /** Role name (already fitted by `ResourceNames`). */
  name: string;
  /** Service principal that assumes the role, e.g. `lambda.amazonaws.com`. */
  service: string;
  /** What the role may do. An empty list creates the role without an inline policy (see `allow`). */
  statements: PolicyStatement[];
  /** Role description. @default none */
  description?: string;
}

function statement(s: PolicyStatement): DataAwsIamPolicyDocumentStatement {
  for (const action of s.actions) {
    if (action.includes('*')) throw new Error(`policy statement ${s.sid} has the wildcard action ${action}; list the actions it needs`);
  }
  return {
    sid: s.sid,
    effect: 'Allow',
    actions: [...s.actions].sort(),
    resources: s.resources,
    condition: s.conditions?.map((c) => ({ test: c.test, variable: c.variable, values: c.values })),
  };
}

export class ServiceRole extends Construct {
  readonly role: IamRole;
  private inlinePolicy?: IamRolePolicy;

  constructor(scope: Construct, id: string, props: ServiceRoleProps) {
    super(scope, id);
    const trust = new DataAwsIamPolicyDocument(this, 'trust', {
      statement: [
        {
          sid: 'AssumeRole',
          effect: 'Allow',
          actions: ['sts:AssumeRole'],
          principals: [{ type: 'Service', identifiers: [props.service] }],
        },
      ],
    });
    // `Resource` stays out of the Terraform address: `handler_profile_role_<hash>`.
    this.role = new IamRole(this, 'Resource', {
      name: props.name,
      description: props.description,
      assumeRolePolicy: trust.json,
    });
    if (props.statements.length > 0) this.allow(props.statements);
  }

  /**
   * Attach the inline policy. Called once: by the constructor when `statements`
   * is not empty, or later when the statements name resources that need the
   * role first (an AppSync API needs its log role; its log group needs the API).
   */
  allow(statements: PolicyStatement[]): IamRolePolicy {
    if (this.inlinePolicy) throw new Error(`role ${this.node.path} already has its policy`);
    const doc = new DataAwsIamPolicyDocument(this, 'permissions', { statement: statements.map(statement) });
    this.inlinePolicy = new IamRolePolicy(this, 'policy', {
      name: 'cachestack',
      role: this.role.id,
      policy: doc.json,
    });
    return this.inlinePolicy;
  }

  /** The inline policy, once attached. */
  get policy(): IamRolePolicy | undefined {
    return this.inlinePolicy;
  }

  get arn(): string {
    return this.role.arn;
  }
}
