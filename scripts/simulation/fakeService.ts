// The shape of one simulated AWS service over HTTP: a request in, an answer out.
import type * as http from "http";

/** A request to a further service of the fake. */
export interface FakeServiceRequest {
  readonly region: string;
  readonly method: string;
  readonly url: URL;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

/** What a further service answers: a JSON-able body, or text (XML) when it is a string. */
export interface FakeServiceAnswer {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
  /** Name of the operation, for {@link FakeAws.requests}. */
  readonly operation: string;
}

/** A further service: answers a request signed for it. */
export type FakeService = (request: FakeServiceRequest) => FakeServiceAnswer;
