/** The plan as text (a preview within {@link TEXT_WIDTH} columns) and as JSON (`--json`, every value in full). */
import { usd } from "../cost/amounts";
import { PriceBook } from "../cost/prices";
import { alignColumns, fillWords, wrapLine } from "../output";
import { compact, keyInputs, resourceCounts, resourceRegion, shortType, sortForDisplay } from "./display";
import { UNKNOWN } from "./engine";
import { PlanDiagnostic, PlanResult } from "./evaluate";
import { controlPlanes, outsideFlipScope } from "./flipChanges";
import { hourlyCharges } from "./hourlyCharges";
import { renderDestroyTable } from "./lastCopy";
import { renderDrPosture, renderFailedBack, renderFlip, renderIsolatedCopy, renderPosture } from "./posture";

/** Width of the text plan: longer lines are wrapped (`--json` carries every value in full). */
export const TEXT_WIDTH = 120;

/** A line printed as it is, never wrapped or cut: JSON a reader copies into `jq` or `JSON.parse`. */
class Verbatim {
  constructor(readonly text: string) {}
}

/** Outputs the text names and shows elsewhere: the posture sections below print them readably. */
const SHOWN_BELOW = new Set(["posture", "restoredDataProtection"]);

/**
 * `key: value` at `indent`: a plain value on its line (wrapped like any text); an object or an array as
 * JSON, complete and never wrapped inside a string: on the key's line when it fits in {@link TEXT_WIDTH},
 * else indented 2 more on the lines below, one field a line.
 */
function valueLines(indent: string, key: string, value: unknown): (string | Verbatim)[] {
  if (typeof value !== "object" || value === null) return [`${indent}${key}: ${compact(value)}`];
  const inline = `${indent}${key}: ${JSON.stringify(value)}`;
  if (inline.length <= TEXT_WIDTH) return [new Verbatim(inline)];
  return [
    `${indent}${key}:`,
    ...JSON.stringify(value, null, 2)
      .split("\n")
      .map((line) => new Verbatim(`${indent}  ${line}`)),
  ];
}

function renderDiagnostics(stackLabel: string, diagnostics: readonly PlanDiagnostic[]): string[] {
  if (diagnostics.length === 0) return [];
  const indent = (message: string) => message.split("\n").join("\n        ");
  return [
    "Diagnostics:",
    `  pulumi:pulumi:Stack (${stackLabel}):`,
    ...diagnostics.map((d) => `    ${d.severity}: ${indent(d.message)}`),
  ];
}

