/** Anything with the call log of an aws-sdk-client-mock stub. */
interface CallLog {
  calls(): readonly { readonly args: readonly unknown[] }[];
}

/** The IAM actions a mocked client was asked for (`ec2:DescribeInstances`), in order. */
export function sentActions(service: string, mock: CallLog): string[] {
  return mock.calls().map((call) => {
    const [command] = call.args;
    const name = typeof command === 'object' && command !== null ? command.constructor.name : 'Unknown';
    return `${service}:${name.replace(/Command$/, '')}`;
  });
}
