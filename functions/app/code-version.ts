import pkg from '../../package.json' with { type: 'json' };

/** A git commit as `PMIF_COMMIT` may give it: a short or full SHA. */
const COMMIT = /^[0-9a-f]{7,40}$/;

/**
 * The code version stamped into plans and manifests: `pmif-reports@<package version>`, plus `+<commit>` when
 * `PMIF_COMMIT` names one. A bundler inlines `process.env.PMIF_COMMIT` at build time (esbuild `define`); the local
 * runtime reads it at start. A malformed value fails the start rather than stamp a wrong version into the archive.
 */
export function codeVersion(version: string, commit: string | undefined): string {
  const sha = commit?.trim().toLowerCase();
  if (!sha) return `pmif-reports@${version}`;
  if (!COMMIT.test(sha))
    throw new Error(`PMIF_COMMIT must be a git commit SHA (7 to 40 hex digits), not ${JSON.stringify(commit)}`);
  return `pmif-reports@${version}+${sha}`;
}

export const CODE_VERSION = codeVersion(pkg.version, process.env.PMIF_COMMIT);
