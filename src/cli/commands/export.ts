import { exportCsv } from '../../log/csv/export.js';
import { exportLog } from '../../log/export/export-log.js';
import { EXIT } from '../exit-codes.js';
import { CliExit, type CliIo } from '../io.js';
import { type OpenedStore, openStoreForReading } from '../open-store.js';
import { openOutput, pipeTo } from '../output.js';
import { loadPolicy } from '../policy.js';
import { feedback, type FeedbackOptions } from '../progress.js';
import { parseStoreLocation } from '../store-location.js';

/** What `capa export` was given. */
export interface ExportArgs extends FeedbackOptions {
  readonly store: string;
  readonly tenant: string;
  readonly policy: string;
  readonly organisation?: string;
  readonly format: 'json' | 'csv';
  readonly bom: boolean;
  readonly out?: string;
  readonly allowEmpty?: boolean;
}

/**
 * `capa export`: the tenant's log from a store, as the JSON log (streamed line by line) or
 * as CSV. The store is opened read-only (it must be there, nothing is created) and the
 * tenant must hold records unless `--allow-empty`: a mistyped store or tenant is exit 2,
 * never an empty log that a later check passes.
 */
export async function exportCommand(io: CliIo, args: ExportArgs): Promise<number> {
  if (args.bom && args.format !== 'csv') throw new CliExit('--bom applies to --format csv only.', EXIT.unusable);
  const location = parseStoreLocation(args.store, io.cwd);
  const policy = loadPolicy(io, args.policy);
  const shows = feedback(io, args);
  const opened: OpenedStore = await openStoreForReading(location, args.tenant, args.allowEmpty === true);
  const output = openOutput(io, args.out);
  const shown = shows.progress('exported', null);
  try {
    const log = () => exportLog(opened.store, { tenant: args.tenant, policy, organisation: args.organisation ?? null, clock: io.now });
    if (args.format === 'json') {
      const head = await pipeTo(counted(log(), shown), output);
      shows.note(`Exported tenant ${args.tenant} from ${opened.description}; log head ${head.tenantSequence}:${head.hash}`);
    } else {
      // The CSV export reads the log twice (actions first, then findings): nothing is held in memory.
      await pipeTo(counted(exportCsv(log, { bom: args.bom, policy }), shown), output);
      shows.note(`Exported tenant ${args.tenant} from ${opened.description} as CSV`);
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
