import { ALL_CODE_META, PHASE_CODES } from '../../src/config/codes';
import { RULE_CODES } from '../../src/config/diagnostics';

describe('code metadata', () => {
  it('GIVEN the phase codes THEN they are exactly the loader codes of RULE_CODES (file-, yaml-, schema-, path-outside-project and duplicate-stack)', () => {
    // The loader's own codes: reading (and where files may be read from), YAML, the schema, and the one check across files.
    const phase = RULE_CODES.filter((c) => /^(file|yaml|schema)-/.test(c) || c === 'duplicate-stack' || c === 'path-outside-project');
    expect(PHASE_CODES.map((m) => m.code)).toEqual(phase);
  });

  it('GIVEN ALL_CODE_META THEN every code of RULE_CODES appears once, with a one-line description', () => {
    const codes = ALL_CODE_META.map((m) => m.code);
    expect([...codes].sort()).toEqual([...RULE_CODES].sort());
    for (const m of ALL_CODE_META) expect(m.description).toMatch(/^[^\n]+$/);
  });
});
