import { expect } from "chai";
import { RESTORED_KEYS } from "../../../../stacks/config";
import { ALL_RESOURCES, resourceOf } from "../../../../scripts/recovery/resources/registry";
import { SUPPORTED_RESOURCE_TYPES } from "../../../../scripts/recovery/resources/types";

describe("resource modules", () => {
  it("the registry holds one module per supported type, each for its own type", () => {
    expect(ALL_RESOURCES.map((r) => r.type)).to.deep.equal([...SUPPORTED_RESOURCE_TYPES]);
    for (const type of SUPPORTED_RESOURCE_TYPES) {
      expect(resourceOf(type).type).to.equal(type);
    }
  });

  it("names every copy whose id is its name; AWS names EC2 and EBS copies", () => {
    for (const resource of ALL_RESOURCES.filter((r) => r.idIsName)) {
      expect(resource.nameRule, resource.type).to.not.equal(undefined);
    }
    expect(ALL_RESOURCES.filter((r) => r.nameRule === undefined).map((r) => r.type)).to.deep.equal([
      "EC2",
      "EBS",
    ]);
  });

  it("sets only dr stack config keys the stacks declare, and every one of them", () => {
    const keys = ALL_RESOURCES.flatMap((r) => [r.drConfig?.nameKey, r.drConfig?.result?.key]).filter(
      (k) => k !== undefined,
    );
    expect([...new Set(keys)].sort()).to.deep.equal([...RESTORED_KEYS].sort());
  });

  it("looks up an endpoint only for the databases", () => {
    expect(ALL_RESOURCES.filter((r) => r.lookUpEndpoint).map((r) => r.type)).to.deep.equal(["RDS", "Aurora"]);
  });
});
