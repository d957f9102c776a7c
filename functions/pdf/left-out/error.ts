/**
 * A dependency's feature that the renderer bundles leave out was asked for (scripts/left-out-modules.ts lists them
 * and says why). The reports never use these features; this error says which one, instead of a crash somewhere
 * inside the dependency.
 */
export class LeftOutFeatureError extends Error {
  constructor(feature: string, instead: string) {
    super(`${feature} is not available in the report renderer: it was left out of the bundle. ${instead}`);
    this.name = 'LeftOutFeatureError';
  }
}

/** The error for a WOFF2 font, whose tables are brotli-compressed. */
export function woff2Refused(): LeftOutFeatureError {
  return new LeftOutFeatureError('Reading a WOFF2 font (brotli)', 'Use a TrueType (.ttf) or OpenType (.otf) font.');
}
