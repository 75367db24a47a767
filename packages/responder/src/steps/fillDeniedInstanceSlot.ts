import { type IAMClient, ListRoleTagsCommand, TagRoleCommand } from '@aws-sdk/client-iam';
import {
  alreadyDone,
  DENIED_INSTANCE_SLOT_COUNT,
  DENIED_INSTANCE_TAG_KEYS,
  failed,
  isAwsError,
  type StepRecord,
  succeeded,
} from '@cryptominer-defense/core';
import { runAction } from '../runAction';

const STEP = 'revokeInstanceCredentials';
/** A slot found empty can be taken by a concurrent incident before the write: then read once more. */
const SLOT_ATTEMPTS = 2;

/** Slot writes of one role wait for each other in this container (concurrent incidents on instances of one role). */
const slotWritesByRole = new Map<string, Promise<unknown>>();

function oneAtATime<T>(roleName: string, write: () => Promise<T>): Promise<T> {
  const before = slotWritesByRole.get(roleName) ?? Promise.resolve();
  const mine = before.then(write, write);
  const settled = mine.catch(() => undefined);
  slotWritesByRole.set(roleName, settled);
  void settled.then(() => {
    if (slotWritesByRole.get(roleName) === settled) slotWritesByRole.delete(roleName);
  });
  return mine;
}

async function roleTags(iam: IAMClient, roleName: string): Promise<Map<string, string>> {
  const tags = new Map<string, string>();
  let marker: string | undefined;
  do {
    const page = await iam.send(new ListRoleTagsCommand({ RoleName: roleName, Marker: marker }));
    for (const tag of page.Tags ?? []) tags.set(tag.Key ?? '', tag.Value ?? '');
    marker = page.IsTruncated === true ? page.Marker : undefined;
  } while (marker !== undefined);
  return tags;
}

/**
 * Names the instance in a free denied-instance tag of its role, which the fixed deny policy reads: its credentials are
 * denied wherever they are used, the role's other instances keep theirs. A slot that already names it is kept; a
 * slot is written only while empty (the member role refuses to overwrite one: another incident's deny would go), and
 * a slot taken between the read and the write (AccessDenied) makes it read again. With every slot taken, nothing is
 * changed and the record says so, for a person (never another incident's slot, never a deny of the whole role).
 * Resolves to the tag key it wrote or found, null when none.
 */
export function fillDeniedInstanceSlot(
  iam: IAMClient,
  roleName: string,
  instanceArn: string,
): Promise<{ readonly record: StepRecord; readonly tagKey: string | null }> {
  return oneAtATime(roleName, async () => {
    const { record, value } = await runAction<string | null>(
      { step: STEP, action: 'nameInstanceInRoleTag', target: roleName },
      async () => {
        for (let attempt = 1; ; attempt += 1) {
          const tags = await roleTags(iam, roleName);
          const own = DENIED_INSTANCE_TAG_KEYS.find((key) => tags.get(key) === instanceArn);
          if (own !== undefined) return { result: alreadyDone(`${own} already names ${instanceArn}`), value: own };
          const free = DENIED_INSTANCE_TAG_KEYS.find((key) => !tags.has(key));
          if (free === undefined) {
            return {
              result: failed(
                'NoFreeDeniedInstanceSlot',
                `every one of the ${DENIED_INSTANCE_SLOT_COUNT} denied-instance tags of role ${roleName} names another instance: ${instanceArn}'s credentials are not denied. Release an earlier incident on this role (or deny this instance's credentials by hand); its profile is disassociated and its metadata service off all the same`,
              ),
              value: null,
            };
          }
          try {
            await iam.send(new TagRoleCommand({ RoleName: roleName, Tags: [{ Key: free, Value: instanceArn }] }));
            return { result: succeeded, value: free };
          } catch (error) {
            if (attempt >= SLOT_ATTEMPTS || !isAwsError(error, 'AccessDenied', 'AccessDeniedException')) throw error;
          }
        }
      },
      null,
    );
    return { record, tagKey: value };
  });
}
