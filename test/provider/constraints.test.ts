import { expect } from "chai";
import { COMPONENT_VARIANTS } from "../helpers/componentVariants";
import { checkAll, Violation } from "./checker";
import { constraintTable } from "./constraints";
import { componentRegistrations, PLAN_VARIANTS, planRegistrations, RecordedResource } from "./registrations";
import { describeRule, TypeConstraints } from "./rules";

/** The coverage table: each type with its provider file, how many resources were checked, and its rules. */
function renderTable(
  table: ReadonlyMap<string, TypeConstraints>,
  resources: readonly RecordedResource[],
): string {
  const counts = new Map<string, number>();
  for (const r of resources) counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
  const lines = [
    "Provider constraints checked (resource type, resources checked, provider file, constraints):",
  ];
  for (const [type, entry] of [...table].sort(([a], [b]) => a.localeCompare(b))) {
    lines.push(`  ${type}  [${counts.get(type) ?? 0} checked]  ${entry.file}`);
    for (const rule of entry.rules) lines.push(`      ${describeRule(rule)}`);
    if (entry.autoName) lines.push(`      (auto-named ${entry.autoName} checked as <logical name>-<7 hex>)`);
    if (entry.note) lines.push(`      note: ${entry.note}`);
  }
  return lines.join("\n");
}

describe("provider constraints: every registered resource of every component variant and plan variant", function () {
  this.timeout(120_000);
  const table = constraintTable();
  let resources: RecordedResource[];
  let violations: Violation[];

  before(async () => {
    resources = [];
    // One at a time: each installs its own mock engine.
    for (const variant of COMPONENT_VARIANTS) resources.push(...(await componentRegistrations(variant)));
    for (const variant of PLAN_VARIANTS) resources.push(...(await planRegistrations(variant)));
    violations = checkAll(resources, table);
  });

  after(() => {
    if (resources) console.log(renderTable(table, resources));
  });

  it("has every component and plan variant registering resources", () => {
    const sources = new Set(resources.map((r) => r.source));
    expect([...sources]).to.have.members([
      ...COMPONENT_VARIANTS.map((v) => `component: ${v.label}`),
      ...PLAN_VARIANTS.map((v) => `plan: ${v.label}`),
    ]);
  });

  it("has a table entry for every registered resource type", () => {
    const missing = [...new Set(resources.map((r) => r.type))].filter((type) => !table.has(type)).sort();
    expect(missing, "read the provider's file for these types and add their constraints").to.deep.equal([]);
  });

  it("cites a provider file and states rules or why there are none, for every entry", () => {
    for (const entry of table.values()) {
      expect(entry.file, entry.type).to.match(
        /^(internal\/service\/|pulumi\/pulumi-awsx |components\/|@pulumi\/)/,
      );
      expect(entry.rules.length > 0 || (entry.note ?? "").length > 0, entry.type).to.equal(true);
    }
  });

  it("finds no argument the provider would reject at preview", () => {
    expect(violations.map((v) => v.message)).to.deep.equal([]);
  });
});
