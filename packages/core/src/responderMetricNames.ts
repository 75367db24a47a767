/** The CloudWatch namespace of the responder's own metrics (the responder logs them; the central stack alarms). */
export const RESPONDER_METRICS_NAMESPACE = 'CryptominerAutoDefense';

/** Events the handler refused: not from its own queue, direct invocations, findings of another partition. */
export const REJECTED_EVENTS_METRIC = 'RejectedEvents';

/** Containment steps that failed in a response (each one leaves something for a person to do). */
export const FAILED_CONTAINMENT_STEPS_METRIC = 'FailedContainmentSteps';
