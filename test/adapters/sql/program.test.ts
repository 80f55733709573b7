import { describe, expect, it } from 'vitest';
import { driveAsync, driveSync, type SqlProgram, type SqlStatement } from '../../../src/adapters/sql/program.js';

// Store logic is written as programs that yield statements; runners drive them. A driver
// error must come back into the program at the statement that caused it.

function* program(): SqlProgram<string> {
  const [first] = yield { sql: 'SELECT 1 AS one', params: [] };
  try {
    yield { sql: 'INSERT duplicate', params: [first?.one] };
  } catch (error) {
    return `caught ${(error as Error).message}`;
  }
  return 'no error';
}

const execute = (statement: SqlStatement) => {
  if (statement.sql.startsWith('INSERT')) throw new Error(`duplicate ${String(statement.params[0])}`);
  return [{ one: 1 }];
};

describe('driving programs', () => {
  it('synchronously: rows go in, a thrown error is thrown into the program', () => {
    expect(driveSync(program(), execute)).toBe('caught duplicate 1');
  });

  it('asynchronously, the same', async () => {
    expect(await driveAsync(program(), async (statement) => execute(statement))).toBe('caught duplicate 1');
  });

  it('an error the program does not catch comes out of the driver', async () => {
    function* careless(): SqlProgram<void> {
      yield { sql: 'INSERT x', params: [7] };
    }
    expect(() => driveSync(careless(), execute)).toThrow('duplicate 7');
    await expect(driveAsync(careless(), async (statement) => execute(statement))).rejects.toThrow('duplicate 7');
  });
});
