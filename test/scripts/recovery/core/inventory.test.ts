// Which data inventory entry claims a restore: by the source's ARN, or as the failback copy that replaced it.
import { expect } from "chai";
import { entryClaiming } from "../../../../scripts/recovery/core/inventory";
import type { DataInventoryEntry } from "../../../../stacks/drContract";

const ARN = "arn:aws:rds:us-east-1:111122223333:db:";
const INVENTORY: DataInventoryEntry[] = [
  { name: "orders-db", kind: "rds", sourceArn: `${ARN}orders`, sourceId: "orders" },
  { name: "billing-db", kind: "rds", sourceArn: `${ARN}billing`, sourceId: "billing" },
];

describe("entryClaiming", () => {
  it("GIVEN two databases of one kind THEN each restore is claimed by the entry of its source ARN", () => {
    const claimed = (id: string) =>
      entryClaiming({ resourceArn: `${ARN}${id}`, resourceName: id, resourceType: "RDS" }, INVENTORY)?.name;
    expect([claimed("billing"), claimed("orders")]).to.deep.equal(["billing-db", "orders-db"]);
  });

  it("GIVEN a failback's copy of an entry's database THEN that entry claims it", () => {
    const copy = "fb-20260412t090000a7-billing";
    const entry = entryClaiming(
      { resourceArn: `${ARN}${copy}`, resourceName: copy, resourceType: "RDS" },
      INVENTORY,
    );
    expect(entry?.name).to.equal("billing-db");
  });

  it("GIVEN a resource no entry names, or one of another kind by the same name, THEN no entry claims it", () => {
    expect(
      entryClaiming(
        { resourceArn: `${ARN}reporting`, resourceName: "reporting", resourceType: "RDS" },
        INVENTORY,
      ),
    ).to.equal(undefined);
    const table = "fb-20260412t090000a7-billing";
    expect(
      entryClaiming(
        {
          resourceArn: `arn:aws:dynamodb:us-east-1:111122223333:table/${table}`,
          resourceName: table,
          resourceType: "DynamoDB",
        },
        INVENTORY,
      ),
    ).to.equal(undefined);
  });
});
