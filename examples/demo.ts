// `npm run demo [-- --dir PATH]`: the three DOMAIN.md scenarios through the CAPA register
// on the file store (a fresh temporary directory unless --dir names one), printing each
// step, why each refused step was refused, and then the Nonconformity and Corrective
// Action Log with its verified history.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { type CorrectiveAction, type Finding, formatCapaError, iso27001 } from 'capa-kit';
import { createCapaRegister } from 'capa-kit/register';
import { fileStore } from 'capa-kit/stores/file';
import { accessReviews, leavers, runThroughRegister, suppliers } from './scenarios/index.js';

const { values } = parseArgs({ options: { dir: { type: 'string' } } });
const dir = values.dir === undefined ? mkdtempSync(join(tmpdir(), 'capa-demo-')) : resolve(values.dir);

const useColor = process.stdout.isTTY === true && process.env.NO_COLOR === undefined;
const paint = (code: string) => (text: string) => (useColor ? `\u001b[${code}m${text}\u001b[0m` : text);
const [green, red, dim, bold] = [paint('32'), paint('31'), paint('2'), paint('1')];

const store = await fileStore(dir);
try {
  let current = '';
  let refused = 0;
  for await (const { scenario, step, finding, error } of runThroughRegister(store, [leavers, suppliers, accessReviews])) {
    if (scenario.name !== current) {
      current = scenario.name;
      console.log(bold(`\n${scenario.name}: ${scenario.summary}`));
    }
    const head = `  ${step.event.at.slice(0, 10)} ${step.say} ${dim(`[${step.event.type}]`)}`;
    if (error !== null) {
      refused += 1;
      console.log(head);
      for (const line of formatCapaError(error).split('\n')) console.log(red(`      ${line.trim()}`));
    } else {
      const where = finding === null ? '' : `${finding.reference} → ${finding.status}`;
      console.log(`${head}\n      ${green(where)}`);
    }
  }

  const register = createCapaRegister({ store, policy: iso27001, tenant: 'acme' });
  const findings: Finding[] = [];
  for (let cursor: string | undefined; ; ) {
    const page = await register.query({}, { limit: 100, ...(cursor === undefined ? {} : { cursor }) });
    findings.push(...page.findings);
    if (page.cursor === null) break;
    cursor = page.cursor;
  }

  console.log(bold('\nNonconformity and Corrective Action Log (tenant acme)'));
  for (const f of findings) {
    const actions: CorrectiveAction[] = await Promise.all(f.correctiveActionIds.map((id) => register.getAction(id)));
    const review = f.effectivenessReviews.at(-1);
    console.log(`\n${bold(f.reference)}  ${f.title}`);
    console.log(`  grade ${f.grade}, status ${f.status}, due ${f.dueDate ?? '-'}, source ${f.source.kind}${f.source.reference ? ` ${f.source.reference}` : ''}`);
    console.log(`  requirement: ${f.requirement.kind === 'standard' ? `${f.requirement.framework} ${f.requirement.reference}` : `${f.requirement.documentId} v${f.requirement.version} ${f.requirement.title}`}`);
    console.log(`  correction: ${f.correction === null ? '-' : f.correction.kind === 'performed' ? `${f.correction.description} (${f.correction.completedAt.slice(0, 10)})` : `not applicable: ${f.correction.justification}`}`);
    console.log(`  root cause: ${f.rootCause?.statement ?? '-'} [${f.rootCause?.category ?? '-'}]`);
    for (const a of actions) {
      console.log(`  action ${a.reference ?? a.id}: ${a.status}, owner ${a.owner?.name ?? '-'}, due ${a.dueDate ?? '-'}${a.cancellation ? ` (cancelled: ${a.cancellation.reason})` : ''}`);
    }
    console.log(`  effectiveness: ${review === undefined ? '-' : `${review.result} (${review.method}, ${review.reviewedAt.slice(0, 10)})`}; recurrences ${f.recurrenceCount}`);
    console.log(`  closure evidence: ${f.closure === null ? '-' : f.closure.evidence.map((e) => e.title).join('; ')}`);
  }

  const report = await register.verifyHistory();
  const head = report.head;
  console.log(
    `\n${report.ok ? green('History verified') : red('History broken')}: ${report.records} records, ${report.entries} entries; ` +
      `log head ${head.tenantSequence}:${head.hash.slice(0, 16)}…`,
  );
  if (!report.ok) {
    console.log(red(`  first broken link: ${report.firstBroken?.message}`));
    process.exitCode = 1;
  }
  console.log(dim(`${refused} commands were refused on the way, each with the rule it broke. The store is in ${dir}`));
} finally {
  await store.close();
}
