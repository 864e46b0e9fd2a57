// The Node.js versions the project supports, and the one line `dr` and the install print on any other.
"use strict";

/**
 * The supported range, as `engines.node` in components/package.json says it (a test keeps the two equal).
 * The repository root declares no `engines`: npm would print its ten-line EBADENGINE block on every install
 * on another Node, where this module prints one line (the install's, and `restorekit-dr`'s at a terminal).
 */
const SUPPORTED_NODE = "^22.12.0 || >=24.0.0";

/** Whether `version` ("v22.12.0" or "22.12.0") is in SUPPORTED_NODE: 22.12 or later in 22, or 24 and later. */
function isSupportedNode(version) {
  const match = /^v?(\d+)\.(\d+)\.(\d+)/.exec(version);
  if (!match) return false;
  const [major, minor] = [Number(match[1]), Number(match[2])];
  return (major === 22 && minor >= 12) || major >= 24;
}

/** The one line to print on an unsupported Node (undefined on a supported one). */
function unsupportedNodeNotice(version) {
  if (isSupportedNode(version)) return undefined;
  return (
    `warning: Node.js ${version} is not supported; install Node.js 22.12+ or 24+ ` +
    "(for example `nvm install 24`), then run `npm ci` again"
  );
}

module.exports = { SUPPORTED_NODE, isSupportedNode, unsupportedNodeNotice };
