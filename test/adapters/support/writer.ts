import { isCapaError } from '../../../src/errors/capa-error.js';
import { iso27001 } from '../../../src/policies/presets/iso27001.js';
import { createCapaRegister, withRetry } from '../../../src/register/index.js';
import type { CapaStore } from '../../../src/store/contract.js';
import { actors, sampleCorrection } from '../../fixtures/events.js';

// One writer of a contention test: a register over two stores on the same database, one
// patient (the default busy or lock timeout) and one impatient (a lock is given up at
// once: StoreBusyError). A writer runs in a child process (writer-child.ts) or in the
// test's own process (one writer per pg pool); the test drives every writer through the
// same steps at the same time (writers.ts) and then checks the database.

/** How one command ended. */
export type Outcome = 'ok' | 'conflict' | 'busy' | 'other';

export interface CommandReport {
  readonly writer: string;
  readonly command: 'raise' | 'comment' | 'recordCorrection';
  readonly findingId: string;
  /** A comment's text: unique per command, so the history shows which committed. */
  readonly text: string | null;
  readonly outcome: Outcome;
  /** How many times withRetry ran the command (1 without a retry). */
  readonly attempts: number;
  readonly message: string | null;
}

export interface RaisedReport {
  readonly id: string;
  readonly reference: string;
}

/** A race round runs one comment without a retry through the impatient store; a retry round a comment and a correction with withRetry through the patient one. */
export type Phase = 'race' | 'retry';

export interface Writer {
  raise(count: number): Promise<{ raised: RaisedReport[]; reports: CommandReport[] }>;
  round(phase: Phase, round: number, findingId: string): Promise<CommandReport[]>;
  close(): Promise<void>;
}

export const CONTENTION_TENANT = 'acme';

function outcomeOf(error: unknown): Outcome {
  if (isCapaError(error, 'CAPA_CONCURRENCY')) return 'conflict';
  if (isCapaError(error, 'CAPA_STORE_BUSY')) return 'busy';
  return 'other';
}

/** A writer of a tenant over two stores of the same database; closes both when closed. */
export function writer(name: string, stores: { patient: CapaStore; impatient: CapaStore }, tenant = CONTENTION_TENANT): Writer {
  const registerOf = (store: CapaStore) => createCapaRegister({ store, policy: iso27001, tenant, verifySignature: () => true });
  const patient = registerOf(stores.patient);
  const impatient = registerOf(stores.impatient);

  async function run(
    command: CommandReport['command'],
    findingId: string,
    text: string | null,
    body: () => Promise<unknown>,
    retry: boolean,
  ): Promise<CommandReport> {
    let attempts = 0;
    const once = () => {
      attempts += 1;
      return body();
    };
    try {
      await (retry ? withRetry(once, { attempts: 20 }) : once());
      return { writer: name, command, findingId, text, outcome: 'ok', attempts, message: null };
    } catch (error) {
      const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      return { writer: name, command, findingId, text, outcome: outcomeOf(error), attempts, message };
    }
  }

  return {
    async raise(count) {
      const raised: RaisedReport[] = [];
      const reports: CommandReport[] = [];
      for (let i = 0; i < count; i++) {
        let finding: RaisedReport | null = null;
        const report = await run('raise', '', null, async () => {
          const result = await patient.raise({
            actor: actors.raiser,
            finding: {
              title: `Leavers kept active accounts (${name} ${i})`,
              description: 'Two leavers kept active accounts for weeks after leaving.',
              requirement: { kind: 'standard', framework: 'ISO/IEC 27001:2022', reference: 'A.5.18' },
              observedEvidence: 'Directory export vs HR list',
              affected: { process: 'Joiner-mover-leaver' },
              source: { kind: 'internal-audit', reference: `IA-${name}` },
              grade: 'major',
              owner: { id: actors.owner.id, name: actors.owner.name },
              detectedAt: '2026-03-01T10:00:00Z',
            },
          });
          finding = { id: result.id, reference: result.reference };
        }, false);
        reports.push(finding === null ? report : { ...report, findingId: (finding as RaisedReport).id });
        if (finding !== null) raised.push(finding);
      }
      return { raised, reports };
    },

    async round(phase, round, findingId) {
      const text = `${name}/${phase}/${round}`;
      if (phase === 'race') {
        return [await run('comment', findingId, text, () => impatient.comment({ actor: actors.raiser, findingId, text }), false)];
      }
      return [
        await run('comment', findingId, text, () => patient.comment({ actor: actors.raiser, findingId, text }), true),
        await run('recordCorrection', findingId, null, () => patient.recordCorrection({ actor: actors.owner, findingId, correction: sampleCorrection() }), true),
      ];
    },

    async close() {
      await Promise.all([stores.patient.close(), stores.impatient.close()]);
    },
  };
}
