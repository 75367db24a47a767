import { UnqueryableReportShapeError } from '../errors';

/** The part of JSON Schema that zod's toJSONSchema writes for the report. */
export interface JsonSchemaNode {
  readonly type?: string | readonly string[];
  readonly properties?: Readonly<Record<string, JsonSchemaNode>>;
  readonly items?: JsonSchemaNode;
  readonly anyOf?: readonly JsonSchemaNode[];
  readonly oneOf?: readonly JsonSchemaNode[];
  readonly const?: unknown;
  readonly enum?: readonly unknown[];
}

/** One Glue column: a lower-case name and a Hive type (`string`, `struct<a:int>`, `array<string>`, …). */
export interface HiveColumn {
  readonly name: string;
  readonly type: string;
}

type Shape =
  | { readonly kind: 'scalar'; readonly hive: string }
  | { readonly kind: 'array'; readonly items: Shape }
  | { readonly kind: 'struct'; readonly fields: ReadonlyMap<string, Shape> };

const SCALARS: Readonly<Record<string, string>> = {
  string: 'string',
  number: 'double',
  integer: 'int',
  boolean: 'boolean',
};

function typesOf(node: JsonSchemaNode): string[] {
  if (node.type !== undefined) return typeof node.type === 'string' ? [node.type] : [...node.type];
  if (node.const !== undefined) return [typeof node.const === 'number' ? 'number' : typeof node.const];
  return [];
}

/** Every alternative a node allows, `null` left out: JSON null fits any column. */
function alternativesOf(node: JsonSchemaNode): JsonSchemaNode[] {
  const branches = node.anyOf ?? node.oneOf;
  if (branches !== undefined) return branches.flatMap(alternativesOf);
  const types = typesOf(node).filter((type) => type !== 'null');
  if (types.length <= 1) return typesOf(node).length === 0 && node.enum === undefined ? [] : [{ ...node, type: types }];
  return types.map((type) => ({ ...node, type }));
}

function shapeOf(node: JsonSchemaNode, path: string): Shape {
  const alternatives = alternativesOf(node).filter((alternative) => typesOf(alternative).length > 0);
  if (alternatives.length === 0) throw new UnqueryableReportShapeError(path, 'has no JSON type (any value allowed)');
  const kinds = [...new Set(alternatives.flatMap(typesOf))];
  if (kinds.length > 1) throw new UnqueryableReportShapeError(path, `can be any of ${kinds.join(', ')}`);
  const [kind] = kinds as [string];
  if (kind === 'array') {
    const items = alternatives.map((alternative, index) => {
      if (alternative.items === undefined) throw new UnqueryableReportShapeError(path, 'is an array of anything');
      return shapeOf(alternative.items, `${path}[]${alternatives.length > 1 ? `(${index})` : ''}`);
    });
    return { kind: 'array', items: items.reduce((merged, next) => merge(merged, next, `${path}[]`)) };
  }
  if (kind === 'object') {
    const structs = alternatives.map((alternative): Shape => {
      if (alternative.properties === undefined || Object.keys(alternative.properties).length === 0) {
        throw new UnqueryableReportShapeError(path, 'is an object without declared properties');
      }
      return { kind: 'struct', fields: fieldsOf(alternative.properties, path) };
    });
    return structs.reduce((merged, next) => merge(merged, next, path));
  }
  const hive = SCALARS[kind];
  if (hive === undefined) throw new UnqueryableReportShapeError(path, `has the JSON type ${kind}`);
  return { kind: 'scalar', hive };
}

/**
 * The OpenX JSON SerDe matches keys to fields without regard to case, so the field names are the keys in lower
 * case, and two keys that differ only by case would land in one field.
 */
function fieldsOf(properties: Readonly<Record<string, JsonSchemaNode>>, path: string): Map<string, Shape> {
  const fields = new Map<string, Shape>();
  for (const [key, property] of Object.entries(properties)) {
    const name = key.toLowerCase();
    if (fields.has(name))
      throw new UnqueryableReportShapeError(`${path}.${key}`, 'differs from another key only by case');
    if (!/^[a-z][a-z0-9_]*$/.test(name))
      throw new UnqueryableReportShapeError(`${path}.${key}`, 'is not a plain column name');
    fields.set(name, shapeOf(property, `${path}.${key}`));
  }
  return fields;
}

/** Two alternatives of one place (variants of a union): the same type, or structs whose fields are merged. */
function merge(left: Shape, right: Shape, path: string): Shape {
  if (left.kind === 'struct' && right.kind === 'struct') {
    const fields = new Map(left.fields);
    for (const [name, shape] of right.fields) {
      const known = fields.get(name);
      fields.set(name, known === undefined ? shape : merge(known, shape, `${path}.${name}`));
    }
    return { kind: 'struct', fields };
  }
  if (left.kind === 'array' && right.kind === 'array') {
    return { kind: 'array', items: merge(left.items, right.items, `${path}[]`) };
  }
  if (left.kind === 'scalar' && right.kind === 'scalar' && left.hive === right.hive) return left;
  throw new UnqueryableReportShapeError(
    path,
    `is ${hiveTypeOf(left)} in one variant and ${hiveTypeOf(right)} in another`,
  );
}

function hiveTypeOf(shape: Shape): string {
  switch (shape.kind) {
    case 'scalar':
      return shape.hive;
    case 'array':
      return `array<${hiveTypeOf(shape.items)}>`;
    case 'struct':
      return `struct<${[...shape.fields].map(([name, field]) => `${name}:${hiveTypeOf(field)}`).join(',')}>`;
  }
}

/**
 * The Glue columns of a JSON document described by `schema` (an object): one column per top-level property, each
 * with the Hive type of its value at every depth. Nullable values take their non-null type; the variants of a union
 * of objects (the step records) merge into one struct with every field any variant has. Throws
 * UnqueryableReportShapeError for what no column can hold: a value of two JSON types, an untyped value, an object
 * without declared properties, keys that differ only by case.
 */
export function hiveColumnsOfJsonSchema(schema: JsonSchemaNode): HiveColumn[] {
  if (schema.properties === undefined) throw new UnqueryableReportShapeError('top level', 'is not an object');
  return [...fieldsOf(schema.properties, 'report')].map(([name, shape]) => ({ name, type: hiveTypeOf(shape) }));
}
