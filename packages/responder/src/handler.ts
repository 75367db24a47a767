import { Logger } from '@aws-lambda-powertools/logger';
import { createLambdaHandler } from './createLambdaHandler';

// Created at cold start: a missing or malformed variable fails the init phase with its name.
const logger = new Logger({ serviceName: 'cryptominer-responder' });

/** The central Lambda's entry point (EventBridge event, or SQS batch of them). */
export const handler = createLambdaHandler({ env: process.env, logger });
