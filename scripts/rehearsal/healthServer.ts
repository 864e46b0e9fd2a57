// A local stand-in for the DR load balancer's health endpoint: 503 until the application would serve.
import * as http from "http";
import { AddressInfo } from "net";

/** A running stand-in for the DR load balancer's health endpoint. */
export interface HealthServer {
  /** `http://127.0.0.1:<port>/health`. */
  readonly url: string;
  /** Requests answered so far, healthy or not. */
  readonly requests: number;
  close(): Promise<void>;
}

/**
 * The DR application's load balancer, as far as the health check sees it: `GET /health` answers 503
 * until `healthy()` says the application would be serving (its data restored and the dr stack active
 * long enough for instances to boot), then 200.
 */
export async function startHealthServer(healthy: () => boolean): Promise<HealthServer> {
  let requests = 0;
  const server = http.createServer((req, res) => {
    requests++;
    const ok = req.url === "/health" && healthy();
    res.writeHead(ok ? 200 : req.url === "/health" ? 503 : 404, { "content-type": "application/json" });
    res.end(JSON.stringify({ status: ok ? "ok" : "unavailable" }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/health`,
    get requests() {
      return requests;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
