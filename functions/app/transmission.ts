/**
 * The Art. 42 data transmission as a use case: build it from the registry in force and every accepted submission,
 * render both editions, archive them under `transmissions/<cutoff>/r<n>/` with a manifest (written last) that
 * lists its sources and outputs. A new revision only when a figure changed; a crashed revision is resumed with the
 * generated-at time its plan fixed, so it gives the same bytes. Like a report revision (issue 15), it is archived
 * with its inputs and the code that made it (`blobs/sha256/`, manifest schema 2), so that `archive verify` runs
 * that code, not the code of the day.
 */
import { submissionsInForce } from '../core/aggregate';
import { XLSX_CONTENT_TYPE } from '../core/cells';
import { keys, parseTransmissionKey } from '../core/keys';
import type { ManifestArchive, ManifestOutput, ManifestSource } from '../core/manifest';
import { registryWithoutContacts } from '../core/revision-policy';
import { buildTransmission, cutoffPeriod, type TransmissionModel, transmissionFigures } from '../core/transmission';
import type { NormalisedSubmission, Registry } from '../core/types';
import { composeTransmissionMail } from '../mail/transmission-mail';
import { archiveTransmissionInputs } from './archive-inputs';
import { CODE_VERSION } from './code-version';
import { ReportIntegrityError, sendToEach } from './deliver';
import { type Deps, jsonBytes, parseJson, putArchivedOnce, sha256Hex } from './deps';
import { emptyCounts, type MailCounts, UnsentMailError } from './ledger';
import { loadRegistryInForce, loadSubmissions } from './registry-store';
import { renderTransmissionFiles } from './transmission-files';

/**
 * Schema 1 (before transmissions were self-contained): no `archive`. Schema 2: `archive` names the code and every
 * input by SHA-256 in `blobs/sha256/`. Both are read; an archived manifest is never rewritten.
 */
export const TRANSMISSION_MANIFEST_SCHEMA = 2;

export interface TransmissionManifest {
  schemaVersion: 1 | 2;
  kind: 'transmission-manifest';
  cutoff: string;
  revision: number;
  generatedAt: string;
  codeVersion: string;
  registry: { key: string; version: string; sha256: string };
  /** Every accepted upload of the included projects up to the cut-off quarter, superseded ones too. */
  sources: ManifestSource[];
  outputs: ManifestOutput[];
  projectIds: string[];
  /** Every cell that carries a value, by row: a later revision is issued only when these change. */
  figures: Record<string, unknown[]>;
  /** From schema 2: the code and every input, content-addressed (what `archive verify` runs and reads). */
  archive?: ManifestArchive;
}

interface TransmissionPlan {
  schemaVersion: 1;
  kind: 'transmission-plan';
  cutoff: string;
  revision: number;
  generatedAt: string;
}

/** A transmission not produced because its figures would count periods the backfill bound held (backfill.ts). */
export interface TransmissionHeld {
  status: 'held';
  cutoff: string;
  /** The held periods up to the cut-off's quarter, oldest first. */
  held: string[];
}

export type TransmissionOutcome =
  | { status: 'generated'; cutoff: string; revision: number; outputs: string[]; manifestKey: string }
  | { status: 'unchanged'; cutoff: string; revision: number; manifestKey: string }
  | { status: 'no-registry'; cutoff: string };

async function readJson<T>(deps: Deps, key: string): Promise<T | null> {
  const obj = await deps.store.get(key);
  return obj ? parseJson<T>(obj.bytes) : null;
}

/** Revisions of a cut-off: the highest with a manifest (complete) and the highest with anything (planned). */
export async function transmissionRevisions(deps: Pick<Deps, 'store'>, cutoff: string) {
  let complete = 0;
  let planned = 0;
  for (const info of await deps.store.list(`${keys.transmissionsPrefix}${cutoff}/`)) {
    const parsed = parseTransmissionKey(info.key);
    if (!parsed) continue;
    planned = Math.max(planned, parsed.revision);
    if (parsed.file === 'manifest.json') complete = Math.max(complete, parsed.revision);
  }
  return { complete, planned };
}

