/** The SDK front end of the simulated S3: aws-sdk-client-mock handlers calling the S3 model (scripts/simulation/s3Model.ts). */
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectVersionsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  UploadPartCopyCommand,
} from "@aws-sdk/client-s3";
import { Readable } from "stream";
import { SimObject, sizeOf, versionIdOf } from "../../scripts/simulation/resourceStore";
import { S3Model, isDeleteMarker } from "../../scripts/simulation/s3Model";
import { parseTagging } from "../../scripts/simulation/s3Multipart";
import { AnyStub, BeforeCall, awsError, serve } from "./sdkFrontEnd";

type At = { Bucket: string; Key: string };

/**
 * S3 on aws-sdk-client-mock (in-process, virtual time): each command's input is given to the
 * {@link S3Model}, the same the HTTP fake's s3Service.ts serves, in the region of the client that sent it.
 * A region that does not answer times out; `beforeCall` holds the tests' instruments.
 */
export class SimulatedS3 {
  /** Called before the model sees each call (after the down region). */
  readonly beforeCall: BeforeCall[] = [];

  constructor(
    readonly model: S3Model,
    private readonly isUp: (region: string) => boolean,
  ) {}

  private enter(name: string, input: Record<string, unknown>, region: string): void {
    if (!this.isUp(region)) {
      throw Object.assign(new Error(`connect ETIMEDOUT s3.${region}.amazonaws.com:443`), {
        name: "TimeoutError",
      });
    }
    this.model.store.settleReplication(this.isUp);
    for (const hook of this.beforeCall) {
      hook(name, input, region);
    }
  }

