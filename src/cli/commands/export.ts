import { exportCsv } from '../../log/csv/export.js';
import { exportLog } from '../../log/export/export-log.js';
import { CliExit, type CliIo, EXIT } from '../io.js';
import { type OpenedStore, openStore } from '../open-store.js';
import { openOutput, pipeTo } from '../output.js';
import { loadPolicy } from '../policy.js';
import { progress } from '../progress.js';

/** What `capa export` was given. */
export interface ExportArgs {
  readonly store: string;
  readonly tenant: string;
  readonly policy: string;
  readonly organisation?: string;
  readonly format: 'json' | 'csv';
  readonly bom: boolean;
  readonly out?: string;
}

/** `capa export`: the tenant's log from a store, as the JSON log (streamed line by line) or as CSV. */
export async function exportCommand(io: CliIo, args: ExportArgs): Promise<number> {
  if (args.bom && args.format !== 'csv') throw new CliExit('--bom applies to --format csv only.', EXIT.unusable);
  const policy = loadPolicy(io, args.policy);
  const opened: OpenedStore = await openStore(io, args.store, false);
  const output = openOutput(io, args.out);
  const shown = progress(io.stderr, 'exported', null);
  try {
    const log = () => exportLog(opened.store, { tenant: args.tenant, policy, organisation: args.organisation ?? null, clock: io.now });
    if (args.format === 'json') {
      const head = await pipeTo(counted(log(), shown), output);
      io.stderr.write(`Exported tenant ${args.tenant} from ${opened.description}; log head ${head.tenantSequence}:${head.hash}\n`);
    } else {
      // The CSV export reads the log twice (actions first, then findings): nothing is held in memory.
      await pipeTo(counted(exportCsv(log, { bom: args.bom, policy }), shown), output);
      io.stderr.write(`Exported tenant ${args.tenant} from ${opened.description} as CSV\n`);
    }
    return EXIT.ok;
  } finally {
    shown.done();
    await output.close();
    await opened.store.close();
  }
}

async function* counted<T>(source: AsyncGenerator<string, T, undefined>, shown: { advance(n: number): void }): AsyncGenerator<string, T, undefined> {
  for (;;) {
    const next = await source.next();
    if (next.done === true) return next.value;
    shown.advance(Buffer.byteLength(next.value));
    yield next.value;
  }
}