function sourcesOf(submissions: readonly NormalisedSubmission[], model: TransmissionModel) {
  const sources: ManifestSource[] = [];
  for (const id of model.projectIds) {
    const own = submissions.filter((s) => s.projectId === id);
    for (const h of submissionsInForce(own, model.period))
      for (const s of h.all)
        sources.push({
          key: s.source.key,
          version: s.source.version,
          sha256: s.source.sha256,
          recordKey: keys.submission(s.period, s.projectId, s.source.version),
        });
  }
  return sources.sort((a, b) => (a.recordKey < b.recordKey ? -1 : a.recordKey > b.recordKey ? 1 : 0));
}

function putOnce(deps: Deps, key: string, bytes: Uint8Array, contentType: string): Promise<ManifestOutput> {
  return putArchivedOnce(
    deps,
    key,
    bytes,
    contentType,
    (cause) =>
      new Error(`transmission ${key} exists with different content; an archived file is never overwritten`, { cause }),
  );
}

/**
 * Produce the transmission for `cutoff` (`YYYY-06-30` or `YYYY-12-31`; anything else throws `CutoffError`).
 * Returns the revision in force: a new one when a figure changed since the last, else the last.
 */
export async function produceTransmission(
  deps: Deps,
  options: { cutoff: string; generatedAt?: string },
): Promise<TransmissionOutcome> {
  const { cutoff } = options;
  cutoffPeriod(cutoff);
  const registry = await loadRegistryInForce(deps.store);
  if (!registry) return { status: 'no-registry', cutoff };
  const submissions = await loadSubmissions(deps.store);
  const { complete, planned } = await transmissionRevisions(deps, cutoff);
  const resumed =
    planned > complete ? await readJson<TransmissionPlan>(deps, keys.transmissionPlan(cutoff, planned)) : null;
  const revision = complete + 1;
  const generatedAt =
    resumed?.revision === revision ? resumed.generatedAt : (options.generatedAt ?? deps.clock.now().toISOString());
  const model = buildTransmission({ registry, submissions, cutoff, revision, generatedAt });
  const figures = transmissionFigures(model);
  if (complete > 0) {
    const previous = await readJson<TransmissionManifest>(deps, keys.transmissionManifest(cutoff, complete));
    // Inputs re-issue, software does not (issue 14): with the same uploads in force and the same printed registry
    // fields (contacts aside), the issued revision stands even if the code running now would compute other figures.
    const previousRegistry = previous
      ? await readJson<Registry>(deps, keys.registryVersion(previous.registry.version))
      : null;
    const sameInputs =
      previous !== null &&
      previousRegistry !== null &&
      JSON.stringify(previous.sources) === JSON.stringify(sourcesOf(submissions, model)) &&
      JSON.stringify(registryWithoutContacts(previousRegistry)) === JSON.stringify(registryWithoutContacts(registry));
    if (previous && (sameInputs || JSON.stringify(previous.figures) === JSON.stringify(figures)))
      return {
        status: 'unchanged',
        cutoff,
        revision: complete,
        manifestKey: keys.transmissionManifest(cutoff, complete),
      };
  }
  if (!resumed || resumed.revision !== revision) {
    const plan: TransmissionPlan = { schemaVersion: 1, kind: 'transmission-plan', cutoff, revision, generatedAt };
    await putOnce(deps, keys.transmissionPlan(cutoff, revision), jsonBytes(plan), 'application/json');
  }
  const outputs: ManifestOutput[] = [];
  for (const file of await renderTransmissionFiles(model, cutoff, revision))
    outputs.push(await putOnce(deps, file.key, file.bytes, XLSX_CONTENT_TYPE));
  const inputs = {
    registry: { key: registry.source.key, version: registry.source.version, sha256: registry.source.sha256 },
    sources: sourcesOf(submissions, model),
  };
  const planKey = keys.transmissionPlan(cutoff, revision);
  const archive = await archiveTransmissionInputs(deps, inputs, planKey, { cutoff, revision });
  const manifest: TransmissionManifest = {
    schemaVersion: TRANSMISSION_MANIFEST_SCHEMA,
    kind: 'transmission-manifest',
    cutoff,
    revision,
    generatedAt,
    codeVersion: CODE_VERSION,
    ...inputs,
    outputs,
    projectIds: model.projectIds,
    figures,
    archive,
  };
  const manifestKey = keys.transmissionManifest(cutoff, revision);
  await putOnce(deps, manifestKey, jsonBytes(manifest), 'application/json');
  deps.log.info('transmission.done', { cutoff, revision, rows: model.rows.length });
  return { status: 'generated', cutoff, revision, outputs: outputs.map((o) => o.key), manifestKey };
}

