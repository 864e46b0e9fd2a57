/** The protection's keys and alarms: vault KMS keys, failed-job alarms and the DNS failover switch. */
import { num } from "./amounts";
import { costLine, CostPart } from "./costLine";
import { CostPlan } from "./inputs";
import { PriceBook } from "./prices";

/** With DNS, the failover switch's health checks and alarm; always the vault keys and the job alarms. */
export function keysAndAlarms(plan: CostPlan, prices: PriceBook): CostPart {
  const section = "keys and alarms";
  return {
    lines: [
      ...(plan.failoverSwitch
        ? [
            costLine(prices, {
              section,
              item: "Route 53 health checks of the DNS failover switch",
              quantity: 2,
              unit: "health-check-month",
              price: "route53HealthCheckMonth",
              terms: "2 health checks (serve-primary, serve-dr) on one alarm",
            }),
            costLine(prices, {
              section,
              item: `CloudWatch alarm of the DNS failover switch (${plan.drRegion})`,
              quantity: 1,
              unit: "alarm-month",
              price: "cloudwatchAlarmMonth",
              terms: "1 alarm",
            }),
          ]
        : []),
      costLine(prices, {
        section,
        item: `KMS keys (${plan.primaryRegion}, ${plan.drRegion})`,
        quantity: plan.kmsKeys,
        unit: "key-month",
        price: "kmsKeyMonth",
        terms: `${num(plan.kmsKeys)} keys (primary and DR vault keys; the replicas use the DR key)`,
      }),
      costLine(prices, {
        section,
        item: "CloudWatch alarms on failed backup, copy and restore jobs",
        quantity: plan.alarms,
        unit: "alarm-month",
        price: "cloudwatchAlarmMonth",
        terms: `${num(plan.alarms)} alarms`,
      }),
    ],
  };
}
