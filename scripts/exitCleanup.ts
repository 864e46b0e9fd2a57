/**
 * Work that must happen however the process ends: a normal exit, `process.exit()` after a second
 * Ctrl-C, or an uncaught exception all emit `exit`, where only synchronous work can run. One
 * listener serves every registration, so 40 journal writes do not add 40 listeners.
 */
const tasks = new Set<() => void>();
let installed = false;

/** Runs `task` (synchronous) when the process exits; the returned function unregisters it. */
export function onProcessExit(task: () => void): () => void {
  if (!installed) {
    installed = true;
    process.on("exit", () => {
      for (const run of [...tasks]) {
        try {
          run();
        } catch {
          // Best effort: one failed clean-up must not stop the others.
        }
      }
    });
  }
  tasks.add(task);
  return () => {
    tasks.delete(task);
  };
}
