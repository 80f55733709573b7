/**
 * Shallow root cause detection (ISO/IEC 27001 Clause 10.2 c: "determining the causes").
 *
 * Auditors reject root causes that name a symptom ("human error", "staff forgot") or
 * that only restate the finding. A substring list is not enough: "no control prevents
 * human error in offboarding" contains "human error" but names a missing control and
 * where it is missing. So the rule is:
 *
 * 1. Normalise: Unicode compatibility forms, accents, casing, apostrophes, contractions
 *    and punctuation are ignored; words get a light stem (plural s, -ed, -ing, final e),
 *    so phrases match whole words only ("error" never matches "terror").
 * 2. Remove every configured symptom phrase (longest first) and the filler around it
 *    ("the root cause was", "due to", "staff", "the administrator", "the procedure"...).
 *    If no content word is left, the statement is the symptom and nothing else.
 * 3. Compare what is left with the finding's title. Title words add nothing; other
 *    content words are new. The statement restates the finding when it adds at most one
 *    new word and at least 80% of its content words come from the title. So "leavers'
 *    accounts stayed active" restates "Leavers kept active accounts", while "the leaver
 *    procedure has no IT confirmation step" does not. With a symptom phrase, the phrase
 *    counts as a known word and two thirds suffice (see `addsNothing`).
 *
 * Pure and dependency-free: it runs in guards and in browsers.
 *
 * @module
 */

/**
 * Why a root cause statement was judged shallow.
 *
 * - `empty`: it says nothing: blank, punctuation only, or nothing but filler words
 *   ("It was the staff", "TBD").
 * - `symptom`: it names a configured symptom phrase ("human error") and nothing beyond
 *   it except words of the finding's title.
 * - `restates-finding`: it only restates the finding's title.
 *
 * @example
 * ```ts
 * import { judgeRootCause, DEFAULT_SHALLOW_CAUSE_PHRASES, type ShallowCauseReason } from 'capa-kit';
 *
 * const reason: ShallowCauseReason | null = judgeRootCause('Human error.', {
 *   phrases: DEFAULT_SHALLOW_CAUSE_PHRASES,
 * }).reason; // 'symptom'
 * ```
 */
export type ShallowCauseReason = 'empty' | 'symptom' | 'restates-finding';

/**
 * The result of {@link judgeRootCause}.
 *
 * @example
 * ```ts
 * import { judgeRootCause, DEFAULT_SHALLOW_CAUSE_PHRASES, type ShallowCauseVerdict } from 'capa-kit';
 *
 * const verdict: ShallowCauseVerdict = judgeRootCause('Procedure not followed', {
 *   phrases: DEFAULT_SHALLOW_CAUSE_PHRASES,
 * });
 * // { shallow: true, reason: 'symptom', matched: 'procedure not followed' }
 * ```
 */
export interface ShallowCauseVerdict {
  readonly shallow: boolean;
  /** Why it is shallow; `null` when it is not. */
  readonly reason: ShallowCauseReason | null;
  /** The configured phrase that matched, for `symptom`. */
  readonly matched: string | null;
}

/**
 * Options for {@link judgeRootCause}.
 *
 * `phrases` usually comes from the severity policy (`shallowCause.phrases`); treat the
 * array as immutable between calls (it is compiled once per array and re-checked cheaply).
 *
 * @example
 * ```ts
 * import { DEFAULT_SHALLOW_CAUSE_PHRASES, type ShallowCauseOptions } from 'capa-kit';
 *
 * const options: ShallowCauseOptions = {
 *   phrases: [...DEFAULT_SHALLOW_CAUSE_PHRASES, 'system glitch'],
 *   findingTitle: 'Leavers kept active accounts',
 * };
 * ```
 */
export interface ShallowCauseOptions {
  readonly phrases: readonly string[];
  /** The finding's title: a cause that only restates it is shallow. */
  readonly findingTitle?: string;
}


/**
 * Judges whether a root cause statement is shallow: empty, a symptom such as "human
 * error", or a restatement of the finding's title. Pure and fast; safe in guards.
 *
 * @param statement - The root cause as written.
 * @param options - The symptom phrases (from the severity policy) and, optionally, the finding's title.
 * @returns The verdict, with the reason and the configured phrase that matched.
 *
 * @example
 * ```ts
 * import { judgeRootCause, DEFAULT_SHALLOW_CAUSE_PHRASES } from 'capa-kit';
 *
 * const options = { phrases: DEFAULT_SHALLOW_CAUSE_PHRASES, findingTitle: 'Leavers kept active accounts' };
 *
 * judgeRootCause('It was human error.', options);
 * // { shallow: true, reason: 'symptom', matched: 'human error' }
 * judgeRootCause("Leavers' accounts stayed active", options);
 * // { shallow: true, reason: 'restates-finding', matched: null }
 * judgeRootCause('No control prevents human error in offboarding', options);
 * // { shallow: false, reason: null, matched: null }
 * ```
 */
