/** Whether the public name resolves to prod's load balancer: DNS A queries, Route 53's data plane only. */
import { Resolver } from "dns/promises";

/**
 * node:dns `resolve4` of `hostname` (a DNS query, not the operating system's cache), on the servers in
 * `DR_DNS_SERVERS` (comma-separated `ip[:port]`) when set: e.g. the hosted zone's own name servers, which
 * answer without a resolver cache in between, or a local simulation's.
 */
export async function resolveWithDns(hostname: string, env: NodeJS.ProcessEnv): Promise<string[]> {
  const resolver = new Resolver();
  const servers = env.DR_DNS_SERVERS?.split(",").filter(Boolean);
  if (servers?.length) {
    resolver.setServers(servers);
  }
  return resolver.resolve4(hostname);
}

/**
 * The name has moved when every address it resolves to is one of the load balancer's: an alias record
 * answers with its target's addresses (Route 53 developer guide, "Choosing between alias and non-alias
 * records"). Both are asked at the same moment, so a load balancer's changing addresses agree.
 */
export async function resolvesTo(
  resolve: (hostname: string) => Promise<string[]>,
  name: string,
  loadBalancerDnsName: string,
): Promise<{ moved: boolean; seen: string[] }> {
  const [seen, target] = await Promise.all([resolve(name), resolve(loadBalancerDnsName)]);
  return { moved: seen.length > 0 && seen.every((address) => target.includes(address)), seen };
}
