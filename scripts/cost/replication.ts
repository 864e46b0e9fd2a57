/** S3 cross-region replication: replica storage, transfer, PUT requests, Replication Time Control. */
import { num } from "./amounts";
import { costLine, CostPart } from "./costLine";
import { CostInputs, CostPlan } from "./inputs";
import { PriceBook, PriceKey } from "./prices";

/** The price of a replica storage class; the price file has STANDARD and STANDARD_IA. */
function replicaStoragePrice(storageClass: string): PriceKey {
  if (storageClass === "STANDARD") return "s3Standard";
  if (storageClass === "STANDARD_IA") return "s3StandardIa";
  throw new Error(
    `no price for the replica storage class ${storageClass}: the price file has STANDARD and STANDARD_IA`,
  );
}

/**
 * The replicas of the S3 data in the DR region: their storage, every day's written data crossing regions
 * and stored with one PUT per object, Replication Time Control when on, and once the objects already in
 * the bucket. Without replication the S3 data adds nothing, and a note says so.
 */
export function s3Replication(inputs: CostInputs, plan: CostPlan, prices: PriceBook): CostPart {
  const replication = plan.s3Replication;
  if (inputs.s3Gb <= 0) return { lines: [] };
  if (!replication) {
    return {
      lines: [],
      notes: [`S3 (${num(inputs.s3Gb)} GB) is not replicated by this deployment, so it adds nothing here.`],
    };
  }
  const daysPerMonth = prices.hoursPerMonth / 24;
  const section = "S3 replication";
  const written = inputs.s3Gb * (inputs.s3DailyChangePct / 100) * daysPerMonth;
  const thousands = (written * 1024) / inputs.s3ObjectMb / 1000;
  // One storage line per replicated bucket of the inventory, else one for the whole S3 size.
  const buckets = inputs.entries?.filter((entry) => entry.replicated && entry.gb > 0) ?? [];
  const storage = (buckets.length > 0 ? buckets : [undefined]).map((bucket) =>
    costLine(prices, {
      section,
      item: `${bucket ? `${bucket.name} (s3) ` : "S3 "}replica storage, ${replication.storageClass} (${plan.drRegion})`,
      quantity: bucket?.gb ?? inputs.s3Gb,
      unit: "GB-month",
      price: replicaStoragePrice(replication.storageClass),
      terms: bucket ? bucket.size : `${num(inputs.s3Gb)} GB`,
    }),
  );
  return {
    lines: [
      ...storage,
      costLine(prices, {
        section,
        item: `S3 replication transfer, ${plan.primaryRegion} -> ${plan.drRegion}`,
        quantity: written,
        unit: "GB",
        price: "crossRegionTransfer",
        terms: `${num(inputs.s3Gb)} GB x ${num(inputs.s3DailyChangePct)}%/day x ${num(daysPerMonth)} days = ${num(written)} GB`,
      }),
      costLine(prices, {
        section,
        item: `S3 replication PUT requests (${plan.drRegion})`,
        quantity: thousands,
        unit: "1,000 requests",
        price: "s3PutRequests",
        terms: `${num(written)} GB x 1,024 MB/GB / ${num(inputs.s3ObjectMb)} MB per object = ${num(thousands)} thousand PUTs`,
      }),
      ...(replication.replicationTimeControl
        ? [
            costLine(prices, {
              section,
              item: "S3 Replication Time Control",
              quantity: written,
              unit: "GB",
              price: "s3ReplicationTimeControl",
              terms: `${num(written)} GB replicated`,
            }),
          ]
        : []),
    ],
    oneTime: [
      costLine(prices, {
        section,
        item: `objects already in the bucket (S3 Batch Replication), ${plan.primaryRegion} -> ${plan.drRegion}`,
        quantity: inputs.s3Gb,
        unit: "GB",
        price: "crossRegionTransfer",
        terms: `${num(inputs.s3Gb)} GB`,
      }),
    ],
    notes: [
      "Replication needs versioning on both buckets: overwritten and deleted objects stay as noncurrent versions, billed as storage in both regions until a lifecycle rule expires them. Not estimated here.",
      "Live replication copies only objects written after it is enabled; the objects already in the bucket need S3 Batch Replication (a job fee per object, not estimated).",
    ],
  };
}
