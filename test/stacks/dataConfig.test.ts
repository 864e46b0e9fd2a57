import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import {
  configSource,
  EfsDataSettings,
  efsThroughput,
  readSettings,
  StackConfigError,
  StackSettings,
} from "../../stacks/config";
import { stackConfig } from "./fixtures";

/** The settings of `stack`'s config file with `overrides` (structured values as JSON, as Pulumi passes them). */
function settingsOf(stack: string, overrides: Record<string, string> = {}): StackSettings {
  return readSettings(configSource(stackConfig(stack, overrides)), { project: "dr-app", stack });
}

/** The problems readSettings reports for this config. */
function problemsOf(stack: string, overrides: Record<string, string>): string[] {
  try {
    settingsOf(stack, overrides);
  } catch (err) {
    expect(err).to.be.instanceOf(StackConfigError);
    expect(pulumi.RunError.isInstance(err as Error)).to.equal(true);
    return [...(err as StackConfigError).problems];
  }
  throw new Error("expected a StackConfigError");
}

const data = (...entries: object[]) => ({ data: JSON.stringify(entries) });

describe("stack config: the data inventory (data)", () => {
  it("defaults to the example's database, table, volume and bucket, with the old keys' settings", () => {
    const prod = settingsOf("prod", { dbInstanceClass: "db.t3.large", volumeSizeGiB: "50" });
    if (prod.role !== "primary") throw new Error("expected primary");
    expect(prod.data).to.deep.equal([
      {
        name: "db",
        kind: "rds",
        engine: "postgres",
        engineVersion: "16",
        instanceClass: "db.t3.large",
        allocatedStorage: 20,
        multiAz: false,
        dbName: "app",
        username: "appadmin",
      },
      { name: "table", kind: "dynamodb", hashKey: "pk", rangeKey: "sk" },
      { name: "volume", kind: "ebs", sizeGiB: 50 },
      { name: "bucket", kind: "s3", replicate: true },
    ]);
  });

  it("reads any number of each kind with their settings and defaults", () => {
    const prod = settingsOf(
      "prod",
      data(
        { name: "orders-db", kind: "rds", instanceClass: "db.t3.small", allocatedStorage: 50 },
        { name: "users", kind: "aurora", engine: "aurora-postgresql", instances: 2 },
        { name: "orders", kind: "dynamodb", hashKey: "id" },
        { name: "shared", kind: "efs" },
        { name: "assets", kind: "s3", bucketName: "acme-assets-0001", replicate: false },
      ),
    );
    if (prod.role !== "primary") throw new Error("expected primary");
    expect(prod.data.map((entry) => `${entry.name}:${entry.kind}`)).to.deep.equal([
      "orders-db:rds",
      "users:aurora",
      "orders:dynamodb",
      "shared:efs",
      "assets:s3",
    ]);
    expect(prod.data[1]).to.deep.include({
      engineVersion: "16",
      instanceClass: "db.r6g.large",
      instances: 2,
    });
    expect(prod.data[2]).to.deep.equal({ name: "orders", kind: "dynamodb", hashKey: "id" });
    expect(prod.data[3]).to.deep.include({ performanceMode: "generalPurpose", throughputMode: "elastic" });
    expect(prod.data[3]).to.not.have.property("provisionedThroughputInMibps");
    expect(prod.data[4]).to.deep.equal({
      name: "assets",
      kind: "s3",
      bucketName: "acme-assets-0001",
      replicate: false,
    });
  });

  it("reads provisioned throughput with its amount, exported as the entry's throughput", () => {
    const prod = settingsOf(
      "prod",
      data({ name: "shared", kind: "efs", throughputMode: "provisioned", provisionedThroughputInMibps: 256 }),
    );
    expect(prod.data[0]).to.deep.equal({
      name: "shared",
      kind: "efs",
      performanceMode: "generalPurpose",
      throughputMode: "provisioned",
      provisionedThroughputInMibps: 256,
    });
    expect(efsThroughput(prod.data[0] as EfsDataSettings)).to.deep.equal({
      mode: "provisioned",
      provisionedMibps: 256,
    });
    expect(efsThroughput({ ...(prod.data[0] as EfsDataSettings), throughputMode: "elastic" })).to.deep.equal({
      mode: "elastic",
    });
  });

  it("takes a fractional amount of provisioned throughput: EFS's ProvisionedThroughputInMibps is a Double", () => {
    const prod = settingsOf(
      "prod",
      data({ name: "shared", kind: "efs", throughputMode: "provisioned", provisionedThroughputInMibps: 1.5 }),
    );
    expect(efsThroughput(prod.data[0] as EfsDataSettings)).to.deep.equal({
      mode: "provisioned",
      provisionedMibps: 1.5,
    });
  });

  describe("refuses, naming the entry, the field, the value and the rule", () => {
    const cases: [string, object[], string][] = [
      [
        "a name with upper case",
        [{ name: "Orders", kind: "dynamodb", hashKey: "id" }],
        "Configuration 'dr-app:data[Orders].name' value 'Orders' must be a logical name: a lower-case letter, then up to 30 lower-case letters, digits and -",
      ],
      [
        "a name longer than 31 characters",
        [{ name: "a".repeat(32), kind: "s3" }],
        `Configuration 'dr-app:data[${"a".repeat(32)}].name' value '${"a".repeat(32)}' must be a logical name: a lower-case letter, then up to 30 lower-case letters, digits and -`,
      ],
      [
        "a name given twice",
        [
          { name: "orders", kind: "s3" },
          { name: "orders", kind: "dynamodb", hashKey: "id" },
        ],
        "Configuration 'dr-app:data[orders].name' value 'orders' must be unique in the inventory: another entry has it",
      ],
      [
        "an unknown kind",
        [{ name: "cache", kind: "elasticache" }],
        "Configuration 'dr-app:data[cache].kind' value 'elasticache' is not a known kind (s3, dynamodb, rds, aurora, ebs, efs)",
      ],
      [
        "a table without its partition key",
        [{ name: "orders", kind: "dynamodb" }],
        "Configuration 'dr-app:data[orders].hashKey' value '' is required for an entry of kind dynamodb",
      ],
      [
        "an Aurora cluster without its engine",
        [{ name: "users", kind: "aurora" }],
        "Configuration 'dr-app:data[users].engine' value '' is required for an entry of kind aurora",
      ],
      [
        "an Aurora engine that is not Aurora's",
        [{ name: "users", kind: "aurora", engine: "postgres" }],
        `Configuration 'dr-app:data[users].engine' value 'postgres' is not a legal enum value (["aurora-postgresql","aurora-mysql"])`,
      ],
      [
        "a misspelt setting",
        [{ name: "orders", kind: "dynamodb", hashkey: "id", hashKey: "id" }],
        "Configuration 'dr-app:data[orders].hashkey' value 'id' is not a setting of kind dynamodb (hashKey, rangeKey)",
      ],
      [
        "an RDS storage below RDS's minimum",
        [{ name: "db", kind: "rds", allocatedStorage: 10 }],
        "Configuration 'dr-app:data[db].allocatedStorage' value '10' is outside of the legal range (20-65536, inclusive)",
      ],
      [
        "an instance class that is not RDS's",
        [{ name: "db", kind: "rds", instanceClass: "t3.medium" }],
        "Configuration 'dr-app:data[db].instanceClass' value 't3.medium' must be an RDS instance class such as db.t3.medium",
      ],
      [
        "a volume size that is not an integer",
        [{ name: "data", kind: "ebs", sizeGiB: "big" }],
        "Configuration 'dr-app:data[data].sizeGiB' value 'big' is not a valid integer",
      ],
      [
        "a replicate flag that is not a boolean",
        [{ name: "assets", kind: "s3", replicate: "yes" }],
        "Configuration 'dr-app:data[assets].replicate' value 'yes' is not a valid boolean",
      ],
      [
        "an EFS throughput mode EFS does not have",
        [{ name: "shared", kind: "efs", throughputMode: "fast" }],
        `Configuration 'dr-app:data[shared].throughputMode' value 'fast' is not a legal enum value (["bursting","elastic","provisioned"])`,
      ],
      [
        "provisioned throughput without an amount",
        [{ name: "shared", kind: "efs", throughputMode: "provisioned" }],
        "Configuration 'dr-app:data[shared].provisionedThroughputInMibps' value '' is required with throughputMode provisioned: EFS provisions that many MiB/s",
      ],
      [
        "an amount of provisioned throughput with another mode",
        [{ name: "shared", kind: "efs", provisionedThroughputInMibps: 128 }],
        "Configuration 'dr-app:data[shared].provisionedThroughputInMibps' value '128' applies to throughputMode provisioned only, not elastic",
      ],
      [
        "less provisioned throughput than EFS takes",
        [{ name: "shared", kind: "efs", throughputMode: "provisioned", provisionedThroughputInMibps: 0.5 }],
        "Configuration 'dr-app:data[shared].provisionedThroughputInMibps' value '0.5' is outside of the legal range (1-3414, inclusive)",
      ],
      [
        "more provisioned throughput than EFS takes",
        [{ name: "shared", kind: "efs", throughputMode: "provisioned", provisionedThroughputInMibps: 4000 }],
        "Configuration 'dr-app:data[shared].provisionedThroughputInMibps' value '4000' is outside of the legal range (1-3414, inclusive)",
      ],
      [
        "Elastic throughput on a Max I/O file system",
        [{ name: "shared", kind: "efs", performanceMode: "maxIO" }],
        "Configuration 'dr-app:data[shared].throughputMode' value 'elastic' needs performanceMode generalPurpose: EFS offers Elastic throughput only with the General Purpose performance mode",
      ],
      [
        "databases of two engine families (one port)",
        [
          { name: "orders-db", kind: "rds", engine: "postgres" },
          { name: "legacy-db", kind: "rds", engine: "mysql" },
        ],
        "Configuration 'dr-app:data[legacy-db].engine' value 'mysql' listens on 3306, but data[orders-db] (postgres) on 5432: the database security group opens one port, so every database of the inventory must use one engine family",
      ],
      [
        "an entry that is not an object",
        ["orders" as unknown as object],
        `Configuration 'dr-app:data[0]' value 'orders' must be an object with a name and a kind`,
      ],
    ];
    for (const [what, entries, message] of cases) {
      it(what, () => {
        expect(problemsOf("prod", data(...entries))).to.deep.equal([message]);
      });
    }

    it("an amount of provisioned throughput that is not a number", () => {
      const entry = { name: "shared", kind: "efs", throughputMode: "provisioned" };
      expect(problemsOf("prod", data({ ...entry, provisionedThroughputInMibps: "fast" }))[0]).to.equal(
        "Configuration 'dr-app:data[shared].provisionedThroughputInMibps' value 'fast' is not a valid number",
      );
    });

    it("a value that is not a list", () => {
      expect(problemsOf("prod", { data: '{"name":"db"}' })).to.deep.equal([
        `Configuration 'dr-app:data' value '{"name":"db"}' must be a list of entries, each with a name and a kind`,
      ]);
    });

    it("a bucket name S3 would refuse", () => {
      const [problem] = problemsOf("prod", data({ name: "assets", kind: "s3", bucketName: "Acme_Assets" }));
      expect(problem).to.match(/^Configuration 'dr-app:data\[assets\]\.bucketName' value 'Acme_Assets' /);
    });
  });
});

