// zod's tree-shakable form (zod/mini), for the schemas a Lambda cold start builds before its first call (the finding
// event, the response policy) or soon after (the pause switch, the report's finding reference, a CloudTrail record's
// identity): the classic form loads and builds some 100 KB of schema classes. Both forms share zod's core, so a
// classic schema may hold these. Named re-exports, not the namespace: a re-exported namespace keeps all of zod (every
// locale among it) in the bundle. English messages, as the classic form registers them itself on its first schema.
// Import it as a namespace (`import * as z from './zodMini'`): only what is used is bundled.
import { config } from 'zod/mini';
import en from 'zod/v4/locales/en.js';

config(en());

export type { infer } from 'zod/mini';
export {
  _default,
  array,
  boolean,
  enum,
  gte,
  iso,
  literal,
  looseObject,
  lte,
  maxLength,
  minLength,
  nullable,
  nullish,
  number,
  object,
  optional,
  regex,
  strictObject,
  string,
  union,
  unknown,
} from 'zod/mini';
