export { acknowledgeWildcardResources, type WildcardResource } from './acknowledgeWildcardResources';
export { MemberRoleError, UnscopedActionError } from './errors';
export { MEMBER_ROLE_PARAMETERS, MemberRoleStack } from './MemberRoleStack';
export { type ActionScope, ISOLATION_GROUP_TAG, MEMBER_ACTION_SCOPES } from './memberActionScopes';
export { DEFAULT_CENTRAL_FUNCTION_ROLE_NAME, DEFAULT_RESPONDER_ROLE_NAME } from './memberRoleDefaults';
export { memberRolePolicyDocument } from './memberRolePolicyDocument';
export { type CloudFormationTemplate, memberRoleTemplate } from './memberRoleTemplate';
export { protectedRoleResourcePatterns } from './protectedRoles';
export { ResponderRole, type ResponderRoleProps } from './ResponderRole';