export function judgeRootCause(statement: string, options: ShallowCauseOptions): ShallowCauseVerdict {
  const tokens = tokenize(statement);
  const phrases = compilePhrases(options.phrases);

  // Mark the tokens covered by symptom phrases, longest phrase first, so that
  // "procedure not followed" is reported rather than "not followed".
  const covered = new Array<boolean>(tokens.length).fill(false);
  let matched: string | null = null;
  for (const phrase of phrases) {
    if (markOccurrences(tokens, phrase.stems, covered) && matched === null) matched = phrase.source;
  }

  const content = new Set<string>();
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (token !== undefined && !covered[i] && !FILLER.has(token)) content.add(token);
  }

  if (content.size === 0) return matched === null ? EMPTY : verdict('symptom', matched);

  const title = options.findingTitle;
  if (title !== undefined && addsNothing(content, titleStems(title), matched !== null)) {
    return matched === null ? RESTATES : verdict('symptom', matched);
  }
  return NOT_SHALLOW;
}

// ---------------------------------------------------------------------------
// The restatement rule

/**
 * True when `content` adds (nearly) nothing to the title: at most one word that is not
 * in the title, and the known words make up at least 80% of the statement (so one new
 * word needs four known ones: "No owner for the quarterly access review" names an owner
 * and is a cause). A statement that already names a symptom gets less benefit of the
 * doubt: the phrase counts as one known word and two thirds suffice, so "an
 * administrator forgot to disable the leavers' accounts" is still the symptom, while
 * "human error in offboarding" names a place and is not.
 */
function addsNothing(content: ReadonlySet<string>, title: ReadonlySet<string>, symptom: boolean): boolean {
  let known = symptom ? 1 : 0;
  let added = 0;
  for (const word of content) {
    if (title.has(word)) known++;
    else added++;
  }
  const ratio = symptom ? 2 / 3 : 0.8;
  return known >= 1 && added <= 1 && known >= ratio * (known + added);
}

// A one-entry cache: guards call this repeatedly for the same finding.
let lastTitle: string | null = null;
let lastTitleStems: ReadonlySet<string> = new Set();

function titleStems(title: string): ReadonlySet<string> {
  if (title !== lastTitle) {
    lastTitleStems = new Set(tokenize(title).filter((t) => !FILLER.has(t)));
    lastTitle = title;
  }
  return lastTitleStems;
}

// ---------------------------------------------------------------------------
// Phrases

interface CompiledPhrase {
  readonly source: string;
  readonly stems: readonly string[];
}

interface PhraseCacheEntry {
  readonly key: string;
  readonly compiled: readonly CompiledPhrase[];
}

// Keyed by array identity (policies are long-lived objects); the joined key catches an
// array that was mutated in place, at the cost of one join per call.
const phraseCache = new WeakMap<readonly string[], PhraseCacheEntry>();

function compilePhrases(phrases: readonly string[]): readonly CompiledPhrase[] {
  const key = phrases.join('\u0000');
  const cached = phraseCache.get(phrases);
  if (cached !== undefined && cached.key === key) return cached.compiled;

  const seen = new Set<string>();
  const compiled: CompiledPhrase[] = [];
  for (const source of phrases) {
    const stems = tokenize(source);
    const id = stems.join(' ');
    // Phrases of only punctuation or articles would match nothing useful.
    if (stems.length === 0 || seen.has(id)) continue;
    seen.add(id);
    compiled.push({ source, stems });
  }
  // Stable sort: longest first, ties in configured order.
  compiled.sort((a, b) => b.stems.length - a.stems.length);
  phraseCache.set(phrases, { key, compiled });
  return compiled;
}

/** Marks every uncovered occurrence of `phrase` in `tokens`; true if any was found. */
function markOccurrences(tokens: readonly string[], phrase: readonly string[], covered: boolean[]): boolean {
  let found = false;
  const last = tokens.length - phrase.length;
  outer: for (let i = 0; i <= last; i++) {
    for (let j = 0; j < phrase.length; j++) {
      if (covered[i + j] || tokens[i + j] !== phrase[j]) continue outer;
    }
    for (let j = 0; j < phrase.length; j++) covered[i + j] = true;
    found = true;
    i += phrase.length - 1;
  }
  return found;
}

// ---------------------------------------------------------------------------
// Normalisation

const ARTICLES = new Set(['a', 'an', 'the']);

