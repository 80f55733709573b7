// The exit codes of every `capa` command, written once: the commands return them, main
// maps failures to them, `capa --help` prints them, and docs/cli.md and the CI guide show
// the same table (test/cli/exit-codes.test.ts compares them). Kept free of imports and of
// newer syntax: the launcher (bin.ts) uses it on any Node.

/** One exit code: the number, what it means in a few words, and what falls under it. */
interface ExitCode {
  readonly code: number;
  readonly meaning: string;
  readonly cases: string;
}

/** Every exit code, in order. A CI step fails on anything but 0, which is right for 1 and 2 alike. */
export const EXIT_CODES = {
  ok: { code: 0, meaning: 'done, nothing wrong', cases: 'warnings alone pass unless --strict' },
  failed: {
    code: 1,
    meaning: 'the input failed',
    cases: 'a log with errors (or warnings, with --strict); a file that is not a log; an import refused for bad rows',
  },
  unusable: {
    code: 2,
    meaning: 'the command could not run',
    cases:
      'usage (a wrong option or argument); configuration (a store that is not there, an empty tenant, a bad policy file); ' +
      'the environment (an old Node, a missing driver); an internal failure (one line; the stack with --debug)',
  },
} as const satisfies Record<string, ExitCode>;

/** The codes by name, for the commands to return. */
export const EXIT = { ok: EXIT_CODES.ok.code, failed: EXIT_CODES.failed.code, unusable: EXIT_CODES.unusable.code } as const;

const ordered = (): readonly ExitCode[] => [EXIT_CODES.ok, EXIT_CODES.failed, EXIT_CODES.unusable];

/** The table as `capa --help` (and every command's help) prints it. */
export function exitCodesHelp(): string {
  return ['Exit codes (every command):', ...ordered().map(({ code, meaning, cases }) => `  ${code}  ${meaning}: ${cases}`)].join('\n');
}

/** The table as docs/cli.md and the guides show it, in Markdown. */
export function exitCodesMarkdown(): string {
  const sentence = (text: string) => `${text.charAt(0).toUpperCase()}${text.slice(1)}`.replace(/(--[a-z-]+)/g, '`$1`');
  return [
    '| Code | Meaning | For example |',
    '| --- | --- | --- |',
    ...ordered().map(({ code, meaning, cases }) => `| **${code}** | ${sentence(meaning)}. | ${sentence(cases)}. |`),
  ].join('\n');
}
