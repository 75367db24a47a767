import { requestShape } from '../loopback/requestShape';
import { type RestJsonFake, startRestJsonFake } from '../loopback/startRestJsonFake';

export interface GuardDutyFake extends RestJsonFake {
  /** The feedback last given to a finding of a detector in a region (`USEFUL` / `NOT_USEFUL`). */
  feedbackOf(region: string, detectorId: string, findingId: string): string | undefined;
  /** Whether ArchiveFindings archived the finding of the detector in the region. */
  isArchived(region: string, detectorId: string, findingId: string): boolean;
}

const DETECTOR_PATH = '^/detector/(?<detectorId>[^/]{1,300})/findings/';

/** `findingIds`, as both operations document it: 0-50 ids of 1-300 characters. */
function findingIdsOf(operation: string, body: Record<string, unknown>): string[] {
  const shape = requestShape(operation, 'BadRequestException');
  return shape
    .list(body.findingIds, 'findingIds', { min: 0, max: 50 })
    .map((id, index) => shape.text(id, `findingIds[${index}]`, { min: 1, max: 300 }));
}

/**
 * GuardDuty's UpdateFindingsFeedback (`POST /detector/{detectorId}/findings/feedback`) and ArchiveFindings
 * (`POST /detector/{detectorId}/findings/archive`), which moto lacks: checked against the API reference's request
 * syntax and answered as it documents (200, an empty body); every other GuardDuty request goes on to moto.
 */
export async function startGuardDutyFake(options: { readonly emulatorEndpoint: string }): Promise<GuardDutyFake> {
  const feedback = new Map<string, string>();
  const archived = new Set<string>();
  // Detectors are regional: a request signed for another region reaches another detector.
  const key = (region: string, detectorId: string, findingId: string) => `${region}/${detectorId}/${findingId}`;
  const fake = await startRestJsonFake({
    forwardTo: options.emulatorEndpoint,
    operations: [
      {
        name: 'UpdateFindingsFeedback',
        method: 'POST',
        path: new RegExp(`${DETECTOR_PATH}feedback$`),
        answer(body, { detectorId = '' }, region) {
          const shape = requestShape('UpdateFindingsFeedback', 'BadRequestException');
          shape.known(body, ['findingIds', 'feedback', 'comments']);
          const given = shape.oneOf(body.feedback, 'feedback', ['USEFUL', 'NOT_USEFUL']);
          if (body.comments !== undefined) shape.text(body.comments, 'comments');
          for (const id of findingIdsOf('UpdateFindingsFeedback', body))
            feedback.set(key(region, detectorId, id), given);
          return {};
        },
      },
      {
        name: 'ArchiveFindings',
        method: 'POST',
        path: new RegExp(`${DETECTOR_PATH}archive$`),
        answer(body, { detectorId = '' }, region) {
          requestShape('ArchiveFindings', 'BadRequestException').known(body, ['findingIds']);
          for (const id of findingIdsOf('ArchiveFindings', body)) archived.add(key(region, detectorId, id));
          return {};
        },
      },
    ],
  });
  return {
    ...fake,
    feedbackOf: (region, detectorId, findingId) => feedback.get(key(region, detectorId, findingId)),
    isArchived: (region, detectorId, findingId) => archived.has(key(region, detectorId, findingId)),
  };
}
