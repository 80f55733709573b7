// `npm run demo`: walks DOMAIN.md scenario 1 (the leavers) to closure with the lifecycle
// machine, in memory, printing each step and why each refused step was refused.
import { type CapaContext, formatCapaError, CapaTransitionError, iso27001 } from 'capa-kit';
import { leavers, walk } from './scenarios/index.js';

const useColor = process.stdout.isTTY === true && process.env.NO_COLOR === undefined;
const paint = (code: string, text: string) => (useColor ? `\u001b[${code}m${text}\u001b[0m` : text);
const green = (text: string) => paint('32', text);
const red = (text: string) => paint('31', text);
const dim = (text: string) => paint('2', text);
const bold = (text: string) => paint('1', text);

function describe(context: CapaContext): string {
  const parts = [`grade ${context.grade ?? '-'}`];
  if (context.dueDate !== null) parts.push(`due ${context.dueDate}`);
  if (context.recurrenceCount > 0) parts.push(`recurrences ${context.recurrenceCount}`);
  return parts.join(', ');
}

console.log(bold(`capa-kit demo: ${leavers.name}`));
console.log(`${leavers.summary}`);
console.log(dim(`Policy: ${iso27001.name} (${iso27001.id} ${iso27001.version})\n`));

let refused = 0;
let stepNumber = 0;
let last: CapaContext | undefined;
for (const { step, snapshot, refusal } of walk(leavers)) {
  stepNumber += 1;
  const when = step.event.at.slice(0, 10);
  console.log(`${String(stepNumber).padStart(2)}. ${when} ${step.say} ${dim(`[${step.event.type}]`)}`);
  if (refusal !== null) {
    refused += 1;
    const error = new CapaTransitionError(String(snapshot.value), step.event.type, refusal);
    console.log(red(`    ✗ refused`));
    for (const line of formatCapaError(error).split('\n').slice(1)) console.log(red(`    ${line.trim()}`));
  } else {
    console.log(green(`    → ${String(snapshot.value)}`) + dim(` (${describe(snapshot.context)})`));
  }
  last = snapshot.context;
}

if (last === undefined || last.closure === null) {
  console.error(red('\nThe scenario did not reach closure.'));
  process.exit(1);
}
console.log(bold(`\nClosed on ${last.closure.closedAt.slice(0, 10)} by ${last.closure.closedBy.name}.`));
console.log(`Root cause: ${last.rootCause?.statement ?? '-'}`);
console.log(`Effectiveness: ${last.reviews.at(-1)?.result ?? '-'} (${last.reviews.at(-1)?.method ?? '-'})`);
console.log(`Closure evidence: ${last.closure.evidence.map((e) => e.title).join('; ')}`);
console.log(dim(`${refused} steps were refused on the way, each with the requirement it missed.`));
