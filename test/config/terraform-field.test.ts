/**
 * `terraform.awsProvider`: the AWS provider constraint written into every stack.
 * A value Terraform's constraint parser would reject is a schema-pattern error
 * at its line; the model carries the value as written, or the default.
 */
import { DEFAULT_AWS_PROVIDER_CONSTRAINT, TF_VERSION_CONSTRAINT_PATTERN } from '../../src/config/constants';
import { MINIMAL, places, TempDir } from './helpers';

let tmp: TempDir;
beforeEach(() => {
  tmp = new TempDir();
});
afterEach(() => tmp.remove());

function load(body: string, env?: string) {
  return tmp.load([tmp.write('svc.yaml', `${MINIMAL}${body}`)], env ? { env } : {});
}

describe('terraform.awsProvider', () => {
  it('GIVEN no terraform section WHEN loaded THEN the model requires ">= 5.100, < 7.0"', () => {
    const r = load('');
    expect(r.diagnostics).toEqual([]);
    expect(r.models[0].terraform).toEqual({ awsProvider: '>= 5.100, < 7.0' });
    expect(DEFAULT_AWS_PROVIDER_CONSTRAINT).toBe('>= 5.100, < 7.0');
  });

  it('GIVEN "~> 6.25" WHEN loaded THEN the model has exactly that', () => {
    const r = load('terraform:\n  awsProvider: "~> 6.25"\n');
    expect(r.diagnostics).toEqual([]);
    expect(r.models[0].terraform.awsProvider).toBe('~> 6.25');
  });

  it('GIVEN an environment that changes the constraint WHEN loaded THEN only its stack gets it', () => {
    const r = load('terraform:\n  awsProvider: "~> 5.100"\nenvironments:\n  dev:\n    terraform: { awsProvider: "~> 6.25" }\n  prod: {}\n');
    expect(r.diagnostics).toEqual([]);
    expect(Object.fromEntries(r.models.map((m) => [m.stackName, m.terraform.awsProvider]))).toEqual({ 'svc-dev': '~> 6.25', 'svc-prod': '~> 5.100' });
  });

  it.each(['v5.100', '5.*', '>= 5.100,', '==5', '>5.1.2.3', '5.x', '', 'latest'])(
    'GIVEN %j, which terraform init rejects, WHEN loaded THEN schema-pattern at the value, in words',
    (value) => {
      const r = load(`terraform:\n  awsProvider: ${JSON.stringify(value)}\n`);
      expect(places(r)).toEqual(['schema-pattern 5:16']);
      expect(r.diagnostics[0].path).toBe('terraform.awsProvider');
      expect(r.diagnostics[0].message).toContain('must be a Terraform version constraint');
      expect(r.diagnostics[0].message).toContain(`received string ${JSON.stringify(value)}`);
    },
  );

  // Each of these was given to `terraform init` with the 5.100 plugin dir: accepted as syntax.
  it.each(['5.100', '>=5.100,<7.0', '= 5.100.0', ' >= 5.100 , < 7.0 ', '~>5', '5.100.0-beta1', '=5.100.0+x', '!=6.0.0, >=5.100'])(
    'GIVEN %j, which terraform init parses, WHEN matched THEN the pattern accepts it',
    (value) => {
      expect(new RegExp(TF_VERSION_CONSTRAINT_PATTERN).test(value)).toBe(true);
    },
  );

  it('GIVEN an unknown key in terraform WHEN loaded THEN an error names it', () => {
    const r = load('terraform:\n  aws: "~> 6.0"\n');
    expect(r.diagnostics.map((d) => d.severity)).toEqual(['error']);
    expect(r.diagnostics[0].path).toBe('terraform.aws');
  });
});
