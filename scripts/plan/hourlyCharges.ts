/** What a planned stack bills by the hour whatever it serves, priced from the cost model's hourly terms. */
import { num, usd } from "../cost/amounts";
import {
  HourlyTerm,
  interfaceEndpointTerm,
  loadBalancerTerms,
  natGatewayTerms,
  termsMonthlyUsd,
} from "../cost/idleDr";
import { auditFrameworkCost, UNSCOPED_AUDIT } from "../cost/auditFramework";
import { natGatewayCount } from "../cost/plan";
import { PriceBook } from "../cost/prices";
import { compact, pick } from "./display";
import { PlannedResource, UNKNOWN } from "./engine";

/** Something the resources bill by the hour, with what it costs a month at the price file's prices. */
export interface HourlyCharge {
  /** The resource and what bills, e.g. `app-alb: application load balancer (hours, LCUs and ...)`. */
  readonly charge: string;
  /** Dollars a month at the price file's hourly prices; unset when the file has no price for it. */
  readonly monthlyUsd?: number;
  /** How `monthlyUsd` is reached, term by term, or where the price is to be found. */
  readonly arithmetic: string;
}

/** The VPC's availability zones as the program asked for them (awsx picks two when it names none). */
function zoneCount(resources: readonly PlannedResource[]): number {
  const vpc = resources.find((resource) => resource.type === "awsx:ec2:Vpc");
  const names = vpc?.inputs.availabilityZoneNames;
  if (Array.isArray(names)) return names.length;
  const count = vpc?.inputs.numberOfAvailabilityZones;
  return typeof count === "number" ? count : 2;
}

/**
 * What the resources bill by the hour, whatever they hold (what a standby dr stack should keep small),
 * each with its monthly cost at `prices`, the price file `dr cost` uses. Traffic (LCUs, data) is extra.
 */
export function hourlyCharges(resources: readonly PlannedResource[], prices: PriceBook): HourlyCharge[] {
  const hours = prices.hoursPerMonth;
  const zones = zoneCount(resources);
  const at = (charge: string, terms: readonly HourlyTerm[], note = ""): HourlyCharge => {
    const monthlyUsd = Math.round(termsMonthlyUsd(terms, prices) * 100) / 100;
    const sum = terms
      .map((term) => `${num(term.count)} ${term.what} x ${num(hours)} h x $${prices.prices[term.price].usd}`)
      .join(" + ");
    return { charge, monthlyUsd, arithmetic: `${sum} = ${usd(monthlyUsd)}${note}` };
  };
  const unpriced = (charge: string, what: string, page: string): HourlyCharge => ({
    charge,
    arithmetic: `no ${what} price in the price file: see ${page}`,
  });
  // Interface endpoints bill per endpoint and availability zone whether or not anything uses them.
  const endpoints = resources.filter(
    (resource) =>
      resource.type === "aws:ec2/vpcEndpoint:VpcEndpoint" && resource.inputs.vpcEndpointType === "Interface",
  );
  const endpointCharges =
    endpoints.length === 0
      ? []
      : [
          at(`${endpoints.map((endpoint) => endpoint.name).join(", ")}: interface VPC endpoints`, [
            interfaceEndpointTerm(endpoints.length, zones),
          ]),
        ];
  const standing = resources.flatMap((resource) => {
    const inputs = resource.inputs;
    switch (resource.type) {
      case "awsx:lb:ApplicationLoadBalancer":
        return [
          at(
            `${resource.name}: application load balancer (hours, LCUs and its public IPv4 addresses)`,
            loadBalancerTerms(1, zones),
            "; LCUs with traffic on top",
          ),
        ];
      case "awsx:ec2:Vpc": {
        const strategy = pick(inputs, "natGateways.strategy");
        const gateways = natGatewayCount(String(strategy), zones);
        return strategy === "None"
          ? []
          : [
              at(
                `${resource.name}: NAT gateways (${compact(strategy)}) and their Elastic IPs`,
                natGatewayTerms(gateways),
              ),
            ];
      }
      case "aws:autoscaling/group:Group": {
        const desired = inputs.desiredCapacity;
        const template = resources.find((r) => r.type === "aws:ec2/launchTemplate:LaunchTemplate")?.inputs;
        return desired === 0
          ? []
          : [
              unpriced(
                `${resource.name}: ${compact(desired)} EC2 instance(s) (min ${compact(inputs.minSize)})`,
                `EC2 ${compact(template?.instanceType ?? UNKNOWN)}`,
                prices.source.ec2 ?? "the EC2 pricing page",
              ),
            ];
      }
      case "aws:ecs/service:Service": {
        const task = resources.find((r) => r.type === "aws:ecs/taskDefinition:TaskDefinition")?.inputs;
        return inputs.desiredCount === 0
          ? []
          : [
              unpriced(
                `${resource.name}: ${compact(inputs.desiredCount)} Fargate task(s) of ${compact(task?.cpu ?? UNKNOWN)} CPU units, ${compact(task?.memory ?? UNKNOWN)} MiB`,
                "Fargate vCPU and GB hours",
                "the AWS Fargate pricing page",
              ),
            ];
      }
      case "aws:rds/instance:Instance":
        return [
          unpriced(
            `${resource.name}: RDS ${compact(inputs.instanceClass)}${inputs.multiAz === true ? " Multi-AZ" : ""}`,
            `RDS ${compact(inputs.instanceClass)}`,
            prices.source.rds ?? "the RDS pricing page",
          ),
        ];
      case "aws:backup/framework:Framework": {
        // Billed per control evaluation, not by the hour, but whatever the stack serves: the cost model's
        // line (scripts/cost/auditFramework.ts), over the resources its controls' tag scope selects.
        const controls = (Array.isArray(inputs.controls) ? inputs.controls : []) as {
          name?: string;
          scope?: { tags?: Record<string, string> };
        }[];
        const scopeTags = Object.entries(controls[0]?.scope?.tags ?? {});
        if (scopeTags.length === 0) {
          return [
            {
              charge: `${resource.name}: AWS Backup Audit Manager control evaluations`,
              arithmetic: UNSCOPED_AUDIT,
            },
          ];
        }
        const evaluated = resources.filter((r) => {
          const tags = r.inputs.tags as Record<string, unknown> | undefined;
          return tags && scopeTags.every(([key, value]) => tags[key] === value);
        }).length;
        const [line] = auditFrameworkCost(
          { controls: controls.map((control) => String(control.name)), resources: evaluated },
          compact(inputs.region),
          prices,
        ).lines;
        return [
          { charge: `${resource.name}: ${line.item}`, monthlyUsd: line.monthly, arithmetic: line.arithmetic },
        ];
      }
      default:
        return [];
    }
  });
  return [...standing, ...endpointCharges];
}
