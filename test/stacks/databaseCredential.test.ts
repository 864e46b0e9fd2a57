// The application's database credential in each stack's own region: the secret, the servers' grant, the ARN in app.env, the endpoint.
import { expect } from "chai";
import { ofType, Registration } from "../helpers/mockEngine";
import { evaluateStack, EvaluatedStack, inputsOf, userDataOf } from "./fixtures";

/** The servers' data policy statement that lets them read secrets, or undefined. */
function secretGrant(registrations: Registration[]): { Action: string[]; Resource: string[] } | undefined {
  const policy = JSON.parse(
    inputsOf(registrations, "aws:iam/rolePolicy:RolePolicy", "app-instance-data").policy,
  );
  return policy.Statement.find((s: { Sid: string }) => s.Sid === "ReadDbCredential");
}

function envLine(registrations: Registration[], key: string): string | undefined {
  const userData = userDataOf(
    inputsOf(registrations, "aws:ec2/launchTemplate:LaunchTemplate", "app-launch-template"),
  );
  return userData.split("\n").find((line) => line.startsWith(`${key}=`));
}

const MANAGED_SECRET = "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-0123-AbCdEf";

describe("database credential: the dr stack's own secret in the DR region", () => {
  let standby: EvaluatedStack;
  let active: EvaluatedStack;

  before(async () => {
    standby = await evaluateStack("dr");
    active = await evaluateStack("dr", {
      mode: "active",
      restoredDbEndpoint: "dr-20261123-app-db.xyz789.us-west-2.rds.amazonaws.com:5432",
      restoredDbInstanceId: "dr-20261123-app-db",
    });
  });

  it("creates the secret in standby already, in us-west-2, with no value: dr recover writes it", () => {
    const [secret] = ofType(standby.registrations, "aws:secretsmanager/secret:Secret");
    expect(secret.name).to.equal("app-db-credential");
    expect(secret.inputs.region).to.equal("us-west-2");
    expect(secret.inputs.name).to.equal("dr-app-dr-app-db-credential");
    expect(secret.inputs).to.not.have.any.keys("kmsKeyId", "replicas", "policy");
    expect(ofType(standby.registrations, "aws:secretsmanager/secretVersion:SecretVersion")).to.deep.equal([]);
    expect(standby.outputs.dbCredentialSecretArn).to.match(
      /^arn:aws:secretsmanager:us-west-2:.*app-db-credential/,
    );
  });

  it("lets the servers read that secret and only that one, the same in standby and active", () => {
    const arn = standby.outputs.dbCredentialSecretArn as string;
    expect(secretGrant(standby.registrations)).to.deep.equal({
      Sid: "ReadDbCredential",
      Effect: "Allow",
      Action: ["secretsmanager:GetSecretValue"],
      Resource: [arn],
    });
    expect(secretGrant(active.registrations)).to.deep.equal(secretGrant(standby.registrations));
  });

  it("gives the servers its name in /etc/dr-app/app.env", () => {
    // Its name, which a preview knows (GetSecretValue takes a name or an ARN).
    expect(envLine(active.registrations, "APP_DB_SECRET_ID")).to.equal(
      "APP_DB_SECRET_ID=dr-app-dr-app-db-credential",
    );
  });

  it("lets the servers, which have no NAT gateway, reach Secrets Manager through an interface endpoint, HTTPS from them only", () => {
    expect(
      inputsOf(standby.registrations, "aws:ec2/vpcEndpoint:VpcEndpoint", "app-secretsmanager-endpoint"),
    ).to.deep.include({
      region: "us-west-2",
      serviceName: "com.amazonaws.us-west-2.secretsmanager",
      vpcEndpointType: "Interface",
      subnetIds: ["subnet-us-west-2-private-1", "subnet-us-west-2-private-2"],
      privateDnsEnabled: true,
    });
    expect(
      inputsOf(standby.registrations, "aws:ec2/securityGroup:SecurityGroup", "app-secretsmanager-endpoint-sg")
        .ingress,
    ).to.deep.equal([
      {
        protocol: "tcp",
        fromPort: 443,
        toPort: 443,
        securityGroups: ["app-sg-id"],
        description: "From the application servers",
      },
    ]);
  });
});

describe("database credential: prod's servers read the secret of the database they use", () => {
  it("prod's own database with dbPassword unset: the secret RDS manages in us-east-1", async () => {
    const prod = await evaluateStack("prod");
    expect(envLine(prod.registrations, "APP_DB_SECRET_ID")).to.equal(`APP_DB_SECRET_ID=${MANAGED_SECRET}`);
    expect(envLine(prod.registrations, "APP_DB_ENGINE")).to.equal("APP_DB_ENGINE=postgres");
    expect(secretGrant(prod.registrations)?.Resource).to.deep.equal([
      prod.outputs.dbCredentialSecretArn,
      MANAGED_SECRET,
    ]);
    expect(prod.warnings.join("\n")).to.not.contain("dbPassword");
  });

  it("prod's own database with dbPassword set: a secret holding it, written by Pulumi", async () => {
    const prod = await evaluateStack("prod", { dbPassword: "correct-horse-battery" });
    const secret = inputsOf(prod.registrations, "aws:secretsmanager/secret:Secret", "app-db-password");
    expect(secret.region).to.equal("us-east-1");
    const version = inputsOf(
      prod.registrations,
      "aws:secretsmanager/secretVersion:SecretVersion",
      "app-db-password",
    );
    // A Pulumi secret: the mock engine records it as { <secret signature>, value }.
    const secretString =
      typeof version.secretString === "string" ? version.secretString : version.secretString.value;
    expect(JSON.parse(secretString)).to.deep.include({
      username: "appadmin",
      password: "correct-horse-battery",
    });
    const arn = prod.outputs.appDbSecretArn as string;
    expect(arn).to.match(/app-db-password/);
    expect(envLine(prod.registrations, "APP_DB_SECRET_ID")).to.equal(`APP_DB_SECRET_ID=${arn}`);
  });

  it("a failed-back database: prod's own credential secret, which dr failback writes; the grant does not change", async () => {
    const own = await evaluateStack("prod");
    const failedBack = await evaluateStack("prod", {
      restoredDbEndpoint: "fb-20261130t180000c4-app-db.abc123.us-east-1.rds.amazonaws.com:5432",
      restoredDbInstanceId: "fb-20261130t180000c4-app-db",
    });
    const arn = failedBack.outputs.dbCredentialSecretArn as string;
    expect(arn).to.match(/^arn:aws:secretsmanager:us-east-1:.*app-db-credential/);
    expect(envLine(failedBack.registrations, "APP_DB_SECRET_ID")).to.equal(
      "APP_DB_SECRET_ID=dr-app-prod-app-db-credential",
    );
    expect(secretGrant(failedBack.registrations)).to.deep.equal(secretGrant(own.registrations));
  });

  it("creates no Secrets Manager endpoint while the VPC has a NAT gateway", async () => {
    const prod = await evaluateStack("prod");
    expect(ofType(prod.registrations, "aws:ec2/vpcEndpoint:VpcEndpoint").map((r) => r.name)).to.not.include(
      "app-secretsmanager-endpoint",
    );
  });
});
