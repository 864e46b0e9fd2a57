// Writing a recover or drill run's report: JSON, Markdown with its glance lines, the HTML page with the timeline, and the index.
import { RunReport, renderMarkdown, writeReportFiles } from "./report";
import { glanceMarkdown, reportBaseName, runSurroundings, writePageAndIndex } from "./reportPages";
import { renderRunPage } from "./runPage";
import { runTimeline } from "./runTimeline";

/**
 * Writes `<dir>/<kind>-<runId>.json` and `.md` (`rehearsal-<kind>-<runId>.*` for a rehearsal), the Markdown
 * closing with its "at a glance" lines, the `.html` page with the timeline, and the directory's index;
 * returns the paths. Asynchronous, so a Ctrl-C while a slow disk or network share writes is still noticed.
 */
export async function writeReport(
  report: RunReport,
  dir: string,
): Promise<{ json: string; markdown: string; html: string; index: string }> {
  // The page and the Markdown's closing lines compare with the runs already reported here.
  const surroundings = await runSurroundings(report, dir);
  const markdown =
    renderMarkdown(report) + glanceMarkdown(reportBaseName(report), runTimeline(report), surroundings);
  const paths = await writeReportFiles(report, markdown, dir);
  const page = renderRunPage(report, { ...surroundings, files: paths });
  return { ...paths, ...(await writePageAndIndex(paths.json, page, surroundings.runs)) };
}
