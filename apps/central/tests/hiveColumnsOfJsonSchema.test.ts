import { incidentReportJsonSchema } from '@cryptominer-defense/core';
import { describe, expect, it } from 'vitest';
import { UnqueryableReportShapeError } from '../src/errors';
import { hiveColumnsOfJsonSchema, type JsonSchemaNode } from '../src/queries/hiveTypeOfJsonSchema';
import { INCIDENT_COLUMNS } from '../src/queries/incidentColumns';
import { type HiveType, parseHiveType } from '../src/queries/parseHiveType';

const SCALAR_OF_JSON: Readonly<Record<string, string>> = {
  string: 'string',
  number: 'double',
  integer: 'int',
  boolean: 'boolean',
};

/** The non-null variants a schema node allows (a union's branches, or a `type` list). */
function variants(node: JsonSchemaNode): JsonSchemaNode[] {
  const branches = node.anyOf ?? node.oneOf;
  if (branches !== undefined) return branches.flatMap(variants);
  const types = node.type === undefined ? [typeof node.const] : typeof node.type === 'string' ? [node.type] : node.type;
  return types.filter((type) => type !== 'null').map((type) => ({ ...node, type }));
}

/** Every place of the schema, checked against the Hive type of the same place; returns the paths visited. */
function checkEveryDepth(node: JsonSchemaNode, hive: HiveType, path: string): string[] {
  const [first, ...others] = variants(node);
  if (first === undefined) throw new Error(`${path}: no JSON type`);
  for (const other of others) expect(other.type, `${path}: one JSON type`).toBe(first.type);
  if (first.type === 'object') {
    if (hive.kind !== 'struct') throw new Error(`${path}: an object, but the column has ${hive.kind}`);
    const keys = [...new Set(variants(node).flatMap((variant) => Object.keys(variant.properties ?? {})))];
    expect(hive.fields.map((field) => field.name).sort(), `${path}: the struct's fields`).toEqual(
      keys.map((key) => key.toLowerCase()).sort(),
    );
    return keys.flatMap((key) => {
      const field = hive.fields.find((candidate) => candidate.name === key.toLowerCase()) as { type: HiveType };
      const property = variants(node).find((variant) => variant.properties?.[key] !== undefined)?.properties?.[key];
      return checkEveryDepth(property as JsonSchemaNode, field.type, `${path}.${key}`);
    });
  }
  if (first.type === 'array') {
    if (hive.kind !== 'array') throw new Error(`${path}: an array, but the column has ${hive.kind}`);
    return [path, ...checkEveryDepth(first.items as JsonSchemaNode, hive.items, `${path}[]`)];
  }
  expect(hive, path).toEqual({ kind: 'scalar', name: SCALAR_OF_JSON[first.type as string] });
  return [path];
}

describe('the Glue columns of the incident report', () => {
  it("are core's JSON Schema at every depth: every key a field of the right type, and nothing else", () => {
    // Prepare
    const schema = incidentReportJsonSchema() as JsonSchemaNode;
    const asStruct: HiveType = {
      kind: 'struct',
      fields: INCIDENT_COLUMNS.map((column) => ({ name: column.name, type: parseHiveType(column.type) })),
    };

    // Act
    const visited = checkEveryDepth(schema, asStruct, 'report');

    // Assess: the deepest places are there (a walk that stopped early would not see them).
    expect(visited).toContain('report.undo.evidence.volumesKeptOnTermination[].deviceName');
    expect(visited).toContain('report.steps[].errorMessage');
    expect(visited).toContain('report.deliveries[].serviceCount');
  });

  it('merge the variants of the step record into one struct, fields in the order they first appear', () => {
    // Act
    const steps = INCIDENT_COLUMNS.find((column) => column.name === 'steps');

    // Assess
    expect(steps?.type).toBe(
      'array<struct<step:string,action:string,target:string,startedat:string,endedat:string,status:string,' +
        'reason:string,woulddo:string,errorcode:string,errormessage:string>>',
    );
  });

  it.each<[string, JsonSchemaNode, string]>([
    ['a value of two JSON types', { properties: { a: { type: ['string', 'number'] } } }, 'report.a can be any of'],
    ['an untyped value', { properties: { a: {} } }, 'report.a has no JSON type'],
    ['a free-form object', { properties: { a: { type: 'object' } } }, 'report.a is an object without declared'],
    ['keys that differ by case only', { properties: { ab: { type: 'string' }, aB: { type: 'string' } } }, 'report.aB'],
    [
      'union variants that disagree on a field',
      {
        properties: {
          a: {
            oneOf: [
              { type: 'object', properties: { x: { type: 'string' } } },
              { type: 'object', properties: { x: { type: 'integer' } } },
            ],
          },
        },
      },
      'report.a.x is string in one variant and int in another',
    ],
  ])('refuse %s, which no column can hold, naming where it is', (_what, schema, message) => {
    // Act
    const act = () => hiveColumnsOfJsonSchema(schema);

    // Assess
    expect(act).toThrow(UnqueryableReportShapeError);
    expect(act).toThrow(message);
  });

  it('give a nullable value its non-null type (JSON null fits any column)', () => {
    // Act
    const columns = hiveColumnsOfJsonSchema({
      properties: { a: { type: ['string', 'null'] }, b: { anyOf: [{ type: 'integer' }, { type: 'null' }] } },
    });

    // Assess
    expect(columns).toEqual([
      { name: 'a', type: 'string' },
      { name: 'b', type: 'int' },
    ]);
  });
});
