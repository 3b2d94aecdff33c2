import { Testing } from 'cdktf';
import { DaxCluster } from '@cdktf/provider-aws/lib/dax-cluster';
import { DaxParameterGroup } from '@cdktf/provider-aws/lib/dax-parameter-group';
import { DaxSubnetGroup } from '@cdktf/provider-aws/lib/dax-subnet-group';
import { DAX_INDEX_ACTIONS, DAX_TABLE_ACTIONS } from '../../src/infra/dax-cluster';
import { ACCOUNT, daxCluster, handler, model, NETWORK } from './model-builder';
import { dataOf, idOf, one, ref, synth, type Json, type Synthesized } from './synth';

Testing.setupJest();
process.env.CHECKPOINT_DISABLE = '1';

const VENDORS = `arn:aws:dynamodb:eu-west-1:${ACCOUNT}:table/Vendors`;

describe('DaxCluster', () => {
  let s: Synthesized;
  beforeAll(() => {
    s = synth(
      model({
        network: NETWORK,
        handlers: [handler('api', { connections: { dax: { cluster: 'hot', requestTimeoutMs: 1000 } } })],
        dax: [
          daxCluster('hot', ['Incidents', VENDORS], { replicationFactor: 3, itemTtlSeconds: 60, queryTtlSeconds: 120 }),
          daxCluster('plain', ['Logs'], { replicationFactor: 1, encryption: false }),
        ],
      }),
    );
  });

  function doc(prefix: string): Json {
    return Object.entries(dataOf(s.tf, 'aws_iam_policy_document')).find(([k]) => k.startsWith(prefix))![1];
  }

  it('GIVEN a cluster WHEN synthesized THEN it runs encrypted with a TLS endpoint, in its subnets and security group, with its own role and parameter group', () => {
    expect(s.text).toHaveResourceWithProperties(DaxCluster, {
      cluster_name: 'users-prod-hot',
      node_type: 'dax.t3.small',
      replication_factor: 3,
      server_side_encryption: { enabled: true },
      cluster_endpoint_encryption_type: 'TLS',
      iam_role_arn: ref('aws_iam_role', idOf(s.tf, 'aws_iam_role', 'dax_hot_role_'), 'arn'),
      security_group_ids: [ref('aws_security_group', idOf(s.tf, 'aws_security_group', 'network_dax_hot_'), 'id')],
      subnet_group_name: ref('aws_dax_subnet_group', idOf(s.tf, 'aws_dax_subnet_group', 'dax_hot_subnet-group_'), 'name'),
      parameter_group_name: ref('aws_dax_parameter_group', idOf(s.tf, 'aws_dax_parameter_group', 'dax_hot_parameter-group_'), 'name'),
    });
    expect(s.text).toHaveResourceWithProperties(DaxSubnetGroup, { name: 'users-prod-hot', subnet_ids: NETWORK.subnetIds });
  });

  it('GIVEN item and query TTLs in seconds WHEN synthesized THEN the parameter group holds them in milliseconds', () => {
    expect(s.text).toHaveResourceWithProperties(DaxParameterGroup, {
      name: 'users-prod-hot',
      parameters: [
        { name: 'query-ttl-millis', value: '120000' },
        { name: 'record-ttl-millis', value: '60000' },
      ],
    });
  });

  it('GIVEN table names and ARNs WHEN synthesized THEN the role reaches exactly those tables and their indexes, names resolved in this account and partition, in the config\'s region', () => {
    const caller = Object.keys(dataOf(s.tf, 'aws_caller_identity'))[0];
    const partition = Object.keys(dataOf(s.tf, 'aws_partition'))[0];
    // The region is the config's: `data.aws_region` has no attribute that both provider 5.x and 6.x know.
    expect(dataOf(s.tf, 'aws_region')).toEqual({});
    const incidents = `arn:\${data.aws_partition.${partition}.partition}:dynamodb:${s.tf.provider.aws[0].region}:\${data.aws_caller_identity.${caller}.account_id}:table/Incidents`;
    expect(doc('dax_hot_role_permissions_').statement).toEqual([
      { sid: 'Tables', effect: 'Allow', actions: [...DAX_TABLE_ACTIONS].sort(), resources: [incidents, VENDORS] },
      { sid: 'Indexes', effect: 'Allow', actions: [...DAX_INDEX_ACTIONS].sort(), resources: [`${incidents}/index/*`, `${VENDORS}/index/*`] },
    ]);
    expect(doc('dax_hot_role_trust_').statement).toEqual([
      { sid: 'AssumeRole', effect: 'Allow', actions: ['sts:AssumeRole'], principals: [{ type: 'Service', identifiers: ['dax.amazonaws.com'] }] },
    ]);
  });

  it('GIVEN encryption false WHEN synthesized THEN the cluster has no TLS endpoint and clients use dax:// on 8111', () => {
    expect(one(s.tf, 'aws_dax_cluster', 'dax_plain_cluster_')).toMatchObject({ server_side_encryption: { enabled: false }, cluster_endpoint_encryption_type: 'NONE' });
    expect(s.tf.output['dax-plain-endpoint'].value).toBe(`dax://${ref('aws_dax_cluster', idOf(s.tf, 'aws_dax_cluster', 'dax_plain_cluster_'), 'cluster_address')}:8111`);
  });
});
