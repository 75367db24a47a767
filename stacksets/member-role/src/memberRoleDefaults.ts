/** The responder role's default name in member accounts: the engine's RESPONDER_ROLE_NAME default. */
export { DEFAULT_RESPONDER_ROLE_NAME } from '@cryptominer-defense/core';

/**
 * The name of the central function's execution role. Fixed, so that its ARN is known before the central
 * stack exists and member roles can name it in their trust condition.
 */
export const DEFAULT_CENTRAL_FUNCTION_ROLE_NAME = 'CryptominerCentralResponder';
