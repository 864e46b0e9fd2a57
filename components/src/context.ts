// What every part of the component creates its children with: name, parent, regions, tags, resource options.
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
  /**
   * Options for children that hold or protect data (vaults, keys, replicas): kept on delete by default.
   * Like `child`, they wait for the checks of arguments known only at deployment.
   */
  readonly keep: pulumi.CustomResourceOptions;
  /**
   * Options for every other child: `dependsOn` the checks of arguments known only at deployment, so an
   * invalid one fails once, before any child registers. A child given its own `dependsOn` waits for them
   * through the children it names.
   */
  readonly child: pulumi.CustomResourceOptions;
}
