// Moved to core (release needs it too). Kept as a re-export so that steps/ keeps its imports while it is being
// refactored; import from '@cryptominer-defense/core' instead, and delete this file once nothing does.
export { type AwsErrorDetails, awsErrorDetails, isAwsError } from '@cryptominer-defense/core';
