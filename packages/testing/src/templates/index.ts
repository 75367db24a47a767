// Checks on synthesized CloudFormation templates: cdk-nag's AwsSolutions pack and the pinned cfn-lint.
// A subpath of its own ('@cryptominer-defense/testing/templates') so that only CDK tests load aws-cdk-lib.
export { type CfnLintFinding, cfnLintFindings } from './cfnLintFindings';
export { type NagViolation, nagViolations } from './nagViolations';