  /** Wires the model into a mocked S3Client. */
  install(mock: AnyStub): void {
    const model = this.model;
    const handle = <I>(command: Parameters<typeof serve>[1], answer: (input: I, region: string) => unknown) =>
      serve<I>(mock, command, answer, (name, input, region) => this.enter(name, input, region));
    const objectAnswer = (o: SimObject) => ({
      ETag: o.etag,
      LastModified: new Date(o.lastModified),
      ContentLength: sizeOf(o),
      VersionId: versionIdOf(o),
      ReplicationStatus: o.replicationStatus,
      Expires: o.expires ? new Date(o.expires) : undefined,
      TagCount: o.tags ? Object.keys(o.tags).length || undefined : undefined,
    });
    /** The tags and Expires a PutObject or CreateMultipartUpload input gives its object. */
    const attributesOf = (input: { Tagging?: string; Expires?: Date }) => ({
      tags: parseTagging(input.Tagging),
      expires: input.Expires?.toUTCString(),
    });
    handle(HeadBucketCommand, (input: { Bucket: string }, region) => ({
      BucketRegion: model.bucket(input.Bucket, region).region,
    }));
    handle(DeleteBucketCommand, (input: { Bucket: string }, region) => {
      model.deleteBucket(model.bucket(input.Bucket, region));
      return {};
    });
    handle(
      ListObjectsV2Command,
      (
        input: {
          Bucket: string;
          Prefix?: string;
          MaxKeys?: number;
          ContinuationToken?: string;
          StartAfter?: string;
        },
        region,
      ) => {
        const page = model.listObjects(model.bucket(input.Bucket, region), {
          prefix: input.Prefix,
          maxKeys: input.MaxKeys,
          after: input.ContinuationToken ?? input.StartAfter,
        });
        return {
          Name: input.Bucket,
          Prefix: page.prefix,
          KeyCount: page.objects.length,
          MaxKeys: page.maxKeys,
          IsTruncated: page.nextToken !== undefined,
          Contents: page.objects.map(({ key, object }) => ({
            Key: key,
            LastModified: new Date(object.lastModified),
            ETag: object.etag,
            Size: sizeOf(object),
            StorageClass: "STANDARD",
          })),
          NextContinuationToken: page.nextToken,
        };
      },
    );
    handle(
      ListObjectVersionsCommand,
      (
        input: {
          Bucket: string;
          Prefix?: string;
          MaxKeys?: number;
          KeyMarker?: string;
          VersionIdMarker?: string;
        },
        region,
      ) => {
        const page = model.listVersions(model.bucket(input.Bucket, region), {
          prefix: input.Prefix,
          maxKeys: input.MaxKeys,
          keyMarker: input.KeyMarker,
          versionIdMarker: input.VersionIdMarker,
        });
        const entry = ({ key, version, latest }: (typeof page.entries)[number]) => ({
          Key: key,
          VersionId: versionIdOf(version),
          IsLatest: latest,
          LastModified: new Date(version.lastModified),
        });
        return {
          Name: input.Bucket,
          MaxKeys: page.maxKeys,
          IsTruncated: page.next !== undefined,
          NextKeyMarker: page.next?.key,
          NextVersionIdMarker: page.next?.versionId,
          Versions: page.entries
            .filter((e) => !isDeleteMarker(e.version))
            .map((e) => ({
              ...entry(e),
              ETag: (e.version as SimObject).etag,
              Size: sizeOf(e.version),
              StorageClass: "STANDARD",
            })),
          DeleteMarkers: page.entries.filter((e) => isDeleteMarker(e.version)).map(entry),
        };
      },
    );
    handle(HeadObjectCommand, (input: At & { VersionId?: string }, region) =>
      objectAnswer(model.object(model.bucket(input.Bucket, region), input.Key, input.VersionId)),
    );
    handle(GetObjectCommand, (input: At & { VersionId?: string }, region) => {
      const object = model.object(model.bucket(input.Bucket, region), input.Key, input.VersionId);
      return {
        ...objectAnswer(object),
        ContentType: "application/octet-stream",
        Body: Object.assign(Readable.from([object.body]), {
          transformToString: async () => object.body,
        }),
      };
    });
    handle(GetObjectTaggingCommand, (input: At & { VersionId?: string }, region) => {
      const bucket = model.bucket(input.Bucket, region);
      return {
        VersionId: versionIdOf(model.object(bucket, input.Key, input.VersionId)),
        TagSet: Object.entries(model.objectTagging(bucket, input.Key, input.VersionId)).map(
          ([Key, Value]) => ({
            Key,
            Value,
          }),
        ),
      };
    });
    handle(PutObjectCommand, (input: At & { Body?: unknown; Tagging?: string; Expires?: Date }, region) => {
      if (input.Body !== undefined && typeof input.Body !== "string") {
        throw awsError("NotImplemented", "the SDK front end takes string bodies only");
      }
      const put = model.putObject(
        model.bucket(input.Bucket, region),
        input.Key,
        input.Body ?? "",
        attributesOf(input),
      );
      return { ETag: put.etag, VersionId: versionIdOf(put) };
    });
    handle(DeleteObjectCommand, (input: At & { VersionId?: string }, region) => {
      const deleted = model.deleteObject(model.bucket(input.Bucket, region), input.Key, input.VersionId);
      return deleted.versionId
        ? { VersionId: deleted.versionId, DeleteMarker: deleted.removedMarker || undefined }
        : { VersionId: deleted.deleteMarkerVersionId, DeleteMarker: true };
    });
    handle(
      DeleteObjectsCommand,
      (
        input: { Bucket: string; Delete: { Objects: Array<{ Key: string; VersionId?: string }> } },
        region,
      ) => ({
        Deleted: model
          .deleteObjects(
            model.bucket(input.Bucket, region),
            input.Delete.Objects.map((o) => ({ key: o.Key, versionId: o.VersionId })),
          )
          .map((d) =>
            d.versionId
              ? { Key: d.key, VersionId: d.versionId }
              : { Key: d.key, DeleteMarker: true, DeleteMarkerVersionId: d.deleteMarkerVersionId },
          ),
      }),
    );
    handle(CopyObjectCommand, (input: At & { CopySource: string }, region) => {
      const { copied, source } = model.copyObject(
        model.bucket(input.Bucket, region),
        input.Key,
        input.CopySource,
      );
      return {
        CopyObjectResult: { ETag: copied.etag, LastModified: new Date(copied.lastModified) },
        VersionId: versionIdOf(copied),
        CopySourceVersionId: versionIdOf(source),
      };
    });
    handle(CreateMultipartUploadCommand, (input: At & { Tagging?: string; Expires?: Date }, region) => ({
      Bucket: input.Bucket,
      Key: input.Key,
      UploadId: model.multipart.create(model.bucket(input.Bucket, region), input.Key, attributesOf(input)),
    }));
    handle(
      UploadPartCopyCommand,
      (
        input: At & { UploadId: string; PartNumber: number; CopySource: string; CopySourceRange?: string },
        region,
      ) => {
        const part = model.uploadPartCopy(
          model.bucket(input.Bucket, region),
          input.Key,
          input.UploadId,
          input.PartNumber,
          input.CopySource,
          input.CopySourceRange,
        );
        return { CopyPartResult: { ETag: part.etag, LastModified: new Date(part.lastModified) } };
      },
    );
    handle(
      CompleteMultipartUploadCommand,
      (
        input: At & {
          UploadId: string;
          MultipartUpload?: { Parts?: Array<{ PartNumber?: number; ETag?: string }> };
        },
        region,
      ) => {
        const object = model.multipart.complete(
          model.bucket(input.Bucket, region),
          input.Key,
          input.UploadId,
          (input.MultipartUpload?.Parts ?? []).map((p) => ({
            number: Number(p.PartNumber),
            etag: p.ETag ?? "",
          })),
        );
        return { Bucket: input.Bucket, Key: input.Key, ETag: object.etag, VersionId: object.versionId };
      },
    );
    handle(AbortMultipartUploadCommand, (input: At & { UploadId: string }, region) => {
      model.multipart.abort(model.bucket(input.Bucket, region), input.Key, input.UploadId);
      return {};
    });
  }
}
