/**
 * Stands in for `@noble/ciphers/aes` in every bundle that renders (scripts/left-out-modules.ts). pdfkit calls it
 * only to encrypt a document with a password; the reports are never encrypted.
 */
import { LeftOutFeatureError } from './error';

function refused(): never {
  throw new LeftOutFeatureError('Encrypting a PDF (AES)', 'The reports are written without passwords.');
}

export const cbc = refused;
export const ecb = refused;
