// Imported dynamically by createClientFactory.ts: the Security Hub client, which acts only after the report is written
// (and only with SECURITY_HUB_UPDATES=on). A module of its own so that the bundler keeps only the client class.
export { SecurityHubClient } from '@aws-sdk/client-securityhub';
