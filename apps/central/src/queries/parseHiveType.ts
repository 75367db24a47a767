/** A Hive column type, parsed: what Glue's `string`, `array<…>` and `struct<name:type,…>` say. */
export type HiveType =
  | { readonly kind: 'scalar'; readonly name: string }
  | { readonly kind: 'array'; readonly items: HiveType }
  | { readonly kind: 'struct'; readonly fields: readonly { readonly name: string; readonly type: HiveType }[] };

/** Parses a Glue (Hive) type string; throws on anything else, naming where. */
export function parseHiveType(text: string): HiveType {
  let position = 0;
  const fail = (what: string): never => {
    throw new Error(`Not a Hive type at ${position} of ${text}: expected ${what}`);
  };
  const word = (): string => {
    const match = /^[a-z_][a-z0-9_]*/.exec(text.slice(position));
    if (match === null) return fail('a name');
    position += match[0].length;
    return match[0];
  };
  const expect = (char: string): void => {
    if (text[position] !== char) fail(`"${char}"`);
    position += 1;
  };
  const type = (): HiveType => {
    const name = word();
    if (name === 'array') {
      expect('<');
      const items = type();
      expect('>');
      return { kind: 'array', items };
    }
    if (name === 'struct') {
      expect('<');
      const fields: { name: string; type: HiveType }[] = [];
      for (;;) {
        const field = word();
        expect(':');
        fields.push({ name: field, type: type() });
        if (text[position] === '>') break;
        expect(',');
      }
      expect('>');
      return { kind: 'struct', fields };
    }
    return { kind: 'scalar', name };
  };
  const parsed = type();
  if (position !== text.length) fail('the end');
  return parsed;
}
