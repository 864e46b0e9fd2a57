// The HTML report pages' shared parts: the page skeleton with its inline styles, and verdicts as coloured words.
import { escapeXml } from "./timeline";

/** `met`, `NOT met`, `not measured`. */
export function metText(met: boolean | undefined): string {
  return met === undefined ? "not measured" : met ? "met" : "NOT met";
}

/** The page skeleton every report page shares: inline styles, no script, nothing fetched. */
export function htmlPage(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeXml(title)}</title>
<style>${PAGE_CSS}</style>
</head>
<body>
${body}
</body>
</html>
`;
}

const PAGE_CSS = `
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1b1b1b; margin: 24px auto; max-width: 1000px; padding: 0 16px; }
h1 { font-size: 22px; margin: 0 0 6px; } h2 { font-size: 17px; margin: 26px 0 8px; border-bottom: 1px solid #ddd; padding-bottom: 3px; }
table { border-collapse: collapse; margin: 6px 0; } th, td { border: 1px solid #d6d6d6; padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: #f3f3f3; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
.verdict { display: inline-block; padding: 1px 7px; border-radius: 3px; font-weight: 600; }
.verdict.good { background: #dcefdc; color: #1d5c28; } .verdict.bad { background: #f7d9d5; color: #8c1c13; } .verdict.none { background: #eee; color: #555; }
.rehearsal { background: #fff4d6; border: 1px solid #e8cf85; padding: 6px 10px; }
.critical-row td:first-child { font-weight: 600; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 14px; } dt { color: #555; } dd { margin: 0; }
code { font-size: 13px; background: #f5f5f5; padding: 0 3px; }
.muted { color: #666; }
`;

/** A verdict as a coloured word: `met` and `success` green, `not measured` grey, anything else red. */
export function verdictHtml(text: string): string {
  const tone = /^(met|success)$/.test(text) ? "good" : /^(not measured|-)$/.test(text) ? "none" : "bad";
  return `<span class="verdict ${tone}">${escapeXml(text)}</span>`;
}
