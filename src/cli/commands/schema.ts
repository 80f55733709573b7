import { buildLogJsonSchema } from '../../log/format/json-schema.js';
import { buildJsonSchema } from '../../schemas/json-schema.js';
import { type CliIo } from '../io.js';
import { EXIT } from '../exit-codes.js';

/** `capa schema`: the JSON Schema of a log line (or, with --records, of every record). */
export async function schemaCommand(io: CliIo, args: { readonly records: boolean }): Promise<number> {
  io.stdout.write(`${JSON.stringify(args.records ? buildJsonSchema() : buildLogJsonSchema(), null, 2)}\n`);
  return EXIT.ok;
}
