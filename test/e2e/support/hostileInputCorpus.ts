import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** What the engine must do with a case; `says` must appear in the error, the reason or the report. */
export interface HostileExpectation {
  /**
   * `invalid`: a clear error (InvalidFindingEventError; CLI exit 2); `ignored`: not ours, nothing written;
   * `refused`, `needs-person`: a report with that disposition; `not-contained`: a report of a response that
   * found nothing to contain. In every case nothing changes in any member account.
   */
  readonly outcome: 'invalid' | 'ignored' | 'refused' | 'needs-person' | 'not-contained';
  readonly says: string;
}

/** Grows a case at load time, so a multi-megabyte payload need not be kept in git. */
export interface Enlargement {
  /** Dotted path of the field to set. */
  readonly field: string;
  /** Set it to a string of this many characters… */
  readonly characters?: number;
  /** …or to this many copies of the array's first element. */
  readonly copies?: number;
}

export interface HostileCase {
  readonly file: string;
  readonly what: string;
  readonly expect: HostileExpectation;
  readonly enlarge?: Enlargement;
}

/** The values a case's `{{placeholders}}` stand for: ids that exist only once the emulator is seeded. */
export type CorpusPlaceholders = Readonly<Record<string, string>>;

const CORPUS = fileURLToPath(new URL('../../hostile-inputs/', import.meta.url));

export function hostileCases(): HostileCase[] {
  return JSON.parse(readFileSync(`${CORPUS}manifest.json`, 'utf8')) as HostileCase[];
}

/** The case's text as the entry points receive it: placeholders filled in, enlarged if the manifest says so. */
export function hostileCaseText(hostile: HostileCase, placeholders: CorpusPlaceholders): string {
  const raw = readFileSync(`${CORPUS}fixtures/${hostile.file}`, 'utf8').replace(
    /\{\{(\w+)\}\}/g,
    (_match, name: string) => {
      const value = placeholders[name];
      if (value === undefined) throw new Error(`${hostile.file} uses {{${name}}}, which the test does not provide`);
      return value;
    },
  );
  if (hostile.enlarge === undefined) return raw;
  return JSON.stringify(enlarged(JSON.parse(raw) as Record<string, unknown>, hostile.enlarge));
}

function enlarged(event: Record<string, unknown>, enlargement: Enlargement): Record<string, unknown> {
  const path = enlargement.field.split('.');
  const last = path.pop();
  let parent: Record<string, unknown> = event;
  for (const key of path) parent = parent[key] as Record<string, unknown>;
  if (last === undefined) throw new Error(`enlarge.field is empty`);
  if (enlargement.characters !== undefined) parent[last] = 'x'.repeat(enlargement.characters);
  if (enlargement.copies !== undefined) {
    const [first] = parent[last] as unknown[];
    parent[last] = Array.from({ length: enlargement.copies }, () => first);
  }
  return event;
}

/** The case as a parsed EventBridge event, or as the raw string when it is not JSON (what Lambda would pass). */
export function asLambdaEvent(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