/** The human-readable plan, within {@link TEXT_WIDTH} columns; `prices` give the hourly items' cost. */
export function renderText(result: PlanResult, prices: PriceBook): string {
  const stackLabel = `${result.project}-${result.stack}`;
  const configErrors = result.diagnostics.filter((d) => d.phase === "config" && d.severity === "error");
  if (configErrors.length > 0) {
    // Pulumi reports these before it starts the program, as a bare `error:` line.
    return configErrors.map((d) => `error: ${d.message}`).join("\n") + "\n";
  }
  const lines: (string | Verbatim)[] = [
    `Previewing update (${result.stack}) offline: the real program on Pulumi's mock engine; nothing reaches AWS or a Pulumi backend.`,
    `Config: Pulumi.yaml defaults + ${result.stackFile}${
      Object.values(result.config).some((entry) => entry.source === "override") ? " + --config" : ""
    }; role ${result.role ?? UNKNOWN}${
      result.mode ? `, mode ${result.mode}` : ""
    }, aws:region ${result.region ?? UNKNOWN}`,
    "",
  ];
  const failed = result.diagnostics.some((d) => d.severity === "error");
  if (!failed) {
    const custom = result.resources.filter((r) => r.custom || r.type.startsWith("awsx:"));
    lines.push(
      `Resources: ${custom.length} to create, ${result.resources.length - custom.length} component(s); <unknown>: known only after deployment`,
      ...alignColumns(
        [
          ["TYPE", "NAME", "REGION", "INPUTS THAT MATTER"],
          ...sortForDisplay(result.resources, result.region).map((r) => [
            `+ ${shortType(r.type)}`,
            r.name,
            resourceRegion(r, result.region),
            keyInputs(r, {
              primary: result.config[`${result.project}:primaryRegion`]?.value,
              dr: result.config[`${result.project}:drRegion`]?.value,
            }),
          ]),
        ],
        { indent: "  ", width: TEXT_WIDTH, maxColumn: 36 },
      ),
      "",
      ...fillWords(
        resourceCounts(result.resources).map(
          ([type, count], index, all) => `${count} ${shortType(type)}${index < all.length - 1 ? "," : ""}`,
        ),
        { width: TEXT_WIDTH, first: "By type: ", hanging: "    " },
      ),
      "",
    );
    for (const reference of result.stackReferences) {
      lines.push(`StackReference ${reference.name}: ${reference.note}`);
      lines.push(
        ...Object.entries(reference.outputs).flatMap(([key, value]) => valueLines("  ", key, value)),
        "",
      );
    }
    for (const invoke of result.invokes) {
      lines.push(`Invoke ${invoke.token}: ${invoke.answer}`, "");
    }
    lines.push(
      "Outputs:",
      ...Object.entries(result.outputs ?? {}).flatMap(([key, value]) =>
        SHOWN_BELOW.has(key) ? [`  ${key}: (below)`] : valueLines("  ", key, value),
      ),
      "",
    );
    lines.push(
      ...(result.posture
        ? [
            ...renderPosture(result.posture),
            ...renderIsolatedCopy(result.posture, prices),
            renderFailedBack(result),
            ...(result.lastCopy ? ["", ...renderDestroyTable(result.lastCopy)] : []),
          ]
        : renderDrPosture(result)),
      "",
    );
    if (result.flip) lines.push(...renderFlip(result.flip, result.region ?? UNKNOWN), "");
    const charges = hourlyCharges(result.resources, prices);
    const total = charges.reduce((sum, charge) => sum + (charge.monthlyUsd ?? 0), 0);
    lines.push(
      `Billed by the hour while deployed (besides storage and requests), a month at the prices of ${prices.asOf}:`,
      ...(charges.length > 0
        ? charges.flatMap((charge) => [
            `  ${charge.charge}: ${charge.monthlyUsd === undefined ? "not priced" : `${usd(charge.monthlyUsd)}/month`}`,
            `    ${charge.arithmetic}`,
          ])
        : ["  nothing"]),
      ...(charges.some((charge) => charge.monthlyUsd !== undefined)
        ? [
            `  Priced items: ${usd(total)}/month (dr cost --help: the whole estimate, from the same price file)`,
          ]
        : []),
      "",
    );
  }
  lines.push(...renderDiagnostics(stackLabel, result.diagnostics));
  if (failed) lines.push("", `error: preview failed: the program for stack ${result.stack} did not evaluate`);
  return lines
    .flatMap((line) =>
      line instanceof Verbatim ? [line.text] : line.split("\n").flatMap((part) => wrapLine(part, TEXT_WIDTH)),
    )
    .join("\n")
    .replace(/\n*$/, "\n");
}

/** The machine-readable plan (`--json`), every value in full. */
export function renderJson(result: PlanResult, prices: PriceBook): string {
  return (
    JSON.stringify(
      {
        project: result.project,
        stack: result.stack,
        offline: true,
        stackFile: result.stackFile,
        role: result.role,
        mode: result.mode,
        region: result.region,
        config: result.config,
        resources: sortForDisplay(result.resources, result.region).map((r) => ({
          type: r.type,
          name: r.name,
          custom: r.custom,
          region: resourceRegion(r, result.region),
          inputs: r.inputs,
        })),
        resourceCount: result.resources.length,
        stackReferences: result.stackReferences,
        invokes: result.invokes,
        outputs: result.outputs,
        posture: result.posture,
        resourceCounts: Object.fromEntries(resourceCounts(result.resources)),
        hourlyCharges: hourlyCharges(result.resources, prices),
        prices: { title: prices.title, asOf: prices.asOf, file: prices.file },
        ...(result.flip && {
          flip: {
            changes: result.flip,
            controlPlanes: controlPlanes(result.flip, result.region ?? ""),
            outsideScope: outsideFlipScope(result.flip),
          },
        }),
        diagnostics: result.diagnostics,
      },
      null,
      2,
    ) + "\n"
  );
}
