/** The simulated application: its writes while its servers run, or its users' requests through DNS. */
import type { AutoScalingGroups } from "./autoScaling";
import type { FailoverResolver, FakeTargets } from "./dnsResolver";
import type { Reachability } from "./reachability";
import type { ResourceStore, SimResource } from "./resourceStore";

/**
 * The application's writes: every `everyMs` while any instance of its Auto Scaling group runs
 * (InService or still draining), one write to each live resource `writesTo` accepts (for a bucket, an
 * object `app/<time>.json`). Writes stop once the group's instances are gone: a write freeze.
 *
 * With a `domainName`, the writes are users' requests to the public name: each goes to the load balancer
 * the resolver answers at that moment, and one of its group's servers (or its ECS service's tasks) taking
 * requests (round robin) writes to the resources of its region its group's (service's) `writesTo` accepts
 * for the launch template version it was launched with (the task definition revision it runs). No server
 * behind the answered load balancer: the request fails, nothing is written.
 */
export interface FakeApplication {
  readonly region: string;
  readonly autoScalingGroupName: string;
  /** Clock ms between two writes. */
  readonly everyMs: number;
  readonly writesTo: (resource: SimResource) => boolean;
  /** The public name users reach it by (one of the fake's `dns` names). Default: none, its group's servers only. */
  readonly domainName?: string;
}

/** One user request of the application (with a `domainName`): where it went and what it wrote. */
export interface AppRequest {
  readonly at: number;
  /** The load balancer the name resolved to. */
  readonly loadBalancerDnsName?: string;
  readonly region?: string;
  readonly autoScalingGroupName?: string;
  /** The serving server's launch template version; undefined when no server took it. */
  readonly launchTemplateVersion?: number;
  /** The ECS service behind the load balancer, when tasks serve there. */
  readonly ecsService?: FakeTargets["ecsService"];
  /** The serving task's task definition revision; undefined when no task took it. */
  readonly taskDefinitionRevision?: number;
  /** ARNs written. */
  readonly wrote: readonly string[];
}

/** A server or task taking requests behind a load balancer, and what it writes to. */
export interface ServingUnit {
  /** Launch template version of a server, task definition revision of a task. */
  readonly version: number;
  readonly writesTo?: (resource: SimResource) => boolean;
}

/** The application running against the simulated regions, brought up to the clock by {@link settle}. */
export class ApplicationRun {
  /** The user requests so far (with a `domainName`). */
  readonly requests: AppRequest[] = [];
  private lastWrite: number;

  constructor(
    private readonly app: FakeApplication | undefined,
    private readonly deps: {
      readonly now: () => number;
      readonly store: ResourceStore;
      readonly autoScaling: AutoScalingGroups;
      readonly resolver: FailoverResolver;
      readonly reachability: Reachability;
      /** The servers or tasks behind a load balancer's targets taking requests at a moment. */
      readonly servingUnits: (targets: FakeTargets, at: number) => ServingUnit[];
    },
  ) {
    this.lastWrite = deps.now();
  }

  /** The writes (or user requests) due since the last call. */
  settle(): void {
    const app = this.app;
    for (; app && this.lastWrite + app.everyMs <= this.deps.now(); this.lastWrite += app.everyMs) {
      const at = this.lastWrite + app.everyMs;
      if (app.domainName !== undefined) {
        this.requests.push(this.userRequest(app, at));
      } else if (this.deps.autoScaling.serving(app.region, app.autoScalingGroupName, at)) {
        this.writeAll(this.deps.store.list(app.region).filter(app.writesTo), at);
      }
    }
  }

  private writeAll(resources: SimResource[], at: number): string[] {
    for (const resource of resources) {
      if (resource.type === "S3") {
        this.deps.store.putObject(resource, `app/${new Date(at).toISOString()}.json`, `{"at":${at}}`, at);
      } else {
        this.deps.store.write(resource, 1, at);
      }
    }
    return resources.map((r) => r.arn);
  }

  /** A user's request at `at`: to the load balancer Route 53 answers, served by one of its servers, if any. */
  private userRequest(application: FakeApplication, at: number): AppRequest {
    const { resolver, reachability, store } = this.deps;
    const record = resolver.answer(application.domainName as string, at);
    if (!record) {
      return { at, wrote: [] };
    }
    const { region, autoScalingGroupName, ecsService } = record.targets;
    const where = {
      at,
      loadBalancerDnsName: record.loadBalancerDnsName,
      region,
      ...(ecsService ? { ecsService } : { autoScalingGroupName }),
    };
    const units = reachability.isUp(region, at) ? this.deps.servingUnits(record.targets, at) : [];
    if (units.length === 0) {
      return { ...where, wrote: [] };
    }
    const unit = units[this.requests.length % units.length];
    const accepts = unit.writesTo ?? application.writesTo;
    return {
      ...where,
      ...(ecsService ? { taskDefinitionRevision: unit.version } : { launchTemplateVersion: unit.version }),
      wrote: this.writeAll(store.list(region).filter(accepts), at),
    };
  }
}
