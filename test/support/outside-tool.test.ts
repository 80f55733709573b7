import { describe, expect, it } from 'vitest';
import { inCi, toolVerdict } from './outside-tool.js';

describe('tests that need an outside tool', () => {
  const here = { name: 'LibreOffice (/usr/bin/soffice)', available: true, install: 'apt-get install -y libreoffice-calc-nogui' };
  const missing = { ...here, available: false };

  it('run when the tool is here, locally and in CI', () => {
    expect(toolVerdict(here, {})).toEqual({ run: true, message: null, fail: false });
    expect(toolVerdict(here, { CI: 'true' })).toEqual({ run: true, message: null, fail: false });
  });

  it('skip with a message that says how to install the tool when it is missing locally', () => {
    expect(toolVerdict(missing, {})).toEqual({ run: false, fail: false, message: 'Skipping: LibreOffice (/usr/bin/soffice) is not installed (apt-get install -y libreoffice-calc-nogui).' });
  });

  it('fail under CI=true when the tool is missing', () => {
    const verdict = toolVerdict(missing, { CI: 'true' });
    expect(verdict.fail).toBe(true);
    expect(verdict.run).toBe(false);
    expect(verdict.message).toContain('CI=true');
  });

  it('read CI as most CI services set it', () => {
    for (const value of ['true', '1', 'TRUE', 'yes']) expect(inCi({ CI: value }), value).toBe(true);
    for (const value of [undefined, '', '0', 'false', 'False']) expect(inCi(value === undefined ? {} : { CI: value }), String(value)).toBe(false);
  });
});
