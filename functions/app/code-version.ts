import pkg from '../../package.json' with { type: 'json' };

/** The code version stamped into manifests: the package version (a release is tagged with it). */
export const CODE_VERSION = `pmif-reports@${pkg.version}`;
