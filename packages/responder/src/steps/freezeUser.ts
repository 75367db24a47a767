import {
  DeleteLoginProfileCommand,
  type IAMClient,
  ListAccessKeysCommand,
  UpdateAccessKeyCommand,
} from '@aws-sdk/client-iam';
import {
  alreadyDone,
  denyAllPolicyArn,
  isAwsError,
  type StepRecord,
  succeeded,
  type UserUndo,
} from '@cryptominer-defense/core';
import { runAction } from '../runAction';
import { attachDenyAll } from './attachDenyAll';

const STEP = 'freezeUser';

/**
 * Freezes an IAM user (domain.md §5): AWSDenyAll attached (stops every API call at once, whatever the credential),
 * every access key deactivated (reversible), the console password deleted. Each action only takes a permission
 * away, and each is independent: one failing does not stop the others.
 */
export async function freezeUser(
  iam: IAMClient,
  user: { readonly userName: string; readonly userArn: string },
): Promise<{ readonly records: readonly StepRecord[]; readonly undo: UserUndo }> {
  const { userName } = user;
  const partition = user.userArn.split(':')[1] ?? 'aws';
  const denyAll = attachDenyAll(iam, STEP, { kind: 'user', name: userName, policyArn: denyAllPolicyArn(partition) });
  const loginProfile = runAction(
    { step: STEP, action: 'deleteLoginProfile', target: userName },
    async () => {
      try {
        await iam.send(new DeleteLoginProfileCommand({ UserName: userName }));
        return { result: succeeded, value: true };
      } catch (error) {
        if (isAwsError(error, 'NoSuchEntity', 'NoSuchEntityException')) {
          return { result: alreadyDone('the user has no console password'), value: false };
        }
        throw error;
      }
    },
    false,
  );
  const keys = deactivateAccessKeys(iam, userName);
  const [denied, deleted, deactivated] = await Promise.all([denyAll, loginProfile, keys]);
  return {
    records: [...denied.records, deleted.record, ...deactivated.records],
    undo: {
      userArn: user.userArn,
      loginProfileDeleted: deleted.value,
      deactivatedAccessKeyIds: deactivated.keyIds,
      denyPolicyName: null,
      deniedByPolicyArn: denied.attachedPolicyArn,
    },
  };
}

async function deactivateAccessKeys(
  iam: IAMClient,
  userName: string,
): Promise<{ readonly records: StepRecord[]; readonly keyIds: string[] }> {
  const listed = await runAction({ step: STEP, action: 'listAccessKeys', target: userName }, async () => {
    const keys: { readonly id: string; readonly status: string }[] = [];
    let marker: string | undefined;
    do {
      const page = await iam.send(new ListAccessKeysCommand({ UserName: userName, Marker: marker }));
      for (const key of page.AccessKeyMetadata ?? []) {
        if (key.AccessKeyId !== undefined) keys.push({ id: key.AccessKeyId, status: key.Status ?? 'Unknown' });
      }
      marker = page.IsTruncated === true ? page.Marker : undefined;
    } while (marker !== undefined);
    return { result: succeeded, value: keys };
  }, []);
  const outcomes = await Promise.all(
    listed.value.map((key) =>
      runAction(
        { step: STEP, action: 'deactivateAccessKey', target: key.id },
        async () => {
          if (key.status === 'Inactive') return { result: alreadyDone('the key is already inactive'), value: false };
          await iam.send(new UpdateAccessKeyCommand({ UserName: userName, AccessKeyId: key.id, Status: 'Inactive' }));
          return { result: succeeded, value: true };
        },
        false,
      ),
    ),
  );
  return {
    records: [listed.record, ...outcomes.map((outcome) => outcome.record)],
    keyIds: listed.value.filter((_key, index) => outcomes[index]?.value === true).map((key) => key.id),
  };
}
