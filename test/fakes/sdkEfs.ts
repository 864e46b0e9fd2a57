/** The SDK front end of the simulated EFS: aws-sdk-client-mock handlers calling the EFS model (scripts/simulation/efsModel.ts). */
import {
  DeleteFileSystemCommand,
  DescribeFileSystemsCommand,
  UpdateFileSystemCommand,
} from "@aws-sdk/client-efs";
import { EfsModel, UpdateFileSystemInput } from "../../scripts/simulation/efsModel";
import { AnyStub, serve } from "./sdkFrontEnd";

/**
 * DescribeFileSystems, UpdateFileSystem and DeleteFileSystem on aws-sdk-client-mock, in the region of the
 * client that sent them, answered by the {@link EfsModel} the HTTP fake's dataPlanes.ts serves: a file system
 * exists once a restore job created it or a test put it in the store, else FileSystemNotFound.
 */
export function installEfs(mock: AnyStub, model: EfsModel): void {
  serve(mock, DescribeFileSystemsCommand, (input: { FileSystemId?: string }, region) => ({
    FileSystems: [model.describe(region, input.FileSystemId)],
  }));
  serve(mock, UpdateFileSystemCommand, (input: UpdateFileSystemInput & { FileSystemId?: string }, region) =>
    model.update(region, input.FileSystemId, input),
  );
  serve(mock, DeleteFileSystemCommand, (input: { FileSystemId?: string }, region) => {
    model.delete(region, input.FileSystemId);
    return {};
  });
}
