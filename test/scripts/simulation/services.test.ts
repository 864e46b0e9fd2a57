import {
  BackupClient,
  DescribeRestoreJobCommand,
  StartBackupJobCommand,
  StartRestoreJobCommand,
} from "@aws-sdk/client-backup";
import { DynamoDBClient, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { DescribeFileSystemsCommand } from "@aws-sdk/client-efs";
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectVersionsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  UploadPartCopyCommand,
  paginateListObjectsV2,
} from "@aws-sdk/client-s3";
import { expect } from "chai";
import { createHash } from "crypto";
import * as path from "path";
import { AwsClients, createAwsClients, destroyAwsClients } from "../../../scripts/aws/clients";
import { DR_CONFIG_KEYS } from "../../../scripts/recovery/core/stackHandle";
import { applyEnvironment, rehearsalEnvironment } from "../../../scripts/rehearsal/isolation";
import { OfflineDrStack } from "../../../scripts/rehearsal/offlineStack";
import { deleteRestored, verifyRestored } from "../../../scripts/recovery/core/restoredResources";
import { resourceOf } from "../../../scripts/recovery/resources/registry";
import { ResourceType } from "../../../scripts/recovery/resources/types";
import { FakeAws, startFakeAws } from "../../../scripts/simulation/fakeAwsServer";
import { simPoint } from "../../../scripts/simulation/recoveryPoints";
import { simulationClient } from "../../fakes/simulationClient";

/** A retention inside the fake's default Vault Lock (3 to 97 days): a job without one fails. */
const KEEP_A_WEEK = { DeleteAfterDays: 7 };

const ROOT = path.resolve(__dirname, "..", "..", "..");

