/** The estimate's data per inventory entry: each entry of prod's `data` with the size its settings declare, or a size flag's share. */
import type { DataEntrySettings, PrimarySettings } from "../../stacks/config";
import { num } from "./amounts";
import { CostEntry } from "./inputs";

/** The size flags, as given (undefined: not given), that override the declared sizes of their kind. */
export interface SizeFlags {
  /** `--db-gb`: the RDS entries' total. */
  readonly dbGb?: number;
  /** `--ebs-gb` (or `--instances` x 20): the EBS entries' total. */
  readonly ebsGb?: number;
  /** `--dynamodb-gb`: the DynamoDB entries' total. */
  readonly dynamodbGb?: number;
  /** `--s3-gb`: the S3 entries' total. */
  readonly s3Gb?: number;
}

/** What an entry declares of its size, and where: RDS its storage, EBS its size, DynamoDB the stack's estimate. */
function declared(entry: DataEntrySettings, prod: PrimarySettings): { gb: number; from: string } | undefined {
  switch (entry.kind) {
    case "rds":
      return { gb: entry.allocatedStorage, from: "allocatedStorage" };
    case "ebs":
      return { gb: entry.sizeGiB, from: "sizeGiB" };
    case "dynamodb":
      return { gb: prod.tableSizeGiB, from: "tableSizeGiB" };
    default:
      return undefined;
  }
}

/** The flag that sizes entries of `kind` in total, and its value. */
function flagOf(
  kind: DataEntrySettings["kind"],
  flags: SizeFlags,
): { flag: string; gb?: number } | undefined {
  switch (kind) {
    case "rds":
      return { flag: "--db-gb", gb: flags.dbGb };
    case "ebs":
      return { flag: "--ebs-gb", gb: flags.ebsGb };
    case "dynamodb":
      return { flag: "--dynamodb-gb", gb: flags.dynamodbGb };
    case "s3":
      return { flag: "--s3-gb", gb: flags.s3Gb };
    default:
      return undefined;
  }
}

/**
 * One entry per `data` entry of prod, in its order, sized by what it declares (an RDS entry's
 * `allocatedStorage`, an EBS entry's `sizeGiB`, a table the stack's `tableSizeGiB`), unless a size flag gives
 * its kind's total: then each entry of the kind takes a share, in proportion to what they declare (equal
 * shares without). Buckets declare no size: `--s3-gb` is shared equally among them (0 without it). Aurora
 * and EFS entries are listed with no size and no price: the price file has none for their backups.
 */
export function costEntries(prod: PrimarySettings, flags: SizeFlags): CostEntry[] {
  return prod.data.map((entry) => ({
    ...sized(entry, prod, flags),
    ...(entry.kind === "s3" && { replicated: entry.replicate }),
  }));
}

/** One entry's size, declared or its share of its kind's flag. */
function sized(entry: DataEntrySettings, prod: PrimarySettings, flags: SizeFlags): CostEntry {
  const own = declared(entry, prod);
  const flag = flagOf(entry.kind, flags);
  if (!flag) {
    return {
      name: entry.name,
      kind: entry.kind,
      gb: 0,
      size: "no size: the price file prices none of its backups",
    };
  }
  if (flag.gb === undefined) {
    return own
      ? { name: entry.name, kind: entry.kind, gb: own.gb, size: `${num(own.gb)} GB (${own.from})` }
      : { name: entry.name, kind: entry.kind, gb: 0, size: `no size declared: pass ${flag.flag}` };
  }
  const kin = prod.data.filter((other) => other.kind === entry.kind);
  const weights = kin.map((other) => declared(other, prod)?.gb ?? 1);
  const weight = own?.gb ?? 1;
  const total = weights.reduce((sum, w) => sum + w, 0);
  const gb = (flag.gb * weight) / total;
  return {
    name: entry.name,
    kind: entry.kind,
    gb,
    size:
      kin.length === 1
        ? `${num(gb)} GB (${flag.flag})`
        : `${num(gb)} GB (${flag.flag} ${num(flag.gb)} GB shared by ${kin.length} ${entry.kind} entries${own ? ` by ${own.from}` : ""})`,
  };
}
