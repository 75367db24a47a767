/**
 * The Glue columns of an incident report (core's incidentReportSchema), in Hive types. The OpenX JSON SerDe
 * matches JSON keys to columns without regard to case, so `guarddutyFindingType` lands in `guarddutyfindingtype`.
 * A test checks that every top-level property of the report's JSON Schema has a column.
 */
export const INCIDENT_COLUMNS: readonly { name: string; type: string }[] = [
  { name: 'schemaversion', type: 'string' },
  { name: 'timestamp', type: 'string' },
  { name: 'disposition', type: 'string' },
  { name: 'dispositionreason', type: 'string' },
  { name: 'findingid', type: 'string' },
  { name: 'guarddutyfindingtype', type: 'string' },
  { name: 'severity', type: 'double' },
  { name: 'accountid', type: 'string' },
  { name: 'region', type: 'string' },
  { name: 'partition', type: 'string' },
  { name: 'resourcetype', type: 'string' },
  { name: 'sample', type: 'boolean' },
  { name: 'responsemode', type: 'struct<mode:string,reason:string>' },
  { name: 'instanceid', type: 'string' },
  {
    name: 'actor',
    type:
      'struct<type:string,arn:string,sourceip:string,useragent:string,principalarn:string,identitytype:string,' +
      'invokedby:string,launcheventtime:string,launcheventid:string>',
  },
  {
    name: 'response',
    type:
      'struct<asgdisabled:boolean,networkisolated:boolean,instancestopped:boolean,actorfrozen:boolean,' +
      'rootinvolved:boolean,manualinterventionrequired:boolean>',
  },
  {
    name: 'attributionchain',
    type: 'array<struct<eventname:string,eventid:string,eventtime:string,actorarn:string,resourcename:string>>',
  },
  { name: 'evidence', type: 'struct<snapshots:array<struct<volumeid:string,snapshotid:string>>,hibernated:boolean>' },
  {
    name: 'deliveries',
    type: 'array<struct<receivedat:string,eventid:string,servicecount:int,outcome:string>>',
  },
  { name: 'manualinterventionreasons', type: 'array<string>' },
  {
    name: 'steps',
    type:
      'array<struct<step:string,action:string,target:string,startedat:string,endedat:string,status:string,' +
      'reason:string,woulddo:string,errorcode:string,errormessage:string>>',
  },
  {
    name: 'undo',
    type:
      'struct<networkinterfaces:array<struct<networkinterfaceid:string,vpcid:string,' +
      'previoussecuritygroupids:array<string>,isolationsecuritygroupid:string,connectioncutsecuritygroupid:string>>,' +
      'autoscalinggroup:struct<autoscalinggroupname:string,detachedinstanceid:string,previousminsize:int,' +
      'previousmaxsize:int,previousdesiredcapacity:int>,' +
      'user:struct<userarn:string,loginprofiledeleted:boolean,deactivatedaccesskeyids:array<string>,' +
      'denypolicyname:string>,' +
      'role:struct<rolearn:string,originaltrustpolicy:string,trustpolicyreplaced:boolean,' +
      'revokesessionspolicyname:string>,' +
      'evidence:struct<instanceid:string,previousterminationprotection:boolean,terminationprotectionenabled:boolean,' +
      'volumeskeptontermination:array<struct<volumeid:string,devicename:string>>,taggedresourceids:array<string>,' +
      'incidenttagkeys:array<string>>>',
  },
];
