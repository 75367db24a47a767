import { readFile } from 'node:fs/promises';
import type { Plugin } from 'esbuild';

// Each AWS SDK v3 client describes every operation of its service in dist-es/schemas/schemas_N.js: arrays of
// names and member traits, where the traits are object literals with computed keys, `{ [_eQN]: "Min" }`, `_eQN`
// being a module-level `const _eQN = "ec2QueryName";`. esbuild cannot tell that such a key is free of side effects
// (a computed key may call toString), so it keeps every statement that holds one, and everything they name: the
// EC2 client's 1.3 MB of schemas made 555 KB of the bundle although the responder calls a dozen operations.
// Written as the string literals they stand for, the keys are plainly pure and the unused schemas are dropped.

/** The files rewritten: the generated schemas of any `@aws-sdk/client-*` package (ESM build). */
export const AWS_SDK_SCHEMA_FILES = /[\\/]@aws-sdk[\\/]client-[^\\/]+[\\/]dist-es[\\/]schemas[\\/]schemas_\d+\.js$/;

/**
 * `const _x = "text";` at the start of a line: the module-level string constants the keys name. Only literals
 * without escapes, so that the text between the quotes is the value.
 */
const STRING_CONSTANT = /^const ([A-Za-z_$][\w$]*) = ("[^"\\\r\n]*"|'[^'\\\r\n]*');$/gm;

/**
 * A string literal (skipped, so that text inside strings is never touched), or a computed key `[identifier]:`
 * where a key can stand: after `{` or `,` (so `c ? o[_x] : y` is not taken for one). Template literals count as
 * strings; the generated files have none with substitutions.
 */
const STRING_OR_COMPUTED_KEY =
  /"(?:[^"\\\r\n]|\\.)*"|'(?:[^'\\\r\n]|\\.)*'|`(?:[^`\\]|\\.)*`|([{,]\s*)\[\s*([A-Za-z_$][\w$]*)\s*\](\s*:)/g;

/** Result of rewriting one module. */
export interface LiteralKeysResult {
  readonly contents: string;
  /** How many computed keys became string literals. */
  readonly replaced: number;
}

/**
 * Replaces each computed key `[_x]:` whose identifier is one of the module's own `const _x = "…";` string
 * constants by that string literal, `"…":`. The object is the same: a computed key with a string value and the
 * literal key define the same own property. Identifiers that are not such constants stay as they are, and so
 * does `"__proto__"`, which as a literal key would set the prototype instead of defining a property.
 */
export function literalizeComputedKeys(source: string): LiteralKeysResult {
  const constants = new Map<string, string>();
  for (const [, name, literal] of source.matchAll(STRING_CONSTANT)) {
    if (name !== undefined && literal !== undefined) constants.set(name, literal);
  }
  let replaced = 0;
  const contents = source.replace(
    STRING_OR_COMPUTED_KEY,
    (match: string, before: string | undefined, name: string | undefined, colon: string | undefined) => {
      if (name === undefined) return match;
      const literal = constants.get(name);
      if (literal === undefined || literal.slice(1, -1) === '__proto__') return match;
      replaced += 1;
      return `${before ?? ''}${literal}${colon ?? ':'}`;
    },
  );
  return { contents, replaced };
}

/** The esbuild plugin that applies literalizeComputedKeys to the SDK clients' schema files. */
export function awsSdkSchemaLiteralKeys(): Plugin {
  return {
    name: 'aws-sdk-schema-literal-keys',
    setup(build) {
      build.onLoad({ filter: AWS_SDK_SCHEMA_FILES }, async (args) => {
        const { contents, replaced } = literalizeComputedKeys(await readFile(args.path, 'utf8'));
        // A schemas file without such keys means the SDK's generated code changed: the bundle grows back.
        const warnings =
          replaced === 0 ? [{ text: `no computed keys rewritten in ${args.path}; the SDK's schemas changed?` }] : [];
        return { contents, loader: 'js', warnings };
      });
    },
  };
}
