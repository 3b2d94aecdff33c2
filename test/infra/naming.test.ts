import { constructIds, fitName, logicalIdOf, NAME_RULES, pathId, physicalName, redisParameterFamily, ResourceNames, shortHash } from '../../src/infra/naming';

describe('physical names', () => {
  it.each([
    ['daxCluster', 20],
    ['redisReplicationGroup', 40],
    ['lambdaFunction', 64],
    ['iamRole', 64],
    ['eventRule', 64],
  ] as const)('GIVEN a long service, environment and name WHEN a %s name is built THEN it fits in %i characters and ends with a hash of the full name', (kind, max) => {
    const service = 'customer-notification-preferences';
    const name = physicalName(kind, service, 'production', 'sessions-primary-replica-group');
    const full = `${service}-production-sessions-primary-replica-group`;
    expect(name.length).toBeLessThanOrEqual(max);
    expect(name.endsWith(`-${shortHash(full)}`)).toBe(true);
    expect(name.startsWith(full.slice(0, 5))).toBe(true);
    expect(physicalName(kind, service, 'production', 'sessions-primary-replica-group')).toBe(name);
  });

  it('GIVEN a name within the limit WHEN built THEN it is `<stack>-<name>` unchanged', () => {
    expect(new ResourceNames('users-prod').functionName('profile')).toBe('users-prod-profile');
    expect(new ResourceNames('users-prod').daxClusterName('hot')).toBe('users-prod-hot');
    expect(new ResourceNames('users-prod').redisReplicationGroupId('sessions')).toBe('users-prod-sessions');
  });

  it('GIVEN two long names that differ only at the end WHEN shortened THEN they stay distinct', () => {
    const a = physicalName('daxCluster', 'user-service', 'prod', 'cluster-a');
    const b = physicalName('daxCluster', 'user-service', 'prod', 'cluster-b');
    expect(a).not.toBe(b);
    expect(a.slice(0, 13)).toBe(b.slice(0, 13));
  });

  it('GIVEN a double hyphen WHEN an ElastiCache or DAX name is built THEN it is collapsed and hashed, because those services refuse `--`', () => {
    const name = fitName('a--b-prod-c', NAME_RULES.redisReplicationGroup);
    expect(name).toBe(`a-b-prod-c-${shortHash('a--b-prod-c')}`);
    expect(name).not.toMatch(/--/);
    expect(fitName('a--b-prod-c', NAME_RULES.lambdaFunction)).toBe('a--b-prod-c');
  });

  it('GIVEN a cut that ends on a hyphen WHEN shortened THEN no hyphen doubles up before the hash', () => {
    const name = fitName('abcdefghijkl-nopqrstuvwxyz', NAME_RULES.daxCluster);
    expect(name).toBe(`abcdefghijkl-${shortHash('abcdefghijkl-nopqrstuvwxyz')}`);
    expect(name.length).toBe(19);
  });

  it('GIVEN a handler name with hyphens WHEN its AppSync data source is named THEN hyphens become underscores', () => {
    expect(new ResourceNames('users-prod').graphqlDataSourceName('get-user')).toBe('lambda_get_user');
  });

  it('GIVEN resources of different kinds named after the same config name WHEN named THEN roles and security groups never collide', () => {
    const n = new ResourceNames('users-prod');
    const roles = [n.handlerRoleName('hot'), n.daxRoleName('hot'), n.graphqlLogRoleName('hot'), n.graphqlDataSourceRoleName('hot'), n.warmerRoleName()];
    expect(new Set(roles).size).toBe(roles.length);
    const groups = [n.handlerSecurityGroupName('hot'), n.redisSecurityGroupName('hot'), n.daxSecurityGroupName('hot')];
    expect(new Set(groups).size).toBe(groups.length);
  });

  it.each([
    ['valkey', '7.2', 'valkey7'],
    ['valkey', '8.1', 'valkey8'],
    ['redis', '6.2', 'redis6.x'],
    ['redis', '7.1', 'redis7'],
  ] as const)('GIVEN %s %s WHEN the parameter group family is chosen THEN it is %s', (engine, version, family) => {
    expect(redisParameterFamily(engine, version)).toBe(family);
  });

  it('GIVEN a family with a dot WHEN the parameter group is named THEN the dot becomes a hyphen', () => {
    expect(new ResourceNames('users-prod').redisParameterGroupName('sessions', 'redis6.x')).toBe('users-prod-sessions-redis6-x');
  });
});

describe('construct ids and Terraform addresses', () => {
  it('GIVEN paths that read alike WHEN turned into construct ids THEN the ids differ', () => {
    const ids = ['/users/{id}', '/users/id', '/users-id', '/users_id', '/users/{id+}'].map(pathId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(pathId('/')).toBe('root');
    expect(constructIds.endpoint('GET', '/users/{userId}')).toBe('GET:users:{userId}');
  });

  it('GIVEN a construct path WHEN its logical id is made THEN it reads like the path and ends with a hash of it', () => {
    expect(logicalIdOf(['rest-api', 'GET:users:{userId}', 'method'])).toMatch(/^rest-api_GET_users_userId_method_[0-9A-F]{8}$/);
    expect(logicalIdOf(['handler:profile', 'role', 'Resource'])).toMatch(/^handler_profile_role_[0-9A-F]{8}$/);
    expect(logicalIdOf(['rest-api-url'])).toBe('rest-api-url');
  });

  it('GIVEN two paths whose readable forms are equal WHEN made into logical ids THEN the hashes keep them apart', () => {
    const a = logicalIdOf(['rest-api', 'resource:users:{id}']);
    const b = logicalIdOf(['rest-api', 'resource:users:id']);
    expect(a.replace(/_[0-9A-F]{8}$/, '')).toBe(b.replace(/_[0-9A-F]{8}$/, ''));
    expect(a).not.toBe(b);
  });
});
