// Imported dynamically by createClientFactory.ts, the clients the response needs only after isolation. A module
// of its own so that the bundler sees which exports are used: an import() of '@aws-sdk/client-iam' itself would
// keep every command of the package (a namespace object has them all), making the bundle larger, not smaller.
export { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
export { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
export { IAMClient } from '@aws-sdk/client-iam';
export { LambdaClient } from '@aws-sdk/client-lambda';
