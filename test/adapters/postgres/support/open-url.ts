// A child process for missing-pg.test.ts: opens a store over the connection string in
// argv[2] and prints what happened as JSON (the error's name, code and message).
import { postgresStore } from '../../../../src/adapters/postgres/index.js';

try {
  const store = await postgresStore(process.argv[2]!);
  await store.close();
  process.stdout.write(JSON.stringify({ opened: true }));
} catch (error) {
  const { name, code, message } = error as { name: string; code?: string; message: string };
  process.stdout.write(JSON.stringify({ name, code, message }));
}
