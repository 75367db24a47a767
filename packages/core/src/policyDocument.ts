/** A policy document as IAM returns it (URL-encoded, e.g. GetRole's AssumeRolePolicyDocument), as JSON text. */
export function decodePolicyDocument(document: string | undefined): string | null {
  if (document === undefined) return null;
  return decodeURIComponent(document);
}

/** True when two policy documents say the same (same JSON whatever the spacing); text that is not JSON must match exactly. */
export function samePolicy(left: string, right: string): boolean {
  try {
    return JSON.stringify(JSON.parse(left)) === JSON.stringify(JSON.parse(right));
  } catch {
    return left === right;
  }
}
