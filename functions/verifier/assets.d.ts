/**
 * The files the renderer reads at run time, carried inside the one-file verifier bundle as base64 text
 * (scripts/build-verifier.ts makes this module), so the archived code needs nothing beside itself.
 */
declare module 'pmif-verifier:assets' {
  /** DejaVuSans.ttf */
  export const dejaVuSans: string;
  /** DejaVuSans-Bold.ttf */
  export const dejaVuSansBold: string;
  /** pdfkit's sRGB ICC profile (the PDF/A output intent). */
  export const srgbProfile: string;
}