describe("stack config: restored data (restoredData)", () => {
  const restored = (value: object) => ({ restoredData: JSON.stringify(value) });

  it("reads logical name -> kind, id, endpoint and arn", () => {
    const dr = settingsOf(
      "dr",
      restored({
        "orders-db": {
          kind: "rds",
          id: "dr-1-orders-db",
          endpoint: "dr-1-orders-db.abc.us-west-2.rds.amazonaws.com:5432",
        },
        shared: {
          kind: "efs",
          id: "fs-0123456789abcdef0",
          arn: "arn:aws:elasticfilesystem:us-west-2:111122223333:file-system/fs-0123456789abcdef0",
        },
      }),
    );
    expect(dr.role === "dr" && dr.restoredData).to.deep.equal({
      "orders-db": {
        kind: "rds",
        id: "dr-1-orders-db",
        endpoint: "dr-1-orders-db.abc.us-west-2.rds.amazonaws.com:5432",
      },
      shared: {
        kind: "efs",
        id: "fs-0123456789abcdef0",
        arn: "arn:aws:elasticfilesystem:us-west-2:111122223333:file-system/fs-0123456789abcdef0",
      },
    });
    expect(dr.warnings).to.deep.equal([]);
  });

  it("reads the deprecated keys as the default example's entries, each with a warning naming restoredData", () => {
    const dr = settingsOf("dr", {
      restoredDbEndpoint: "dr-1-app-db.abc.us-west-2.rds.amazonaws.com:5432",
      restoredDbInstanceId: "dr-1-app-db",
      restoredTableName: "dr-1-app-table",
      restoredVolumeId: "vol-0123456789abcdef0",
    });
    if (dr.role !== "dr") throw new Error("expected dr");
    expect(dr.restoredData).to.deep.equal({
      db: { kind: "rds", id: "dr-1-app-db", endpoint: "dr-1-app-db.abc.us-west-2.rds.amazonaws.com:5432" },
      table: { kind: "dynamodb", id: "dr-1-app-table" },
      volume: { kind: "ebs", id: "vol-0123456789abcdef0" },
    });
    expect(dr.warnings).to.have.length(4);
    expect(dr.warnings[2]).to.equal(
      "Configuration 'dr-app:restoredTableName' is deprecated: set 'dr-app:restoredData' (a JSON object, logical name -> {kind, id, endpoint?, arn?}); it is read as the default example's entries this release",
    );
  });

  const refused: [string, object, string][] = [
    [
      "a name that is not a logical name",
      { Orders: { kind: "dynamodb", id: "dr-1-orders" } },
      "Configuration 'dr-app:restoredData.Orders' value 'Orders' must be keyed by a logical name of the inventory (a-z, 0-9, -)",
    ],
    [
      "an entry without an id",
      { orders: { kind: "dynamodb" } },
      `Configuration 'dr-app:restoredData.orders' value '{"kind":"dynamodb"}' must be an object with a kind and a non-empty id`,
    ],
    [
      "an unknown kind",
      { orders: { kind: "table", id: "dr-1-orders" } },
      "Configuration 'dr-app:restoredData.orders.kind' value 'table' is not a known kind (s3, dynamodb, rds, aurora, ebs, efs)",
    ],
    [
      "a volume id that is not one",
      { data: { kind: "ebs", id: "volume-1" } },
      "Configuration 'dr-app:restoredData.data.id' value 'volume-1' must be an EBS volume id such as vol-0123456789abcdef0",
    ],
    [
      "a file system id that is not one",
      { shared: { kind: "efs", id: "shared" } },
      "Configuration 'dr-app:restoredData.shared.id' value 'shared' must be an EFS file system id such as fs-0123456789abcdef0",
    ],
    [
      "on dr, a table not named as the recovery names it",
      { orders: { kind: "dynamodb", id: "orders" } },
      "Configuration 'dr-app:restoredData.orders.id' value 'orders' must start with dr- or drill-, as the recovery CLI names restored tables: the servers are granted no other table",
    ],
    [
      "an endpoint that is not host:port",
      { db: { kind: "rds", id: "dr-1-db", endpoint: "postgres://dr-1-db" } },
      "Configuration 'dr-app:restoredData.db.endpoint' value 'postgres://dr-1-db' must be host:port, e.g. restored-db.abc123.us-west-2.rds.amazonaws.com:5432",
    ],
  ];
  for (const [what, value, message] of refused) {
    it(`refuses ${what}`, () => {
      expect(problemsOf("dr", restored(value))).to.deep.equal([message]);
    });
  }

  it("refuses a value that is not an object", () => {
    expect(problemsOf("dr", { restoredData: "[1]" })).to.deep.equal([
      "Configuration 'dr-app:restoredData' value '[1]' must be a JSON object: logical name -> {kind, id, endpoint?, arn?}",
    ]);
    expect(problemsOf("dr", { restoredData: "{not json" })).to.deep.equal([
      "Configuration 'dr-app:restoredData' value '{not json' is not valid JSON (a list or an object)",
    ]);
  });
});
