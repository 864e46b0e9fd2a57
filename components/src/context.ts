import * as pulumi from "@pulumi/pulumi";

/** What every part of the component needs to create its children. */
export interface ComponentContext {
  /** The component's name, the prefix of every child's name. */
  readonly name: string;
  /** The component, parent of every child. */
  readonly parent: pulumi.Resource;
  readonly primaryRegion: string;
  readonly drRegion: string;
  /** Tags for every taggable child. */
  readonly tags: { [key: string]: pulumi.Input<string> };
  /** Options for children that hold or protect data (vaults, keys, replicas): kept on delete by default. */
  readonly keep: pulumi.CustomResourceOptions;
  /** Options for every other child. */
  readonly child: pulumi.CustomResourceOptions;
}
