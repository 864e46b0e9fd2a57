/** A DNS server on UDP 127.0.0.1 answering A queries from the fake's resolver, for a `dr` in a child process. */
import * as dgram from "dgram";
import { AddressInfo } from "net";

/** A running DNS server. */
export interface FakeDnsServer {
  /** `127.0.0.1:<port>`, as `DR_DNS_SERVERS` (and node's `Resolver.setServers`) takes it. */
  readonly address: string;
  close(): Promise<void>;
}

/** The question's name and where it ends, from a DNS message (RFC 1035 4.1.2; no compression in questions). */
function question(message: Buffer): { name: string; end: number; type: number } | undefined {
  const labels: string[] = [];
  let offset = 12;
  while (offset < message.length && message[offset] !== 0) {
    const length = message[offset];
    labels.push(message.subarray(offset + 1, offset + 1 + length).toString("ascii"));
    offset += length + 1;
  }
  if (offset + 5 > message.length) {
    return undefined;
  }
  return { name: labels.join("."), end: offset + 5, type: message.readUInt16BE(offset + 1) };
}

/**
 * Answers each A query with `addresses(name)` (TTL 60 s, as Route 53 gives an alias to a load
 * balancer), NXDOMAIN when there are none, and other query types with no answer (RFC 1035 4.1).
 */
export async function startDnsServer(addresses: (name: string) => string[]): Promise<FakeDnsServer> {
  const socket = dgram.createSocket("udp4");
  socket.on("message", (message, remote) => {
    const q = question(message);
    if (!q) {
      return;
    }
    const ips = q.type === 1 ? addresses(q.name) : [];
    const header = Buffer.alloc(12);
    message.copy(header, 0, 0, 2);
    // QR, opcode 0, AA, RD copied; RA; RCODE 3 (NXDOMAIN) when there is nothing for an A query.
    header.writeUInt16BE(
      0x8400 | ((message[2] & 0x01) << 8) | 0x80 | (q.type === 1 && ips.length === 0 ? 3 : 0),
      2,
    );
    header.writeUInt16BE(1, 4);
    header.writeUInt16BE(ips.length, 6);
    const answers = ips.map((ip) => {
      const answer = Buffer.alloc(16);
      answer.writeUInt16BE(0xc00c, 0);
      answer.writeUInt16BE(1, 2);
      answer.writeUInt16BE(1, 4);
      answer.writeUInt32BE(60, 6);
      answer.writeUInt16BE(4, 10);
      ip.split(".").forEach((octet, i) => answer.writeUInt8(Number(octet), 12 + i));
      return answer;
    });
    socket.send(
      Buffer.concat([header, message.subarray(12, q.end), ...answers]),
      remote.port,
      remote.address,
    );
  });
  await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
  const { port } = socket.address() as AddressInfo;
  return {
    address: `127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}
