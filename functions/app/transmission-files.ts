/**
 * Both editions of an Art. 42 transmission as archived: one function for `produceTransmission` and for the verifier
 * bundle (`functions/verifier`), which re-renders an archived transmission with the code that made it, so that what
 * is verified is made exactly as what was archived.
 */
import { keys } from '../core/keys';
import type { TransmissionModel } from '../core/transmission';
import { renderTransmissionXlsx } from '../workbooks/write-transmission-xlsx';

/** The Latvian edition, then the English one: storage key and bytes. */
export async function renderTransmissionFiles(
  model: TransmissionModel,
  cutoff: string,
  revision: number,
): Promise<{ key: string; bytes: Uint8Array }[]> {
  const files: { key: string; bytes: Uint8Array }[] = [];
  for (const lang of ['lv', 'en'] as const)
    files.push({ key: keys.transmission(cutoff, revision, lang), bytes: await renderTransmissionXlsx(model, lang) });
  return files;
}