/** Lower-cased, accent-free, stemmed words; articles dropped so phrases match with or without them. */
function tokenize(text: string): string[] {
  const normalised = text
    .normalize('NFKD') // full-width letters, ligatures, decomposed accents
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[\u2018\u2019\u02bc\u0060\u00b4\u2032]/g, "'")
    .replace(/\bcan't\b/g, 'can not')
    .replace(/\bwon't\b/g, 'will not')
    .replace(/n't\b/g, ' not')
    .replace(/'/g, ''); // "leavers'" and "leaver's" both become "leavers"
  const out: string[] = [];
  for (const word of normalised.split(/[^\p{L}\p{N}]+/u)) {
    if (word !== '' && !ARTICLES.has(word)) out.push(stem(word));
  }
  return out;
}

const VOWELS = new Set(['a', 'e', 'i', 'o', 'u', 'y']);
const UNDOUBLED = new Set(['l', 's', 'z']);

/**
 * A deliberately light stemmer: plural s, -ed, -ing, a doubled final consonant, a
 * final e. It only has to map a word and its inflections to the same key on both
 * sides of a comparison, not to produce real words.
 */
function stem(word: string): string {
  if (word.length <= 3) return word;
  let w = word;
  if (w.endsWith('ies') && w.length > 4) w = `${w.slice(0, -3)}y`;
  else if (w.endsWith('sses')) w = w.slice(0, -2);
  else if (w.endsWith('s') && !w.endsWith('ss') && !w.endsWith('us') && !w.endsWith('is')) w = w.slice(0, -1);

  if (w.endsWith('ing') && w.length > 5) w = w.slice(0, -3);
  else if (w.endsWith('ed') && w.length > 4) w = w.slice(0, -2);

  const a = w.at(-1);
  const b = w.at(-2);
  if (a !== undefined && a === b && !VOWELS.has(a) && !UNDOUBLED.has(a) && w.length > 3) w = w.slice(0, -1);
  if (w.endsWith('e') && w.length > 4) w = w.slice(0, -1);
  return w;
}

/**
 * Words that carry no cause: stop words, "the root cause was" framing, the people a
 * symptom is pinned on, weak verbs ("kept", "stayed", "made"), generic references
 * ("the procedure" without saying which) and placeholders ("TBD"). Owners, steps,
 * controls, systems, checklists, reminders and named processes are NOT here: they
 * are what a real cause names.
 */
const FILLER_WORDS = [
  // stop words
  'a', 'an', 'the', 'and', 'or', 'but', 'of', 'to', 'in', 'on', 'at', 'by', 'for', 'from', 'with', 'as', 'into',
  'about', 'up', 'out', 'off', 'over', 'this', 'that', 'these', 'those', 'there', 'here', 'it', 'its', 'be', 'is',
  'are', 'was', 'were', 'been', 'being', 'am', 'has', 'have', 'had', 'do', 'does', 'did', 'done', 'so', 'then',
  'no', 'not', 'never', 'very', 'just', 'only', 'also', 'again', 'some', 'any', 'all', 'one', 'which', 'who',
  'what', 'when', 'while', 'because', 'due', 'result', 'resulted', 'caused', 'cause', 'causes', 'reason', 'root',
  'simply', 'simple', 'plain', 'pure', 'basic', 'main', 'primary', 'underlying', 'probable', 'probably', 'likely',
  'possibly', 'apparently', 'unfortunately', 'genuine', 'honest', 'isolated', 'case', 'issue', 'problem', 'part',
  'identified', 'determined', 'concluded', 'found', 'analysis', 'investigation', 'rca', 'happened', 'occurred',
  'made', 'make', 'get', 'got', 'kept', 'keep', 'stay', 'stayed', 'remain', 'remained', 'still', 'left',
  // whom a symptom is pinned on
  'i', 'we', 'you', 'he', 'she', 'they', 'me', 'us', 'him', 'her', 'them', 'my', 'our', 'your', 'his', 'their',
  'someone', 'somebody', 'anyone', 'staff', 'employee', 'administrator', 'admin', 'sysadmin', 'team', 'colleague',
  'member', 'personnel', 'worker', 'individual', 'person', 'people', 'user', 'operator', 'engineer', 'analyst',
  'manager',
  // generic references and actions that do not say which process or what gap
  'procedure', 'process', 'policy', 'instruction', 'rule', 'guidance', 'follow', 'properly', 'correctly',
  'correct', 'proper', 'time', 'check', 'perform', 'complete', 'carry',
  // placeholders
  'tbd', 'tba', 'na', 'n', 'unknown', 'none', 'pending', 'yet', 'under',
];
const FILLER: ReadonlySet<string> = new Set(FILLER_WORDS.map(stem));

// ---------------------------------------------------------------------------
// Verdicts

const NOT_SHALLOW: ShallowCauseVerdict = Object.freeze({ shallow: false, reason: null, matched: null });
const EMPTY: ShallowCauseVerdict = Object.freeze({ shallow: true, reason: 'empty', matched: null });
const RESTATES: ShallowCauseVerdict = Object.freeze({ shallow: true, reason: 'restates-finding', matched: null });

function verdict(reason: 'symptom', matched: string): ShallowCauseVerdict {
  return Object.freeze({ shallow: true, reason, matched });
}
