import { requestShape } from '../loopback/requestShape';
import { type RestJsonFake, startRestJsonFake } from '../loopback/startRestJsonFake';

const WORKFLOW_STATUSES = ['NEW', 'NOTIFIED', 'RESOLVED', 'SUPPRESSED'] as const;
const UPDATABLE = [
  'Confidence',
  'Criticality',
  'Note',
  'RelatedFindings',
  'Severity',
  'Types',
  'UserDefinedFields',
  'VerificationState',
  'Workflow',
] as const;

/** What BatchUpdateFindings left on one finding (the customer's fields), by finding id. */
export interface UpdatedFinding {
  readonly id: string;
  readonly productArn: string;
  readonly workflowStatus?: string;
  readonly note?: { readonly Text: string; readonly UpdatedBy: string };
  readonly userDefinedFields?: Readonly<Record<string, string>>;
}

export interface SecurityHubFake extends RestJsonFake {
  /** The findings BatchUpdateFindings changed, as they are now. */
  updated(id: string): UpdatedFinding | undefined;
}

/**
 * Security Hub's BatchUpdateFindings (`PATCH /findings/batchupdate`, which moto lacks), checked against the API
 * reference's request syntax and answered as it documents (`ProcessedFindings`, `UnprocessedFindings`); every other
 * Security Hub request (BatchImportFindings, GetFindings) goes on to moto at `emulatorEndpoint`.
 */
export async function startSecurityHubFake(options: { readonly emulatorEndpoint: string }): Promise<SecurityHubFake> {
  const findings = new Map<string, UpdatedFinding>();
  const fake = await startRestJsonFake({
    forwardTo: options.emulatorEndpoint,
    operations: [
      {
        name: 'BatchUpdateFindings',
        method: 'PATCH',
        path: /^\/findings\/batchupdate$/,
        answer(body) {
          const shape = requestShape('BatchUpdateFindings');
          shape.known(body, ['FindingIdentifiers', ...UPDATABLE]);
          const identifiers = shape
            .list(body.FindingIdentifiers, 'FindingIdentifiers', { min: 1, max: 100 })
            .map((entry, index) => {
              const identifier = shape.object(entry, `FindingIdentifiers[${index}]`);
              return {
                Id: shape.text(identifier.Id, `FindingIdentifiers[${index}].Id`, { min: 1, max: 512 }),
                ProductArn: shape.text(identifier.ProductArn, `FindingIdentifiers[${index}].ProductArn`, { min: 1 }),
              };
            });
          if (!UPDATABLE.some((member) => body[member] !== undefined)) shape.refuse('no field to update');
          const workflow =
            body.Workflow === undefined
              ? undefined
              : shape.oneOf(shape.object(body.Workflow, 'Workflow').Status, 'Workflow.Status', WORKFLOW_STATUSES);
          const note =
            body.Note === undefined
              ? undefined
              : (() => {
                  const given = shape.object(body.Note, 'Note');
                  return {
                    Text: shape.text(given.Text, 'Note.Text', { min: 1, max: 512 }),
                    UpdatedBy: shape.text(given.UpdatedBy, 'Note.UpdatedBy', { min: 1, max: 128 }),
                  };
                })();
          const fields =
            body.UserDefinedFields === undefined
              ? undefined
              : shape.object(body.UserDefinedFields, 'UserDefinedFields');
          for (const [key, value] of Object.entries(fields ?? {})) shape.text(value, `UserDefinedFields.${key}`);
          for (const { Id, ProductArn } of identifiers) {
            const before = findings.get(Id);
            findings.set(Id, {
              ...before,
              id: Id,
              productArn: ProductArn,
              ...(workflow === undefined ? {} : { workflowStatus: workflow }),
              ...(note === undefined ? {} : { note }),
              ...(fields === undefined
                ? {}
                : { userDefinedFields: { ...before?.userDefinedFields, ...fields } as Record<string, string> }),
            });
          }
          return { ProcessedFindings: identifiers, UnprocessedFindings: [] };
        },
      },
    ],
  });
  return { ...fake, updated: (id) => findings.get(id) };
}
