/** The fake's HTTP server: routes each request by its SigV4 scope (region, service) to a service's handler. */
import * as http from "http";
import { AddressInfo } from "net";
import type { FakeService, FakeServiceAnswer } from "./fakeService";

/** One request the fake received. */
export interface FakeRequest {
  readonly service: string;
  readonly region: string;
  readonly method: string;
  readonly path: string;
  readonly operation: string;
}

/** What the router needs: the services by signing name, which regions answer, and the health endpoint. */
export interface RouterDeps {
  /** Services by SigV4 signing name (`backup`, `rds`, `s3`...). */
  readonly services: Readonly<Record<string, FakeService>>;
  /** Services that answer in every region, even one that does not answer (STS: a global endpoint). */
  readonly global: readonly string[];
  /** Whether `region` answers now; every other call into it gets HTTP 503. */
  readonly isUp: (region: string) => boolean;
  /** Brings the simulation up to the clock before each request. */
  readonly settle: () => void;
  /** The answer of `/health` (the application's health check). */
  readonly health: () => { status: number; body: unknown };
  /** Every request received, recorded with its operation. */
  readonly requests: FakeRequest[];
}

/** An HTTP server on 127.0.0.1 routing to {@link RouterDeps.services}. */
export interface FakeHttpServer {
  readonly url: string;
  close(): Promise<void>;
}

function send(res: http.ServerResponse, answer: Omit<FakeServiceAnswer, "operation">): void {
  const body = answer.body ?? "";
  res.writeHead(answer.status, {
    "content-type": typeof body === "string" ? "text/xml" : "application/json",
    ...answer.headers,
  });
  res.end(typeof body === "string" ? body : JSON.stringify(body));
}

const fail = (status: number, type: string, message: string) => ({
  status,
  body: { Message: message },
  headers: { "x-amzn-errortype": type },
});

/**
 * Starts the server. The region and service come from the SigV4 credential scope, as a regional
 * endpoint would route them; a region that does not answer gets HTTP 503 for every service but the
 * global ones; an unknown service an UnknownOperationException.
 */
export async function startRouter(deps: RouterDeps): Promise<FakeHttpServer> {
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      deps.settle();
      const url = new URL(req.url ?? "/", "http://localhost");
      if (url.pathname === "/health") {
        send(res, deps.health());
        return;
      }
      const scope = /Credential=[^/]+\/\d{8}\/([^/]+)\/([^/]+)\//.exec(req.headers.authorization ?? "");
      const region = scope?.[1] ?? "unknown";
      const service = scope?.[2] ?? "unknown";
      const method = req.method ?? "";
      const record = (operation: string) =>
        deps.requests.push({ service, region, method, path: url.pathname, operation });
      if (!deps.global.includes(service) && !deps.isUp(region)) {
        record("region-down");
        send(res, fail(503, "ServiceUnavailableException", "Service unavailable"));
        return;
      }
      const handler = deps.services[service];
      if (!handler) {
        record("unknown");
        send(res, fail(400, "UnknownOperationException", `the fake does not serve ${service}`));
        return;
      }
      const answer = handler({ region, method, url, headers: req.headers, body });
      record(answer.operation);
      send(res, answer);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
