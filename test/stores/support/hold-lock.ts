// Opens a file store in another process and holds it until its stdin closes; run with
//   node --import tsx test/stores/support/hold-lock.ts <directory>
// Prints `held <pid>` once the store is open, or `refused <message>` when it cannot open it.
import process from 'node:process';
import { fileStore } from '../../../src/stores/file/index.js';

const directory = process.argv[2];
if (directory === undefined) throw new Error('usage: hold-lock.ts <directory>');
try {
  const store = await fileStore(directory);
  process.stdout.write(`held ${process.pid}\n`);
  process.stdin.resume();
  process.stdin.on('end', () => {
    void store.close().then(() => process.exit(0));
  });
} catch (error) {
  process.stdout.write(`refused ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(2);
}
