import { resolveInputs } from '../../src/config/inputs';
import { TempDir } from './helpers';

let tmp: TempDir;
beforeEach(() => {
  tmp = new TempDir();
});
afterEach(() => tmp.remove());

describe('resolveInputs', () => {
  it('GIVEN no argument WHEN config/ exists THEN every *.yaml and *.yml directly in it, sorted', () => {
    for (const f of ['config/b.yaml', 'config/a.yml', 'config/c.YAML', 'config/notes.md', 'config/examples/x.yaml']) tmp.write(f, 'x');
    expect(resolveInputs([], tmp.dir)).toEqual({ files: ['config/a.yml', 'config/b.yaml', 'config/c.YAML'] });
  });

  it('GIVEN no argument and no config/ WHEN resolved THEN an error that says what to do', () => {
    expect(resolveInputs([], tmp.dir)).toEqual({ error: 'no config/ directory here: name the config files or directories to check' });
  });

  it('GIVEN files and directories WHEN resolved THEN files as given, directories expanded, repeats dropped', () => {
    tmp.write('svc.yaml', 'x');
    tmp.write('more/one.yaml', 'x');
    expect(resolveInputs(['svc.yaml', 'more', './svc.yaml', 'more/one.yaml'], tmp.dir)).toEqual({ files: ['svc.yaml', 'more/one.yaml'] });
  });

  it('GIVEN a file with another extension WHEN named explicitly THEN it is taken', () => {
    tmp.write('svc.conf', 'x');
    expect(resolveInputs(['svc.conf'], tmp.dir)).toEqual({ files: ['svc.conf'] });
  });

  it('GIVEN a missing path WHEN resolved THEN an error naming it', () => {
    expect(resolveInputs(['nope.yaml'], tmp.dir)).toEqual({ error: 'nope.yaml: no such file or directory' });
  });

  it('GIVEN a directory without config files WHEN resolved THEN an error', () => {
    tmp.write('empty/readme.md', 'x');
    expect(resolveInputs(['empty/'], tmp.dir)).toEqual({ error: 'empty/: no *.yaml or *.yml files in this directory' });
  });
});