describe("simulation: the data planes of what restore jobs created, over the SDK", function () {
  this.timeout(30_000);
  let fake: FakeAws;
  let clients: AwsClients;
  let restoreEnv: () => void;
  let time = Date.parse("2026-04-12T09:00:00Z");
  const clock = { now: () => time };
  const types: ResourceType[] = ["RDS", "Aurora", "EC2", "EBS", "DynamoDB", "EFS", "S3"];
  const points = types.map((type) =>
    simPoint(type, `src-${type.toLowerCase()}`, time, 3_600_000, { restoreMs: 60_000 }),
  );
  const ids = new Map<ResourceType, string>();

  before(async () => {
    fake = await startFakeAws({ points, clock });
    restoreEnv = applyEnvironment(rehearsalEnvironment(fake.url, "us-west-2", "/nonexistent"));
    clients = createAwsClients({ region: "us-west-2", maxAttempts: 1 });
    const backup = new BackupClient({ region: "us-west-2" });
    const names: Record<string, Record<string, string>> = {
      RDS: { DBInstanceIdentifier: "drill-x-db", Port: "5432" },
      Aurora: { DBClusterIdentifier: "drill-x-cluster" },
      DynamoDB: { targetTableName: "drill-x-table" },
      S3: { DestinationBucketName: "drill-x-bucket" },
    };
    for (const point of points) {
      await backup.send(
        new StartRestoreJobCommand({
          RecoveryPointArn: point.recoveryPointArn,
          IamRoleArn: "arn:aws:iam::111122223333:role/r",
          Metadata: names[point.resourceType] ?? {},
        }),
      );
    }
    backup.destroy();
  });

  after(async () => {
    destroyAwsClients(clients);
    restoreEnv();
    await fake.close();
  });

  it("has nothing before the restore jobs complete", async () => {
    expect(fake.resources()).to.deep.equal([]);
    const check = await verifyRestored(clients, "DynamoDB", "drill-x-table");
    expect(check.ok).to.equal(false);
    expect(check.detail).to.match(/ResourceNotFoundException/);
  });

  it("sets an EFS file system's throughput over HTTP (UpdateFileSystem), and refuses a change within 24 hours", async () => {
    time += 61_000;
    const fileSystem = fake.resources().find((r) => r.type === "EFS");
    expect(fileSystem, "the restored file system").to.not.equal(undefined);
    const id = fileSystem?.id ?? "";
    const declared = { entry: "shared", summary: "throughput mode provisioned, 128 MiB/s" };
    const efs = resourceOf("EFS");
    // The file system is available: nothing waits, and the 24-hour refusal is not retried.
    const wait = { clock: { ...clock, sleep: () => Promise.reject(new Error("no wait expected")) } };
    expect(
      await efs.applyDeclared?.(
        clients,
        { id },
        { ...declared, throughput: { mode: "provisioned", provisionedMibps: 128 } },
        wait,
      ),
    ).to.equal(`file system ${id} set to throughput mode provisioned, 128 MiB/s (restored with bursting)`);
    const described = await clients.efs.send(new DescribeFileSystemsCommand({ FileSystemId: id }));
    expect(described.FileSystems?.[0]).to.deep.include({
      ThroughputMode: "provisioned",
      ProvisionedThroughputInMibps: 128,
    });
    const refused = await efs
      .applyDeclared?.(
        clients,
        { id },
        { entry: "shared", summary: "throughput mode elastic", throughput: { mode: "elastic" } },
        wait,
      )
      .then(
        () => "set",
        (err: Error) => `${err.name}: ${err.message}`,
      );
    expect(refused).to.match(
      /^TooManyRequests: You have reached the maximum number of throughput mode changes/,
    );
  });

  it("serves every type once its job completed: verify, the RDS endpoint, delete, then gone", async () => {
    time += 61_000;
    for (const resource of fake.resources()) {
      ids.set(resource.type as ResourceType, resource.id);
    }
    expect([...ids.keys()].sort()).to.deep.equal([...types].sort());
    const endpoint = (type: ResourceType, id: string) => resourceOf(type).lookUpEndpoint?.(clients, id);
    expect(await endpoint("RDS", "drill-x-db")).to.equal(
      "drill-x-db.c9akciq32.us-west-2.rds.amazonaws.com:5432",
    );
    expect(await endpoint("Aurora", "drill-x-cluster")).to.match(/^drill-x-cluster\..*:5432$/);
    for (const type of types) {
      const id = ids.get(type) as string;
      expect(await verifyRestored(clients, type, id), type).to.include({ ok: true });
      expect(await deleteRestored(clients, type, id, "drill-x-"), type).to.include({ ok: true });
      const after = await verifyRestored(clients, type, id);
      expect(after.ok, `${type} after deletion: ${after.detail}`).to.equal(false);
    }
    const services = new Set(fake.requests.map((r) => r.service));
    expect([...services].sort()).to.deep.equal([
      "backup",
      "dynamodb",
      "ec2",
      "elasticfilesystem",
      "rds",
      "s3",
    ]);
  });
});

