/** The dr stack outputs of docs/CONTRACTS.md, as a deployed dr stack would report them. */
export const DR_OUTPUTS = {
  role: "dr",
  mode: "standby",
  region: "us-west-2",
  primaryRegion: "us-east-1",
  drVaultName: "dr-vault",
  primaryVaultName: "primary-vault",
  backupRoleArn: "arn:aws:iam::111122223333:role/dr-app-backup-restore",
  vpcId: "vpc-0dr",
  privateSubnetIds: ["subnet-0dra", "subnet-0drb"],
  publicSubnetIds: ["subnet-0pua", "subnet-0pub"],
  availabilityZones: ["us-west-2a", "us-west-2b"],
  appSecurityGroupId: "sg-0appdr",
  dbSecurityGroupId: "sg-0dbdr",
  dbSubnetGroupName: "dr-app-db-subnets",
  loadBalancerDnsName: "dr-app-alb-123.us-west-2.elb.amazonaws.com",
  healthCheckUrl: "http://dr-app-alb-123.us-west-2.elb.amazonaws.com/health",
  rpoMinutes: 60,
  rtoMinutes: 240,
  replicaBuckets: { "app-data": "app-data-replica-us-west-2" },
  restoredSettings: {
    selectionTags: { backup: "true" },
    backupWindow: "00:10-00:40",
    maintenanceWindow: "sun:02:10-sun:02:40",
  },
};

export const ACCOUNT = "111122223333";

/** The prod stack outputs a failback reads (its region, vault, restore role and network), as a deployed prod stack would report them. */
export const PROD_OUTPUTS = {
  role: "primary",
  region: "us-east-1",
  primaryRegion: "us-east-1",
  primaryVaultName: "primary-vault",
  drVaultName: "dr-vault",
  backupRoleArn: `arn:aws:iam::${ACCOUNT}:role/prod-backup`,
  vpcId: "vpc-0prod",
  privateSubnetIds: ["subnet-0proda", "subnet-0prodb"],
  availabilityZones: ["us-east-1a", "us-east-1b"],
  appSecurityGroupId: "sg-0appprod",
  dbSecurityGroupId: "sg-0dbprod",
  dbSubnetGroupName: "prod-db-subnets",
  loadBalancerDnsName: "prod-alb.us-east-1.elb.amazonaws.com",
  healthCheckUrl: "http://prod-alb.us-east-1.elb.amazonaws.com/health",
  replicaBuckets: { "app-data": "app-data-replica-us-west-2" },
};
