/**
 * The idle dr stack's hourly charges: what its load balancer, NAT gateways and interface endpoints bill by
 * the hour whatever they serve. `dr cost` prices them from the cost plan, `dr plan` from planned resources.
 */
import { num } from "./amounts";
import { costLine, CostPart } from "./costLine";
import { CostPlan } from "./inputs";
import { PriceBook, PriceKey } from "./prices";

/** Something billed by the hour: `count` of `what`, each at the hourly price `price`. */
export interface HourlyTerm {
  readonly count: number;
  /** What one of `count` is, e.g. `ALB`, `public IPv4`, `endpoint-AZ`. */
  readonly what: string;
  readonly price: PriceKey;
}

/** Application Load Balancers: each one, and its public IPv4 address in each availability zone. */
export function loadBalancerTerms(
  loadBalancers: number,
  zones: number,
): [alb: HourlyTerm, publicIpv4: HourlyTerm] {
  return [
    { count: loadBalancers, what: "ALB", price: "albHour" },
    { count: loadBalancers * zones, what: "public IPv4", price: "publicIpv4Hour" },
  ];
}

/** NAT gateways: each gateway, and its Elastic IP. */
export function natGatewayTerms(gateways: number): [natGateway: HourlyTerm, elasticIp: HourlyTerm] {
  return [
    { count: gateways, what: "NAT gateway", price: "natGatewayHour" },
    { count: gateways, what: "Elastic IP", price: "publicIpv4Hour" },
  ];
}

/** Interface VPC endpoints: billed per endpoint and availability zone, whether or not anything uses them. */
export function interfaceEndpointTerm(endpoints: number, zones: number): HourlyTerm {
  return { count: endpoints * zones, what: "endpoint-AZ", price: "vpcInterfaceEndpointAzHour" };
}

/** Unit-hours of `term` in a month of `hoursPerMonth`. */
export function termHours(term: HourlyTerm, hoursPerMonth: number): number {
  return term.count * hoursPerMonth;
}

/** Dollars a month of `terms` at `prices` (unrounded): each term's unit-hours at its hourly price. */
export function termsMonthlyUsd(terms: readonly HourlyTerm[], prices: PriceBook): number {
  return terms.reduce(
    (sum, term) => sum + termHours(term, prices.hoursPerMonth) * prices.prices[term.price].usd,
    0,
  );
}

/**
 * The idle dr stack's lines: its load balancer (hours, capacity units at no traffic, public IPv4
 * addresses), NAT gateways (a dr stack has none) and interface endpoints.
 */
export function idleDrStack(plan: CostPlan, prices: PriceBook): CostPart {
  const hours = prices.hoursPerMonth;
  const idle = plan.idleDr;
  const section = "idle dr stack";
  const [alb, publicIpv4] = loadBalancerTerms(idle.loadBalancers, idle.availabilityZones);
  const [natGateway] = natGatewayTerms(idle.natGateways);
  const endpoints = interfaceEndpointTerm(idle.interfaceEndpoints, idle.availabilityZones);
  return {
    lines: [
      costLine(prices, {
        section,
        item: `Application Load Balancer (${plan.drRegion})`,
        quantity: termHours(alb, hours),
        unit: "ALB-hour",
        price: alb.price,
        terms: `${num(idle.loadBalancers)} ALB x ${num(hours)} h`,
      }),
      costLine(prices, {
        section,
        item: "load balancer capacity units",
        quantity: 0,
        unit: "LCU-hour",
        price: "albLcuHour",
        terms: `${num(idle.loadBalancers)} ALB x ${num(hours)} h x 0 LCU (no traffic in standby)`,
      }),
      costLine(prices, {
        section,
        item: "public IPv4 addresses of the load balancer",
        quantity: termHours(publicIpv4, hours),
        unit: "IP-hour",
        price: publicIpv4.price,
        terms: `${num(idle.loadBalancers)} ALB x ${num(idle.availabilityZones)} zones x ${num(hours)} h`,
      }),
      costLine(prices, {
        section,
        item: "NAT gateways",
        quantity: termHours(natGateway, hours),
        unit: "NAT-hour",
        price: natGateway.price,
        terms: `${num(idle.natGateways)} NAT gateways x ${num(hours)} h`,
      }),
      costLine(prices, {
        section,
        item: "interface VPC endpoints (EC2 API, Secrets Manager; with interfaceEndpoints Session Manager, CloudWatch Logs)",
        quantity: termHours(endpoints, hours),
        unit: "endpoint-AZ-hour",
        price: endpoints.price,
        terms: `${num(idle.interfaceEndpoints)} endpoints${idle.interfaceEndpoints === 0 ? " (dr-app:interfaceEndpoints false)" : ""} x ${num(idle.availabilityZones)} zones x ${num(hours)} h`,
      }),
    ],
  };
}