describe("simulation: S3 objects and writes in two regions, over the SDK", function () {
  this.timeout(30_000);
  let time = Date.parse("2026-04-12T09:00:00Z");
  const clock = { now: () => time };
  let fake: FakeAws;
  const client = <T>(Client: new (config: object) => T, region: string): T =>
    new Client(simulationClient(fake.url, region));
  let drS3: S3Client;
  let primaryS3: S3Client;

  before(async () => {
    fake = await startFakeAws({
      points: [],
      clock,
      downRegion: "none",
      resources: [
        { type: "S3", id: "app-data", region: "us-east-1" },
        { type: "S3", id: "app-data-replica-us-west-2", region: "us-west-2" },
        { type: "DynamoDB", id: "dr-r1-orders", region: "us-west-2" },
      ],
      jobScript: { backupMs: 60_000, restoreMs: 60_000 },
    });
    drS3 = client(S3Client, "us-west-2");
    primaryS3 = client(S3Client, "us-east-1");
  });

  after(async () => {
    drS3.destroy();
    primaryS3.destroy();
    await fake.close();
  });

  it("PutObject, ListObjectsV2 in pages, HeadObject, GetObject; each put is a write of the bucket", async () => {
    for (const key of ["orders/3.json", "orders/1.json", "orders/2.json", "logo.png"]) {
      time += 1000;
      await drS3.send(
        new PutObjectCommand({ Bucket: "app-data-replica-us-west-2", Key: key, Body: `{"key":"${key}"}` }),
      );
    }
    const keys: string[] = [];
    let pages = 0;
    for await (const page of paginateListObjectsV2(
      { client: drS3, pageSize: 2 },
      { Bucket: "app-data-replica-us-west-2", Prefix: "orders/" },
    )) {
      pages++;
      keys.push(...(page.Contents ?? []).map((o) => o.Key as string));
    }
    expect({ keys, pages }).to.deep.equal({
      keys: ["orders/1.json", "orders/2.json", "orders/3.json"],
      pages: 2,
    });
    const head = await drS3.send(
      new HeadObjectCommand({ Bucket: "app-data-replica-us-west-2", Key: "logo.png" }),
    );
    expect(head.ETag).to.equal('"' + createHash("md5").update('{"key":"logo.png"}').digest("hex") + '"');
    expect(head.LastModified?.getTime()).to.equal(time);
    const get = await drS3.send(
      new GetObjectCommand({ Bucket: "app-data-replica-us-west-2", Key: "orders/1.json" }),
    );
    expect(await get.Body?.transformToString()).to.equal('{"key":"orders/1.json"}');
    const bucket = fake.resource("arn:aws:s3:::app-data-replica-us-west-2");
    expect({ writes: bucket?.writes, lastWriteAt: bucket?.lastWriteAt }).to.deep.equal({
      writes: 4,
      lastWriteAt: time,
    });
  });

  it("CopyObject from the DR bucket into the source bucket of the primary region, with the client of the destination's region", async () => {
    time += 1000;
    const copied = await primaryS3.send(
      new CopyObjectCommand({
        Bucket: "app-data",
        Key: "orders/1.json",
        CopySource: "app-data-replica-us-west-2/orders/1.json",
      }),
    );
    expect(copied.CopyObjectResult?.ETag).to.equal(
      '"' + createHash("md5").update('{"key":"orders/1.json"}').digest("hex") + '"',
    );
    const listed = await primaryS3.send(new ListObjectsV2Command({ Bucket: "app-data" }));
    expect(listed.KeyCount).to.equal(1);
    expect(listed.Contents?.[0].LastModified?.getTime()).to.equal(time);
    const wrongRegion = await drS3.send(new HeadBucketCommand({ Bucket: "app-data" })).catch((e: Error) => e);
    expect((wrongRegion as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode).to.equal(
      301,
    );
    const notEmpty = await primaryS3
      .send(new DeleteBucketCommand({ Bucket: "app-data" }))
      .catch((e: Error) => e);
    expect((notEmpty as Error).name).to.equal("BucketNotEmpty");
    fake.setReachable("us-west-2", false);
    const sourceDown = await primaryS3
      .send(
        new CopyObjectCommand({
          Bucket: "app-data",
          Key: "x",
          CopySource: "app-data-replica-us-west-2/logo.png",
        }),
      )
      .catch((e: Error) => e);
    fake.setReachable("us-west-2", true);
    expect((sourceDown as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode).to.equal(
      503,
    );
  });

  it("DeleteObject leaves a delete marker over the older versions; DeleteObjects of every version and marker empties the bucket; then DeleteBucket removes it", async () => {
    const removed = await primaryS3.send(
      new DeleteObjectCommand({ Bucket: "app-data", Key: "orders/1.json" }),
    );
    expect(removed.DeleteMarker).to.equal(true);
    for (const key of ["a.json", "b.json"]) {
      await primaryS3.send(new PutObjectCommand({ Bucket: "app-data", Key: key, Body: key }));
    }
    const versions = await primaryS3.send(new ListObjectVersionsCommand({ Bucket: "app-data" }));
    expect(versions.Versions?.map((v) => [v.Key, v.IsLatest])).to.deep.equal([
      ["a.json", true],
      ["b.json", true],
      ["orders/1.json", false],
    ]);
    expect(versions.DeleteMarkers?.map((m) => [m.Key, m.IsLatest, m.VersionId])).to.deep.equal([
      ["orders/1.json", true, removed.VersionId],
    ]);
    const current = await primaryS3.send(new ListObjectsV2Command({ Bucket: "app-data" }));
    expect(current.Contents?.map((o) => o.Key)).to.deep.equal(["a.json", "b.json"]);
    const refused = await primaryS3
      .send(new DeleteBucketCommand({ Bucket: "app-data" }))
      .catch((e: Error) => e);
    expect((refused as Error).name).to.equal("BucketNotEmpty");
    const every = [...(versions.Versions ?? []), ...(versions.DeleteMarkers ?? [])];
    const deleted = await primaryS3.send(
      new DeleteObjectsCommand({
        Bucket: "app-data",
        Delete: { Objects: every.map((v) => ({ Key: v.Key, VersionId: v.VersionId })) },
      }),
    );
    expect(deleted.Deleted?.map((d) => d.Key)).to.deep.equal([
      "a.json",
      "b.json",
      "orders/1.json",
      "orders/1.json",
    ]);
    await primaryS3.send(new DeleteBucketCommand({ Bucket: "app-data" }));
    expect(fake.resource("arn:aws:s3:::app-data")).to.equal(undefined);
    const gone = await primaryS3.send(new HeadBucketCommand({ Bucket: "app-data" })).catch((e: Error) => e);
    expect((gone as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode).to.equal(404);
  });

  it("a backup of a bucket and a table captures their objects and writes; a restore brings them back", async () => {
    const dynamodb = client(DynamoDBClient, "us-west-2");
    const backup = client(BackupClient, "us-west-2");
    try {
      await dynamodb.send(new PutItemCommand({ TableName: "dr-r1-orders", Item: { id: { S: "1" } } }));
      const start = (arn: string) =>
        backup.send(
          new StartBackupJobCommand({
            Lifecycle: KEEP_A_WEEK,
            BackupVaultName: "dr-vault",
            ResourceArn: arn,
            IamRoleArn: "arn:aws:iam::111122223333:role/r",
          }),
        );
      const bucketPoint = await start("arn:aws:s3:::app-data-replica-us-west-2");
      await start("arn:aws:dynamodb:us-west-2:111122223333:table/dr-r1-orders");
      await drS3.send(
        new PutObjectCommand({ Bucket: "app-data-replica-us-west-2", Key: "late.json", Body: "{}" }),
      );
      time += 60_000;
      const points = fake.vault("us-west-2", "dr-vault")?.points ?? [];
      expect(points.map((p) => [p.resourceType, p.state?.writes])).to.deep.equal([
        ["S3", 4],
        ["DynamoDB", 1],
      ]);
      await backup.send(
        new StartRestoreJobCommand({
          RecoveryPointArn: bucketPoint.RecoveryPointArn,
          IamRoleArn: "arn:aws:iam::111122223333:role/r",
          Metadata: { DestinationBucketName: "fbdrill-r1-app-data", NewBucket: "true" },
        }),
      );
      time += 60_000;
      const restored = await drS3.send(new ListObjectsV2Command({ Bucket: "fbdrill-r1-app-data" }));
      expect(restored.Contents?.map((o) => o.Key)).to.deep.equal([
        "logo.png",
        "orders/1.json",
        "orders/2.json",
        "orders/3.json",
      ]);
    } finally {
      dynamodb.destroy();
      backup.destroy();
    }
  });

  it("a bucket restored from a backup holds each key's captured object dated by the restore, a new version of it (review s4a F1)", async () => {
    const backup = client(BackupClient, "us-west-2");
    const bucket = "app-data-replica-us-west-2";
    try {
      await drS3.send(new PutObjectCommand({ Bucket: bucket, Key: "dated.json", Body: '{"v":1}' }));
      const source = await drS3.send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: "dated.json" }));
      const point = await backup.send(
        new StartBackupJobCommand({
          Lifecycle: KEEP_A_WEEK,
          BackupVaultName: "dr-vault",
          ResourceArn: `arn:aws:s3:::${bucket}`,
          IamRoleArn: "arn:aws:iam::111122223333:role/r",
        }),
      );
      time += 60_000;
      const job = await backup.send(
        new StartRestoreJobCommand({
          RecoveryPointArn: point.RecoveryPointArn,
          IamRoleArn: "arn:aws:iam::111122223333:role/r",
          Metadata: { DestinationBucketName: "restored-dated", NewBucket: "true" },
        }),
      );
      time += 60_000;
      const done = await backup.send(new DescribeRestoreJobCommand({ RestoreJobId: job.RestoreJobId }));
      expect(done.Status).to.equal("COMPLETED");
      const restored = await drS3.send(
        new ListObjectVersionsCommand({ Bucket: "restored-dated", Prefix: "dated.json" }),
      );
      const [before] = source.Versions ?? [];
      const [after] = restored.Versions ?? [];
      expect(restored.Versions).to.have.length(1);
      expect(after.ETag).to.equal(before.ETag);
      expect(after.LastModified?.getTime()).to.equal(done.CompletionDate?.getTime());
      expect(after.LastModified?.getTime()).to.be.greaterThan(before.LastModified?.getTime() ?? Infinity);
      expect(after.VersionId).to.not.equal(before.VersionId);
    } finally {
      backup.destroy();
    }
  });

  it("GetObject and HeadObject of a delete marker's version id answer 405 MethodNotAllowed; CopyObject from it 400 InvalidRequest (review finding 11)", async () => {
    const bucket = "app-data-replica-us-west-2";
    await drS3.send(new PutObjectCommand({ Bucket: bucket, Key: "marked.json", Body: "{}" }));
    const marker = await drS3.send(new DeleteObjectCommand({ Bucket: bucket, Key: "marked.json" }));
    expect(marker.DeleteMarker).to.equal(true);
    const status = (e: unknown) =>
      (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;

    const get = await drS3
      .send(new GetObjectCommand({ Bucket: bucket, Key: "marked.json", VersionId: marker.VersionId }))
      .catch((e: Error) => e);
    expect([(get as Error).name, status(get)]).to.deep.equal(["MethodNotAllowed", 405]);
    const head = await drS3
      .send(new HeadObjectCommand({ Bucket: bucket, Key: "marked.json", VersionId: marker.VersionId }))
      .catch((e: Error) => e);
    expect(status(head)).to.equal(405);
    // Without a version id, the key whose current version is a delete marker is not found.
    const current = await drS3
      .send(new GetObjectCommand({ Bucket: bucket, Key: "marked.json" }))
      .catch((e: Error) => e);
    expect([(current as Error).name, status(current)]).to.deep.equal(["NoSuchKey", 404]);

    const copy = await drS3
      .send(
        new CopyObjectCommand({
          Bucket: bucket,
          Key: "copy.json",
          CopySource: `${bucket}/marked.json?versionId=${marker.VersionId}`,
        }),
      )
      .catch((e: Error) => e);
    expect([(copy as Error).name, status(copy)]).to.deep.equal(["InvalidRequest", 400]);
  });
});

describe("simulation: S3 copies over 5 GiB and Cross-Region Replication, over the SDK", function () {
  this.timeout(30_000);
  const GiB = 1024 ** 3;
  let time = Date.parse("2026-04-12T09:00:00Z");
  const clock = { now: () => time };
  let fake: FakeAws;
  let drS3: S3Client;
  let primaryS3: S3Client;
  const s3 = (region: string) => new S3Client(simulationClient(fake.url, region));
  const failure = (e: unknown) => {
    const err = e as Error & { $metadata?: { httpStatusCode?: number } };
    return `${err.$metadata?.httpStatusCode} ${err.name}: ${err.message}`;
  };

  beforeEach(async () => {
    fake = await startFakeAws({
      points: [],
      clock,
      downRegion: "none",
      resources: [
        {
          type: "S3",
          id: "app-data",
          region: "us-east-1",
          replication: { destinationBucket: "app-replica", deleteMarkerReplication: true, delayMs: 60_000 },
        },
        {
          type: "S3",
          id: "app-replica",
          region: "us-west-2",
          replication: { destinationBucket: "third", deleteMarkerReplication: true },
        },
        { type: "S3", id: "third", region: "us-east-2" },
        {
          type: "S3",
          id: "logs",
          region: "us-east-1",
          replication: { destinationBucket: "logs-replica", deleteMarkerReplication: false },
        },
        { type: "S3", id: "logs-replica", region: "us-west-2" },
      ],
    });
    drS3 = s3("us-west-2");
    primaryS3 = s3("us-east-1");
  });

  afterEach(async () => {
    drS3.destroy();
    primaryS3.destroy();
    await fake.close();
  });

  it("CopyObject refuses a source over 5 GiB with S3's InvalidRequest; 5 GiB itself copies", async () => {
    fake.putObject("app-replica", "big.bin", "x", 5 * GiB + 1);
    fake.putObject("app-replica", "limit.bin", "x", 5 * GiB);
    const refused = await primaryS3
      .send(new CopyObjectCommand({ Bucket: "app-data", Key: "big.bin", CopySource: "app-replica/big.bin" }))
      .catch(failure);
    expect(refused).to.equal(
      "400 InvalidRequest: The specified copy source is larger than the maximum allowable size for a copy source: 5368709120",
    );
    await primaryS3.send(
      new CopyObjectCommand({ Bucket: "app-data", Key: "limit.bin", CopySource: "app-replica/limit.bin" }),
    );
    const head = await primaryS3.send(new HeadObjectCommand({ Bucket: "app-data", Key: "limit.bin" }));
    expect(head.ContentLength).to.equal(5 * GiB);
  });

  it("a multipart copy (UploadPartCopy by byte range) copies a 6 GiB object; part limits are S3's", async () => {
    fake.putObject("app-replica", "big.bin", "x", 6 * GiB);
    const source = await drS3.send(new HeadObjectCommand({ Bucket: "app-replica", Key: "big.bin" }));
    const upload = await primaryS3.send(
      new CreateMultipartUploadCommand({ Bucket: "app-data", Key: "big.bin" }),
    );
    const part = (PartNumber: number, range: string) =>
      primaryS3.send(
        new UploadPartCopyCommand({
          Bucket: "app-data",
          Key: "big.bin",
          UploadId: upload.UploadId,
          PartNumber,
          CopySource: `app-replica/big.bin?versionId=${source.VersionId}`,
          CopySourceRange: range,
        }),
      );
    expect(await part(10_001, "bytes=0-9").catch(failure)).to.equal(
      "400 InvalidArgument: Part number must be an integer between 1 and 10000, inclusive",
    );
    expect(await part(1, `bytes=0-${5 * GiB}`).catch(failure)).to.equal(
      "400 InvalidRequest: The specified copy source is larger than the maximum allowable size for a copy source: 5368709120",
    );
    const small = await part(1, "bytes=0-1023");
    const rest = await part(2, `bytes=1024-${2 * GiB}`);
    const complete = (parts: { PartNumber: number; ETag?: string }[]) =>
      primaryS3.send(
        new CompleteMultipartUploadCommand({
          Bucket: "app-data",
          Key: "big.bin",
          UploadId: upload.UploadId,
          MultipartUpload: { Parts: parts },
        }),
      );
    expect(
      await complete([
        { PartNumber: 1, ETag: small.CopyPartResult?.ETag },
        { PartNumber: 2, ETag: rest.CopyPartResult?.ETag },
      ]).catch(failure),
    ).to.equal("400 EntityTooSmall: Your proposed upload is smaller than the minimum allowed object size.");
    const first = await part(1, `bytes=0-${3 * GiB - 1}`);
    const second = await part(2, `bytes=${3 * GiB}-${6 * GiB - 1}`);
    const done = await complete([
      { PartNumber: 1, ETag: first.CopyPartResult?.ETag },
      { PartNumber: 2, ETag: second.CopyPartResult?.ETag },
    ]);
    expect(done.ETag).to.match(/^"[0-9a-f]{32}-2"$/);
    const head = await primaryS3.send(new HeadObjectCommand({ Bucket: "app-data", Key: "big.bin" }));
    expect({ size: head.ContentLength, version: head.VersionId }).to.deep.equal({
      size: 6 * GiB,
      version: done.VersionId,
    });

    const aborted = await primaryS3.send(
      new CreateMultipartUploadCommand({ Bucket: "app-data", Key: "x.bin" }),
    );
    await primaryS3.send(
      new AbortMultipartUploadCommand({ Bucket: "app-data", Key: "x.bin", UploadId: aborted.UploadId }),
    );
    const again = await primaryS3
      .send(new AbortMultipartUploadCommand({ Bucket: "app-data", Key: "x.bin", UploadId: aborted.UploadId }))
      .catch(failure);
    expect(again).to.match(/^404 NoSuchUpload: The specified upload does not exist/);
  });

  it("replicates each new version into the replica later, with the source's version id and creation time: REPLICA there, COMPLETED at the source", async () => {
    const put = await primaryS3.send(new PutObjectCommand({ Bucket: "app-data", Key: "a.json", Body: "{}" }));
    const putAt = time;
    const pending = await primaryS3.send(new HeadObjectCommand({ Bucket: "app-data", Key: "a.json" }));
    expect(pending.ReplicationStatus).to.equal("PENDING");
    expect(
      await drS3.send(new HeadObjectCommand({ Bucket: "app-replica", Key: "a.json" })).catch(failure),
    ).to.match(/^404 /);
    time += 60_000;
    const replica = await drS3.send(new HeadObjectCommand({ Bucket: "app-replica", Key: "a.json" }));
    expect({
      status: replica.ReplicationStatus,
      version: replica.VersionId,
      lastModified: replica.LastModified?.getTime(),
      etag: replica.ETag,
    }).to.deep.equal({ status: "REPLICA", version: put.VersionId, lastModified: putAt, etag: put.ETag });
    const source = await primaryS3.send(new HeadObjectCommand({ Bucket: "app-data", Key: "a.json" }));
    expect(source.ReplicationStatus).to.equal("COMPLETED");
    // A replica is not replicated again by the replica bucket's own rule; a write made there is.
    await drS3.send(new PutObjectCommand({ Bucket: "app-replica", Key: "b.json", Body: "{}" }));
    time += 1000;
    const third = await s3("us-east-2").send(new ListObjectsV2Command({ Bucket: "third" }));
    expect(third.Contents?.map((o) => o.Key)).to.deep.equal(["b.json"]);
  });

  it("a delete marker replicates only with DeleteMarkerReplication; deleting a version by id never does; a region that does not answer keeps it PENDING", async () => {
    for (const bucket of ["app-data", "logs"]) {
      await primaryS3.send(new PutObjectCommand({ Bucket: bucket, Key: "k", Body: "v1" }));
    }
    time += 60_000;
    await primaryS3.send(new ListObjectsV2Command({ Bucket: "app-data" }));
    const marker = await primaryS3.send(new DeleteObjectCommand({ Bucket: "app-data", Key: "k" }));
    await primaryS3.send(new DeleteObjectCommand({ Bucket: "logs", Key: "k" }));
    time += 60_000;
    const replicaVersions = await drS3.send(new ListObjectVersionsCommand({ Bucket: "app-replica" }));
    expect(replicaVersions.DeleteMarkers?.map((m) => [m.Key, m.VersionId, m.IsLatest])).to.deep.equal([
      ["k", marker.VersionId, true],
    ]);
    const logs = await drS3.send(new ListObjectVersionsCommand({ Bucket: "logs-replica" }));
    expect({ markers: logs.DeleteMarkers ?? [], versions: logs.Versions?.length }).to.deep.equal({
      markers: [],
      versions: 1,
    });
    await primaryS3.send(
      new DeleteObjectCommand({ Bucket: "app-data", Key: "k", VersionId: marker.VersionId }),
    );
    time += 60_000;
    const after = await drS3.send(new ListObjectVersionsCommand({ Bucket: "app-replica" }));
    expect(after.DeleteMarkers?.map((m) => m.VersionId)).to.deep.equal([marker.VersionId]);

    fake.setReachable("us-west-2", false);
    await primaryS3.send(new PutObjectCommand({ Bucket: "app-data", Key: "late", Body: "x" }));
    time += 3_600_000;
    const waiting = await primaryS3.send(new HeadObjectCommand({ Bucket: "app-data", Key: "late" }));
    expect(waiting.ReplicationStatus).to.equal("PENDING");
    fake.setReachable("us-west-2", true);
    const landed = await drS3.send(new HeadObjectCommand({ Bucket: "app-replica", Key: "late" }));
    expect(landed.ReplicationStatus).to.equal("REPLICA");
  });
});

describe("rehearsal: the dr stack on the mock engine", function () {
  this.timeout(60_000);
  const clock = { now: () => Date.parse("2026-04-12T10:00:00Z"), sleep: async () => undefined };
  const deployed = { drVaultName: "dr-vault-r", healthCheckUrl: "http://127.0.0.1:1/health" };

  it("reads its stack file, reports deployed outputs, and prints what up changes", async () => {
    const stack = new OfflineDrStack({ projectDir: ROOT, deployed, clock });
    expect(await stack.getConfig([DR_CONFIG_KEYS.mode, DR_CONFIG_KEYS.restoredTableName])).to.deep.equal({
      "dr-app:mode": "standby",
    });
    const outputs = await stack.outputs();
    expect(outputs).to.include({ mode: "standby", region: "us-west-2", drVaultName: "dr-vault-r" });
    await stack.setConfig({ [DR_CONFIG_KEYS.mode]: "active" });
    const lines: string[] = [];
    const result = await stack.up((line) => lines.push(line));
    expect(result.result).to.equal("succeeded");
    expect(result.outputs.mode).to.equal("active");
    expect(lines).to.include("  ~ aws:autoscaling/group:Group app-asg update");
    expect(lines).to.include("      desiredCapacity: 0 => 3");
    expect(stack.activeSince).to.equal(clock.now());
  });

  it("fails an up whose config the program rejects, as pulumi would, and keeps the last applied state", async () => {
    const stack = new OfflineDrStack({ projectDir: ROOT, deployed, clock });
    await stack.setConfig({ [DR_CONFIG_KEYS.mode]: "active", [DR_CONFIG_KEYS.restoredVolumeId]: "vol-1" });
    const lines: string[] = [];
    let error: Error | undefined;
    await stack.up((line) => lines.push(line)).catch((err: Error) => (error = err));
    expect(error?.message).to.match(
      /^pulumi up failed: Configuration 'dr-app:restoredVolumeId' value 'vol-1' must be an EBS volume id/,
    );
    expect(stack.activeSince).to.equal(undefined);
    await stack.removeConfig([DR_CONFIG_KEYS.restoredVolumeId]);
    expect(await stack.getConfig([DR_CONFIG_KEYS.restoredVolumeId])).to.deep.equal({});
  });
});