/** The latest complete transmission manifest of a cut-off, or null. */
export async function latestTransmission(
  deps: Pick<Deps, 'store'>,
  cutoff: string,
): Promise<TransmissionManifest | null> {
  const { complete } = await transmissionRevisions(deps, cutoff);
  if (complete === 0) return null;
  const obj = await deps.store.get(keys.transmissionManifest(cutoff, complete));
  return obj ? parseJson<TransmissionManifest>(obj.bytes) : null;
}

export interface TransmissionDeliverOutcome extends MailCounts {
  cutoff: string;
  revision: number | null;
}

/**
 * E-mail the latest transmission revision of `cutoff`, each manager their language's edition, through the mail
 * ledger (exactly once per recipient and revision). Only managers of the whole programme (`Projects` empty) get
 * it: it holds programme totals. Throws {@link UnsentMailError} after serving the others when a send failed.
 */
export async function deliverTransmission(deps: Deps, cutoff: string): Promise<TransmissionDeliverOutcome> {
  const manifest = await latestTransmission(deps, cutoff);
  if (!manifest) return { cutoff, revision: null, ...emptyCounts() };
  // The revision's own registry: contacts changed later affect later revisions' mail only (issue 14).
  const registry = await readJson<Registry>(deps, keys.registryVersion(manifest.registry.version));
  const { revision } = manifest;
  const outcome: TransmissionDeliverOutcome = { cutoff, revision, ...emptyCounts() };
  const errors: unknown[] = [];
  const managers = (registry?.recipients ?? []).filter((r) => r.role === 'manager' && r.projects.length === 0);
  const submissions = await loadSubmissions(deps.store);
  const lateOrMissing = registry
    ? buildTransmission({ registry, submissions, cutoff, revision, generatedAt: manifest.generatedAt }).lateOrMissing
    : [];
  await sendToEach(
    deps,
    managers,
    {
      slot: (hash) => keys.transmissionDeliverySlot(cutoff, revision, hash),
      event: 'transmission.deliver',
      about: { cutoff, revision },
      compose: async (recipient) => {
        const xlsxKey = keys.transmission(cutoff, revision, recipient.language);
        const obj = await deps.store.get(xlsxKey);
        if (!obj) throw new Error(`archived transmission ${xlsxKey} is missing`);
        const listed = manifest.outputs.find((o) => o.key === xlsxKey);
        if (!listed || sha256Hex(obj.bytes) !== listed.sha256)
          throw new ReportIntegrityError(xlsxKey, cutoff, revision, 'does not match its manifest');
        return composeTransmissionMail({
          from: deps.mailFrom,
          to: recipient.email,
          lang: recipient.language,
          cutoff,
          revision,
          lateOrMissing: lateOrMissing.map((p) => p.id),
          xlsx: obj.bytes,
          xlsxKey,
        });
      },
    },
    outcome,
    errors,
  );
  if (outcome.failed > 0) throw new UnsentMailError(outcome.failed, outcome, { cause: errors[0] });
  return outcome;
}
