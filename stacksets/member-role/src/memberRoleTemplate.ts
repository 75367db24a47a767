import { App } from 'aws-cdk-lib';
import { MemberRoleStack } from './MemberRoleStack';

/** A CloudFormation template, as synthesized. */
export type CloudFormationTemplate = Record<string, unknown>;

/**
 * The member-role template, synthesized in an app of its own: the StackSet's TemplateBody. Without path metadata
 * and version reporting, so that the body stays small and identical for the same source.
 */
export function memberRoleTemplate(): CloudFormationTemplate {
  const app = new App({
    analyticsReporting: false,
    context: { 'aws:cdk:enable-path-metadata': false },
  });
  const stack = new MemberRoleStack(app, 'CryptominerMemberRole');
  return app.synth().getStackByName(stack.stackName).template as CloudFormationTemplate;
}
