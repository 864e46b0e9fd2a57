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
};

export const ACCOUNT = "111122223333";
