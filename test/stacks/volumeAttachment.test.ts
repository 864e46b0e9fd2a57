// The data volume is attachable where the servers run: an EC2 API route without NAT, and a server in its AZ.
import { expect } from "chai";
import { ofType, Registration } from "../helpers/mockEngine";
import { evaluateStack, inputsOf } from "./fixtures";

const ENDPOINT = "aws:ec2/vpcEndpoint:VpcEndpoint";

function ec2Endpoints(registrations: Registration[]): Registration[] {
  return ofType(registrations, ENDPOINT).filter((r) => String(r.inputs.serviceName).endsWith(".ec2"));
}

describe("stacks: the servers can attach the data volume (APP_DATA_VOLUME_ID)", () => {
  for (const mode of ["standby", "active"]) {
    it(`dr (${mode}, no NAT gateway) reaches the EC2 API through an ec2 interface endpoint in its private subnets`, async () => {
      const { registrations } = await evaluateStack("dr", {
        mode,
        ...(mode === "active" && { restoredVolumeId: "vol-0123456789abcdef0" }),
      });
      const [endpoint] = ec2Endpoints(registrations);
      expect(endpoint?.inputs).to.deep.include({
        region: "us-west-2",
        serviceName: "com.amazonaws.us-west-2.ec2",
        vpcEndpointType: "Interface",
        subnetIds: ["subnet-us-west-2-private-1", "subnet-us-west-2-private-2"],
        securityGroupIds: ["app-ec2-endpoint-sg-id"],
        privateDnsEnabled: true,
      });
      expect(
        inputsOf(registrations, "aws:ec2/securityGroup:SecurityGroup", "app-ec2-endpoint-sg").ingress,
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
  }

  it("prod reaches it through its NAT gateway, and gets the endpoint only without one", async () => {
    expect(ec2Endpoints((await evaluateStack("prod")).registrations)).to.have.length(0);
    const withoutNat = await evaluateStack("prod", { natGateways: "None" });
    expect(ec2Endpoints(withoutNat.registrations).map((r) => r.inputs.region)).to.deep.equal(["us-east-1"]);
  });

  it("keeps the servers in both AZs: one server, in the volume's AZ, attaches it (stacks/README.md)", async () => {
    const { registrations } = await evaluateStack("dr", {
      mode: "active",
      restoredVolumeId: "vol-0123456789abcdef0",
    });
    expect(
      inputsOf(registrations, "aws:autoscaling/group:Group", "app-asg").vpcZoneIdentifiers,
    ).to.deep.equal(["subnet-us-west-2-private-1", "subnet-us-west-2-private-2"]);
  });
});
