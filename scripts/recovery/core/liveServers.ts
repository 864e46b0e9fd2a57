/** The application servers still alive in a VPC, or matching a filter. */
import { EC2Client, Filter, paginateDescribeInstances } from "@aws-sdk/client-ec2";

/** States of an instance that may still serve, and so write: everything short of stopped or terminated. */
const LIVE_STATES = ["pending", "running", "stopping", "shutting-down"];

/**
 * A stack's application servers still alive in its VPC: instances of an Auto Scaling group (the stack's
 * is the only one there) in a state that may still serve. EC2 DescribeInstances, every page.
 */
export async function liveServers(ec2: EC2Client, vpcId: string): Promise<string[]> {
  return liveServersWhere(ec2, { Name: "vpc-id", Values: [vpcId] });
}

/** Live servers of an Auto Scaling group matching `where` (a DescribeInstances filter), every page. */
export async function liveServersWhere(ec2: EC2Client, where: Filter): Promise<string[]> {
  const ids: string[] = [];
  const filters = [
    where,
    { Name: "tag-key", Values: ["aws:autoscaling:groupName"] },
    { Name: "instance-state-name", Values: LIVE_STATES },
  ];
  for await (const page of paginateDescribeInstances({ client: ec2 }, { Filters: filters })) {
    for (const reservation of page.Reservations ?? []) {
      for (const instance of reservation.Instances ?? []) {
        if (instance.InstanceId) {
          ids.push(instance.InstanceId);
        }
      }
    }
  }
  return ids;
}
