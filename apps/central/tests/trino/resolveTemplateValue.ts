/**
 * A template value with its `Ref`s (to the given logical ids) and `Fn::Join`s worked out, as CloudFormation
 * would; any other intrinsic function is refused, naming it, rather than guessed.
 */
export function resolveTemplateValue(value: unknown, refs: Readonly<Record<string, string>>): unknown {
  if (Array.isArray(value)) return value.map((item) => resolveTemplateValue(item, refs));
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value);
  const [first] = entries;
  if (entries.length === 1 && first !== undefined && (first[0] === 'Ref' || first[0].startsWith('Fn::'))) {
    const [name, argument] = first;
    if (name === 'Ref' && typeof argument === 'string' && refs[argument] !== undefined) return refs[argument];
    if (name === 'Fn::Join' && Array.isArray(argument)) {
      const [separator, parts] = argument as [string, unknown[]];
      return parts.map((part) => resolveTemplateValue(part, refs)).join(separator);
    }
    throw new Error(`Cannot resolve ${JSON.stringify(value)}: give the test a value for it`);
  }
  return Object.fromEntries(entries.map(([key, item]) => [key, resolveTemplateValue(item, refs)]));
}
