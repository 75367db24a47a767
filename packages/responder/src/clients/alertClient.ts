// Imported dynamically by createClientFactory.ts: the SNS client, which only publishes the alert after the report is
// written. A module of its own so that the bundler keeps only the client class (see clientsLoadedOnDemand.ts).
export { SNSClient } from '@aws-sdk/client-sns';
