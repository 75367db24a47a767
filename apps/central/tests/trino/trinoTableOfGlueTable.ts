import { type HiveType, parseHiveType } from '../../src/queries/parseHiveType';

/** The TableInput of an AWS::Glue::Table, with its intrinsic functions already resolved. */
export interface GlueTableInput {
  readonly Name: string;
  readonly TableType?: string;
  readonly Parameters?: Readonly<Record<string, string>>;
  readonly PartitionKeys?: readonly { readonly Name: string; readonly Type: string }[];
  readonly StorageDescriptor: {
    readonly Columns: readonly { readonly Name: string; readonly Type: string }[];
    readonly Location: string;
    readonly InputFormat: string;
    readonly OutputFormat: string;
    readonly SerdeInfo: { readonly SerializationLibrary: string };
  };
}

/**
 * The Hive storage formats Trino knows, by the SerDe and formats Glue names (Trino's HiveStorageFormat). A table
 * whose triple is not here cannot be read the way Athena reads it, so it is refused rather than approximated.
 */
const TRINO_FORMATS: readonly { serde: string; inputFormat: string; outputFormat: string; format: string }[] = [
  {
    serde: 'org.openx.data.jsonserde.JsonSerDe',
    inputFormat: 'org.apache.hadoop.mapred.TextInputFormat',
    outputFormat: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
    format: 'OPENX_JSON',
  },
  {
    serde: 'org.apache.hive.hcatalog.data.JsonSerDe',
    inputFormat: 'org.apache.hadoop.mapred.TextInputFormat',
    outputFormat: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
    format: 'JSON',
  },
];

const SCALARS: Readonly<Record<string, string>> = {
  string: 'varchar',
  int: 'integer',
  bigint: 'bigint',
  double: 'double',
  boolean: 'boolean',
};

const quoted = (identifier: string) => `"${identifier.replaceAll('"', '""')}"`;
const literal = (text: string) => `'${text.replaceAll("'", "''")}'`;

/** A Hive type in Trino's SQL: `array<struct<a:string>>` is `array(row("a" varchar))`. */
export function trinoTypeOf(hive: HiveType): string {
  switch (hive.kind) {
    case 'scalar': {
      const trino = SCALARS[hive.name];
      if (trino === undefined) throw new Error(`No Trino type for the Hive type ${hive.name}: add it to SCALARS`);
      return trino;
    }
    case 'array':
      return `array(${trinoTypeOf(hive.items)})`;
    case 'struct':
      return `row(${hive.fields.map((field) => `${quoted(field.name)} ${trinoTypeOf(field.type)}`).join(', ')})`;
  }
}

/** Athena's projection parameters of a partition key, as Trino's column properties. */
function projectionColumnProperties(parameters: Readonly<Record<string, string>>, key: string): string[] {
  const prefix = `projection.${key}.`;
  const properties: string[] = [];
  for (const [name, value] of Object.entries(parameters)) {
    if (!name.startsWith(prefix)) continue;
    const setting = name.slice(prefix.length);
    const list = (text: string) => `ARRAY[${text.split(',').map(literal).join(', ')}]`;
    const property = {
      type: () => `partition_projection_type = ${literal(value.toUpperCase())}`,
      values: () => `partition_projection_values = ${list(value)}`,
      range: () => `partition_projection_range = ${list(value)}`,
      format: () => `partition_projection_format = ${literal(value)}`,
      interval: () => `partition_projection_interval = ${Number(value)}`,
      'interval.unit': () => `partition_projection_interval_unit = ${literal(value.toUpperCase())}`,
    }[setting];
    if (property === undefined) throw new Error(`The projection parameter ${name} has no Trino equivalent here`);
    properties.push(property());
  }
  return properties;
}

/**
 * The CREATE TABLE statement that gives Trino's Hive connector the Glue table: the same columns (Hive types in
 * Trino's spelling), the same SerDe (as Trino's format name), the same location (through `locationOf`, which maps
 * the template's `s3://…` to where the test put the objects), and the same partition projection.
 */
export function trinoTableOfGlueTable(
  table: GlueTableInput,
  schema: string,
  locationOf: (s3Location: string) => string,
): string {
  const storage = table.StorageDescriptor;
  const format = TRINO_FORMATS.find(
    (candidate) =>
      candidate.serde === storage.SerdeInfo.SerializationLibrary &&
      candidate.inputFormat === storage.InputFormat &&
      candidate.outputFormat === storage.OutputFormat,
  );
  if (format === undefined) {
    throw new Error(
      `Trino has no storage format for SerDe ${storage.SerdeInfo.SerializationLibrary} with ${storage.InputFormat} / ` +
        `${storage.OutputFormat} (table ${table.Name})`,
    );
  }
  if (table.TableType !== 'EXTERNAL_TABLE') throw new Error(`Table ${table.Name} is not an EXTERNAL_TABLE`);
  const parameters = table.Parameters ?? {};
  const partitionKeys = table.PartitionKeys ?? [];
  const projected = parameters['projection.enabled'] === 'true';
  const columns = [
    ...storage.Columns.map((column) => `${quoted(column.Name)} ${trinoTypeOf(parseHiveType(column.Type))}`),
    ...partitionKeys.map((key) => {
      const properties = projected ? projectionColumnProperties(parameters, key.Name) : [];
      const withProperties = properties.length === 0 ? '' : ` WITH (${properties.join(', ')})`;
      return `${quoted(key.Name)} ${trinoTypeOf(parseHiveType(key.Type))}${withProperties}`;
    }),
  ];
  const tableProperties = [
    `format = ${literal(format.format)}`,
    `external_location = ${literal(locationOf(storage.Location))}`,
    ...(partitionKeys.length === 0
      ? []
      : [`partitioned_by = ARRAY[${partitionKeys.map((key) => literal(key.Name)).join(', ')}]`]),
    ...(projected
      ? [
          'partition_projection_enabled = true',
          `partition_projection_location_template = ${literal(locationOf(parameters['storage.location.template'] ?? ''))}`,
        ]
      : []),
  ];
  return `CREATE TABLE ${quoted(schema)}.${quoted(table.Name)} (\n  ${columns.join(',\n  ')}\n) WITH (\n  ${tableProperties.join(',\n  ')}\n)`;
}
