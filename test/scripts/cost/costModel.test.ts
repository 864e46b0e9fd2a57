import { expect } from "chai";
import { costLine } from "../../../scripts/cost/costLine";
import {
  idleDrStack,
  interfaceEndpointTerm,
  loadBalancerTerms,
  termHours,
} from "../../../scripts/cost/idleDr";
import { loadPriceBook } from "../../../scripts/cost/prices";
import { amountRow, wrapText } from "../../../scripts/output";
import { CostPlan } from "../../../scripts/cost/inputs";

const prices = loadPriceBook();

describe("cost: the cost model's parts", () => {
  it("GIVEN a line's named fields THEN costLine prices it to the cent and writes its arithmetic", () => {
    const line = costLine(prices, {
      section: "keys and alarms",
      item: "KMS keys",
      quantity: 2,
      unit: "key-month",
      price: "kmsKeyMonth",
      terms: "2 keys",
    });
    const unitPrice = prices.prices.kmsKeyMonth.usd;
    expect(line).to.include({ section: "keys and alarms", item: "KMS keys", quantity: 2, unitPrice });
    expect(line.monthly).to.equal(Math.round(2 * unitPrice * 100) / 100);
    expect(line.arithmetic).to.match(/^2 keys x \$[\d.]+\/key-month = \$\d+\.\d\d$/);
  });

  it("GIVEN an idle dr stack THEN its load balancer and endpoint lines count the hours of the shared hourly terms", () => {
    const plan = {
      drRegion: "us-west-2",
      idleDr: { loadBalancers: 1, availabilityZones: 2, natGateways: 0, interfaceEndpoints: 3 },
    } as CostPlan;
    const lines = idleDrStack(plan, prices).lines;
    const [alb, ipv4] = loadBalancerTerms(1, 2);
    const hours = prices.hoursPerMonth;
    expect(lines.map((line) => [line.price, line.quantity])).to.deep.equal([
      ["albHour", termHours(alb, hours)],
      ["albLcuHour", 0],
      ["publicIpv4Hour", termHours(ipv4, hours)],
      ["natGatewayHour", 0],
      ["vpcInterfaceEndpointAzHour", termHours(interfaceEndpointTerm(3, 2), hours)],
    ]);
    expect(termHours(ipv4, hours)).to.equal(2 * hours);
  });
});

describe("output: the text layout plan and cost share", () => {
  it("GIVEN a word longer than the line THEN wrapText cuts it, or keeps it whole when asked", () => {
    const text = `see ${"x".repeat(30)}`;
    expect(wrapText(text, { width: 20, first: "  " })).to.deep.equal(["  see", `  ${"x".repeat(17)}…`]);
    expect(wrapText(text, { width: 20, first: "  ", longWords: "whole" })).to.deep.equal([
      "  see",
      `  ${"x".repeat(30)}`,
    ]);
    expect(wrapText("", { width: 20 })).to.deep.equal([]);
  });

  it("GIVEN a label and an amount THEN amountRow puts the amount flush right, cutting a long label", () => {
    expect(amountRow("KMS keys", "$2.00", 20)).to.equal("  KMS keys     $2.00");
    expect(amountRow("a label far too long", "$2.00", 20)).to.equal("  a label far… $2.00");
  });
});
