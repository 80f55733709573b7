import type { SqlDialect } from './dialect.js';
import type { SqlStatement } from './program.js';

/**
 * Collects a statement's parameters and hands out their placeholders (`?` or `$n`). Add
 * them in the order their placeholders appear in the SQL text: SQLite's `?` are positional.
 */
export interface Parameters {
  /** Adds a parameter; returns its placeholder. */
  add(value: unknown): string;
  /** Adds each value; returns their placeholders, comma-separated. */
  list(values: readonly unknown[]): string;
  /** The statement of `sql` with the parameters added so far. */
  statement(sql: string): SqlStatement;
}

export function parameters(dialect: SqlDialect): Parameters {
  const values: unknown[] = [];
  const self: Parameters = {
    add(value) {
      values.push(value);
      return dialect.placeholder(values.length);
    },
    list: (list) => list.map((value) => self.add(value)).join(', '),
    statement: (sql) => ({ sql, params: values }),
  };
  return self;
}
