import { expect } from "chai";
import { ofType, Registration } from "../helpers/mockEngine";
import { evaluateStack, EvaluatedStack, inputsOf } from "./fixtures";

const DNS = { route53ZoneId: "Z0123456789ABCDEFGHIJ", domainName: "api.example.com" };

/**
 * DNS failover with nothing to change at failover time (stacks/README.md): prod owns the PRIMARY record
 * and the operator's switch, dr the SECONDARY record, all created while both regions are healthy.
 * Provider rules cited from terraform-provider-aws: internal/service/route53/record.go,
 * internal/service/route53/health_check.go, internal/service/cloudwatch/metric_alarm.go.
 */
describe("DNS failover: records, health checks and the operator's switch", () => {
  let prod: EvaluatedStack;
  let dr: EvaluatedStack;
  const record = (stack: EvaluatedStack) =>
    inputsOf(stack.registrations, "aws:route53/record:Record", "app-dns");
  const healthCheck = (name: string) =>
    inputsOf(prod.registrations, "aws:route53/healthCheck:HealthCheck", name);

  before(async () => {
    prod = await evaluateStack("prod", DNS);
    dr = await evaluateStack("dr", DNS);
  });

  it("prod: a PRIMARY failover alias to prod's load balancer, answered while the switch is 0", () => {
    expect(record(prod)).to.deep.include({
      zoneId: DNS.route53ZoneId,
      name: DNS.domainName,
      type: "A",
      setIdentifier: "primary",
      failoverRoutingPolicies: [{ type: "PRIMARY" }],
      healthCheckId: "app-serve-primary-id",
    });
    expect(record(prod).aliases).to.deep.equal([
      { name: "app-alb-1.us-east-1.elb.amazonaws.com", zoneId: "Z35SXDOTRQ7X7K", evaluateTargetHealth: true },
    ]);
  });

  it("dr: a SECONDARY failover alias to the DR load balancer, on prod's inverted health check", () => {
    expect(record(dr)).to.deep.include({
      name: DNS.domainName,
      setIdentifier: "secondary",
      failoverRoutingPolicies: [{ type: "SECONDARY" }],
      healthCheckId: "app-serve-dr-id",
    });
    expect(record(dr).aliases).to.deep.equal([
      { name: "app-alb-1.us-west-2.elb.amazonaws.com", zoneId: "Z35SXDOTRQ7X7K", evaluateTargetHealth: true },
    ]);
  });

  it("keeps the provider's record rules: set_identifier with a failover policy, alias without ttl or records", () => {
    for (const inputs of [record(prod), record(dr)]) {
      // record.go: failover_routing_policy RequiredWith set_identifier; type PRIMARY or SECONDARY.
      expect(inputs.setIdentifier).to.be.a("string").and.not.equal("");
      expect(["PRIMARY", "SECONDARY"]).to.include(inputs.failoverRoutingPolicies[0].type);
      // record.go: alias ExactlyOneOf alias/records, ConflictsWith ttl.
      expect(inputs).to.not.have.any.keys(
        "records",
        "ttl",
        "weightedRoutingPolicies",
        "latencyRoutingPolicies",
      );
    }
  });

  it("the switch: an alarm in the DR region on a metric the operator publishes, holding its state", () => {
    const alarm = inputsOf(
      prod.registrations,
      "aws:cloudwatch/metricAlarm:MetricAlarm",
      "app-failover-switch",
    );
    expect(alarm).to.deep.include({
      region: "us-west-2",
      name: "ServeFromDr-api.example.com",
      namespace: "DrApp/Failover",
      metricName: "ServeFromDr",
      dimensions: { DomainName: DNS.domainName },
      statistic: "Maximum",
      period: 60,
      evaluationPeriods: 1,
      threshold: 1,
      comparisonOperator: "GreaterThanOrEqualToThreshold",
      treatMissingData: "ignore",
    });
    // metric_alarm.go: metric_name needs exactly one of statistic/extended_statistic; period 10, 30 or n*60.
    expect(alarm).to.not.have.any.keys("extendedStatistic", "metricQueries");
  });

  it("two health checks on the alarm: serve-primary healthy at 0, serve-dr its inverse", () => {
    expect(healthCheck("app-serve-primary")).to.deep.include({
      type: "CLOUDWATCH_METRIC",
      cloudwatchAlarmRegion: "us-west-2",
      insufficientDataHealthStatus: "LastKnownStatus",
      invertHealthcheck: false,
    });
    expect(healthCheck("app-serve-dr")).to.deep.include({
      type: "CLOUDWATCH_METRIC",
      cloudwatchAlarmRegion: "us-west-2",
      insufficientDataHealthStatus: "LastKnownStatus",
      invertHealthcheck: true,
    });
    for (const name of ["app-serve-primary", "app-serve-dr"]) {
      // health_check.go: reference_name at most 64 - 37 - 11 = 16 characters.
      expect(healthCheck(name).referenceName.length, name).to.be.at.most(16);
      expect(healthCheck(name).cloudwatchAlarmName).to.equal("ServeFromDr-api.example.com");
    }
  });

  it("exports the switch for the dr stack, the runbook and the operator", () => {
    expect(prod.outputs.failoverSwitch).to.deep.equal({
      region: "us-west-2",
      namespace: "DrApp/Failover",
      metricName: "ServeFromDr",
      dimensions: { DomainName: DNS.domainName },
      alarmName: "ServeFromDr-api.example.com",
      primaryHealthCheckId: "app-serve-primary-id",
      drHealthCheckId: "app-serve-dr-id",
    });
  });

  it("creates no record, health check or alarm without DNS", async () => {
    for (const stack of [await evaluateStack("prod"), await evaluateStack("dr")]) {
      const dnsTypes = (r: Registration) =>
        r.type.startsWith("aws:route53/") || r.name === "app-failover-switch" ? [`${r.type} ${r.name}`] : [];
      expect(stack.registrations.flatMap(dnsTypes)).to.deep.equal([]);
      expect(stack.outputs).to.not.have.any.keys("failoverSwitch", "dnsName");
    }
    // The health checks are prod's: the dr stack only reads the one its record needs.
    expect(ofType(dr.registrations, "aws:route53/healthCheck:HealthCheck")).to.have.length(0);
  });
});
