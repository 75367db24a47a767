import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { AWS_SDK_SCHEMA_FILES, literalizeComputedKeys } from '../src/bundling/awsSdkSchemaLiteralKeys';

/** Shaped like an SDK client's dist-es/schemas/schemas_0.js (module-level name constants, traits with computed keys). */
const SCHEMAS = [
  'const _eQN = "ec2QueryName";',
  'const _xN = "xmlName";',
  "const _s = 'smithy.ts.sdk.synthetic';",
  'const _p = "__proto__";',
  'const _e = "a\\"b";',
  'const n0 = "com.amazonaws.ec2";',
  'var Filter$ = [3, n0, "Filter", 0, ["Name", "Values"], [[0, { [_eQN]: "Name", [_xN]: _eQN }], [64, { [ _xN ] : "Value" }]]];',
  'var Unknown$ = [3, n0, "Unknown", 0, [], [{ [notAConstant]: 1, [_missing]: 2 }]];',
  'var Proto$ = [{ [_p]: 1, [_e]: 2 }];',
  'var Text$ = ["{ [_eQN]: \\"inside a string\\" }", \'[_xN]: also\', `[_eQN]: template`, { [_s]: 3 }];',
  'function notTouched(o) { return o[_eQN] ?? o[_xN]; }',
  'var Choice$ = notAConstant ? { a: 1 }[_eQN] : 0;',
].join('\n');

/** The module's values, evaluated: `var` declarations become properties of the context. */
function evaluate(source: string): Record<string, unknown> {
  const context: Record<string, unknown> = { notAConstant: 'dynamic', _missing: 'missing' };
  runInNewContext(source.replaceAll(/^const /gm, 'var '), context);
  return context;
}

describe('literalizeComputedKeys', () => {
  it("writes a computed key naming one of the module's string constants as that string", () => {
    // Act
    const { contents, replaced } = literalizeComputedKeys(SCHEMAS);

    // Assess
    expect(contents).toContain('[[0, { "ec2QueryName": "Name", "xmlName": _eQN }], [64, { "xmlName" : "Value" }]]');
    expect(contents).toContain("{ 'smithy.ts.sdk.synthetic': 3 }");
    expect(replaced).toBe(4);
  });

  it('leaves alone keys that are not such constants, "__proto__", escaped literals, strings and other code', () => {
    // Act
    const { contents } = literalizeComputedKeys(SCHEMAS);

    // Assess
    expect(contents).toContain('{ [notAConstant]: 1, [_missing]: 2 }');
    expect(contents).toContain('{ [_p]: 1, [_e]: 2 }');
    expect(contents).toContain(
      'var Text$ = ["{ [_eQN]: \\"inside a string\\" }", \'[_xN]: also\', `[_eQN]: template`,',
    );
    expect(contents).toContain('function notTouched(o) { return o[_eQN] ?? o[_xN]; }');
    expect(contents).toContain('var Choice$ = notAConstant ? { a: 1 }[_eQN] : 0;');
    // Every line but those holding a rewritten key is unchanged.
    const changed = contents.split('\n').filter((line, index) => line !== SCHEMAS.split('\n')[index]);
    expect(changed.map((line) => line.slice(0, 12))).toEqual(['var Filter$ ', 'var Text$ = ']);
  });

  it('defines the same objects as the original module', () => {
    // Act
    const before = evaluate(SCHEMAS);
    const after = evaluate(literalizeComputedKeys(SCHEMAS).contents);

    // Assess
    for (const name of ['Filter$', 'Unknown$', 'Proto$', 'Text$', 'Choice$']) expect(after[name]).toEqual(before[name]);
    // The computed "__proto__" key is an own property (a literal one would have set the prototype).
    expect(Object.keys((after.Proto$ as object[])[0] ?? {})).toEqual(['__proto__', 'a"b']);
  });

  it('applies to the schemas of any @aws-sdk/client-* package and nothing else', () => {
    // Assess
    const store = '/repo/node_modules/.pnpm/@aws-sdk+client-ec2@3.1169.0/node_modules/@aws-sdk';
    expect(AWS_SDK_SCHEMA_FILES.test(`${store}/client-ec2/dist-es/schemas/schemas_0.js`)).toBe(true);
    expect(
      AWS_SDK_SCHEMA_FILES.test('C:\\repo\\node_modules\\@aws-sdk\\client-iam\\dist-es\\schemas\\schemas_12.js'),
    ).toBe(true);
    expect(AWS_SDK_SCHEMA_FILES.test(`${store}/client-ec2/dist-cjs/schemas/schemas_0.js`)).toBe(false);
    expect(AWS_SDK_SCHEMA_FILES.test(`${store}/client-ec2/dist-es/commands/RunInstancesCommand.js`)).toBe(false);
    expect(AWS_SDK_SCHEMA_FILES.test('/repo/node_modules/@aws-sdk/core/dist-es/schemas/schemas_0.js')).toBe(false);
  });
});
