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

/** The commands the mocked clients were asked for that change something: anything but Describe, List, Get, Lookup. */
export function changingCommands(...mocks: readonly CallLog[]): string[] {
  return mocks
    .flatMap((mock) => sentActions('', mock))
    .map((action) => action.slice(1))
    .filter((name) => !/^(Describe|List|Get|Lookup)/.test(name));
}
