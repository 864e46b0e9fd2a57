// Renders a report's HTML page to a PNG in headless Chromium, offline: `npm run report:png -- <report.html> [out.png]`.
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { pathToFileURL } from "url";

/** The browsers tried, in order, on the PATH when CHROME_PATH is not set. */
export const BROWSER_NAMES = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"];

/** What to run when no browser is found. */
export const INSTALL_HINT =
  "no Chromium found: install Debian's package (`apt-get install chromium`), or set CHROME_PATH to a Chromium or Chrome executable";

/** The browser to run: CHROME_PATH when set (it must exist), else the first of {@link BROWSER_NAMES} on the PATH. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.CHROME_PATH) {
    return fs.existsSync(env.CHROME_PATH) ? env.CHROME_PATH : undefined;
  }
  for (const dir of (env.PATH ?? "").split(path.delimiter).filter((d) => d !== "")) {
    for (const name of BROWSER_NAMES) {
      const candidate = path.join(dir, name);
      try {
        fs.accessSync(candidate, fs.constants.X_OK);
        return candidate;
      } catch {
        // not here
      }
    }
  }
  return undefined;
}

/** A PNG's width and height from its IHDR chunk; throws when `png` is not a PNG. */
export function pngSize(png: Buffer): { width: number; height: number } {
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  if (png.length < 24 || !png.subarray(0, 8).equals(signature) || png.toString("ascii", 12, 16) !== "IHDR") {
    throw new Error("not a PNG file");
  }
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

/** How the page is photographed. */
export interface RenderOptions {
  /** The browser executable. Default: {@link findChromium}. */
  readonly browser?: string;
  /** Viewport width, CSS pixels. Default 1040. */
  readonly width?: number;
  /** Device pixels per CSS pixel. Default 1. */
  readonly scale?: number;
  /** Gives up after this long, ms. Default 60000. */
  readonly timeoutMs?: number;
}

interface DevToolsMessage {
  id?: number;
  method?: string;
  sessionId?: string;
  result?: Record<string, unknown>;
  error?: { message: string };
}

/**
 * Opens `htmlFile` in headless Chromium with every host name unresolvable (the page must need no
 * network), sizes the viewport to the whole page and writes its screenshot to `pngFile`. Talks to the
 * browser over the DevTools protocol on a pipe (`--remote-debugging-pipe`: fd 3 in, fd 4 out, messages
 * ended by NUL).
 */
export async function renderPng(
  htmlFile: string,
  pngFile: string,
  options: RenderOptions = {},
): Promise<{ width: number; height: number }> {
  const browser = options.browser ?? findChromium();
  if (!browser) throw new Error(INSTALL_HINT);
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), "report-png-"));
  const args = [
    "--headless",
    "--disable-gpu",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-extensions",
    "--disable-background-networking",
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--hide-scrollbars",
    `--user-data-dir=${profile}`,
    "--remote-debugging-pipe",
    // Chromium's sandbox refuses to start as root (containers, CI).
    ...(process.getuid?.() === 0 ? ["--no-sandbox"] : []),
  ];
  const child = spawn(browser, args, { stdio: ["ignore", "ignore", "pipe", "pipe", "pipe"] });
  let stderr = "";
  child.stderr?.on("data", (d) => (stderr += d));
  const toBrowser = child.stdio[3] as NodeJS.WritableStream;
  const fromBrowser = child.stdio[4] as NodeJS.ReadableStream;
  const waiting = new Map<number, { resolve: (m: DevToolsMessage) => void; reject: (e: Error) => void }>();
  const events: DevToolsMessage[] = [];
  let eventWaiter: (() => void) | undefined;
  let buffered = "";
  fromBrowser.on("data", (chunk: Buffer) => {
    buffered += chunk.toString("utf8");
    let end: number;
    while ((end = buffered.indexOf("\0")) >= 0) {
      const message = JSON.parse(buffered.slice(0, end)) as DevToolsMessage;
      buffered = buffered.slice(end + 1);
      if (message.id !== undefined && waiting.has(message.id)) {
        const pending = waiting.get(message.id);
        waiting.delete(message.id);
        if (message.error) pending?.reject(new Error(message.error.message));
        else pending?.resolve(message);
      } else if (message.method) {
        events.push(message);
        eventWaiter?.();
      }
    }
  });
  const exited = new Promise<never>((_, reject) =>
    child.on("exit", (code) =>
      reject(new Error(`${browser} exited (${code}) before the screenshot: ${stderr.trim()}`)),
    ),
  );
  exited.catch(() => undefined);
  let nextId = 1;
  const send = (method: string, params: Record<string, unknown> = {}, sessionId?: string) => {
    const id = nextId++;
    const reply = new Promise<DevToolsMessage>((resolve, reject) => waiting.set(id, { resolve, reject }));
    toBrowser.write(`${JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) })}\0`);
    return Promise.race([reply, exited]).then((m) => m.result ?? {});
  };
  const event = async (method: string) => {
    for (;;) {
      const found = events.findIndex((e) => e.method === method);
      if (found >= 0) return events.splice(found, 1)[0];
      await Promise.race([new Promise<void>((resolve) => (eventWaiter = resolve)), exited]);
    }
  };
  const timeoutMs = options.timeoutMs ?? 60_000;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${browser} took longer than ${timeoutMs} ms`)), timeoutMs);
  });
  const width = options.width ?? 1040;
  try {
    return await Promise.race([
      timeout,
      (async () => {
        const { targetId } = (await send("Target.createTarget", { url: "about:blank" })) as {
          targetId: string;
        };
        const { sessionId } = (await send("Target.attachToTarget", { targetId, flatten: true })) as {
          sessionId: string;
        };
        await send("Page.enable", {}, sessionId);
        const metrics = { width, height: 800, deviceScaleFactor: options.scale ?? 1, mobile: false };
        await send("Emulation.setDeviceMetricsOverride", metrics, sessionId);
        await send("Page.navigate", { url: pathToFileURL(path.resolve(htmlFile)).href }, sessionId);
        await event("Page.loadEventFired");
        const layout = (await send("Page.getLayoutMetrics", {}, sessionId)) as {
          cssContentSize: { height: number };
        };
        const height = Math.ceil(layout.cssContentSize.height);
        await send("Emulation.setDeviceMetricsOverride", { ...metrics, height }, sessionId);
        const shot = (await send("Page.captureScreenshot", { format: "png" }, sessionId)) as { data: string };
        const png = Buffer.from(shot.data, "base64");
        fs.writeFileSync(pngFile, png);
        await send("Browser.close").catch(() => undefined);
        return pngSize(png);
      })(),
    ]);
  } finally {
    clearTimeout(timer);
    // The browser writes its profile until it has exited: remove it only then.
    if (child.exitCode === null && child.signalCode === null) {
      const gone = new Promise((resolve) => child.once("exit", resolve));
      const kill = setTimeout(() => child.kill(), 5000);
      await gone;
      clearTimeout(kill);
    }
    fs.rmSync(profile, { recursive: true, force: true, maxRetries: 3 });
  }
}

async function main(argv: readonly string[]): Promise<number> {
  const [html, out] = argv;
  if (!html || html.startsWith("-")) {
    console.error(
      "usage: npm run report:png -- <report.html> [out.png]  (browser: CHROME_PATH or chromium on the PATH)",
    );
    return 2;
  }
  const browser = findChromium();
  if (!browser) {
    console.error(INSTALL_HINT);
    return 2;
  }
  const png = out ?? html.replace(/\.html?$/i, "") + ".png";
  const size = await renderPng(html, png, { browser });
  console.log(`${png}: ${size.width}x${size.height} (${path.basename(browser)})`);
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (err: unknown) => {
      console.error(err instanceof Error ? err.message : String(err));
      process.exitCode = 1;
    },
  );
}
