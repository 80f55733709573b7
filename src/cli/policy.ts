import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { defineSeverityPolicy } from '../policies/define.js';
import { iso27001 } from '../policies/presets/iso27001.js';
import { soc2 } from '../policies/presets/soc2.js';
import type { SeverityPolicy } from '../schemas/severity-policy.js';
import { CliExit, type CliIo } from './io.js';
import { EXIT } from './exit-codes.js';

const PRESETS: Readonly<Record<string, SeverityPolicy>> = { iso27001, soc2 };

/** `--policy`: a preset's name (`iso27001`, `soc2`) or a JSON file with a severity policy, checked. */
export function loadPolicy(io: CliIo, value: string): SeverityPolicy {
  const preset = PRESETS[value];
  if (preset !== undefined) return preset;
  let text: string;
  try {
    text = readFileSync(resolve(io.cwd, value), 'utf8');
  } catch (error) {
    throw new CliExit(
      `--policy ${value}: not a preset (${Object.keys(PRESETS).join(', ')}) and not a readable file (${(error as NodeJS.ErrnoException).code ?? 'unreadable'}).`,
      EXIT.unusable,
    );
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new CliExit(`--policy ${value}: the file is not JSON.`, EXIT.unusable);
  }
  // A bad policy is a CapaValidationError naming each field: main formats it.
  return defineSeverityPolicy(data);
}
