/**
 * Deliver a period's latest complete revision to the managers: one e-mail per recipient and revision, through the
 * mail ledger (`ledger.ts`: claim, send, record), so a repeated or parallel run never sends twice, a definite
 * failure is retried by a later run, and a send whose outcome is unknown is reported, never repeated blindly.
 */
import { createHash } from 'node:crypto';
import { managerLinkExpiry } from '../core/download-link';
import { editionFor } from '../core/editions';
import { keys } from '../core/keys';
import type { Manifest } from '../core/manifest';
import { rigaDate } from '../core/period';
import type { OutgoingMail } from '../core/ports';
import {
  activeProjects,
  buildProgrammeReport,
  buildProjectReport,
  diffFigures,
  type FigureSnapshot,
  indexRegistry,
} from '../core/report-model';
import type { ProgrammeReportModel, ProjectReportModel } from '../core/report-types';
import type { Lang, Recipient } from '../core/types';
import { composeAuditorMail } from '../mail/auditor-mail';
import { composeManagerMail, type ManagerMailLinks } from '../mail/manager-mail';
import { type Deps, IntegrityError, parseJson, sha256Hex } from './deps';
import { auditorRevisionLink, managerDownloadLinks, managerRevisionLink } from './download-links';
import { countResult, emptyCounts, type LedgerAbout, type MailCounts, sendOnce, UnsentMailError } from './ledger';
import { latestManifest, loadRevisionInputs } from './revisions';

/**
 * An archived report file does not match its manifest (truncated, overwritten, bit rot): it is never mailed
 * (issue 14). Nothing of the revision goes out until the file is restored; operators are told (log, metric, alarm).
 */
export class ReportIntegrityError extends IntegrityError {
  constructor(
    readonly key: string,
    readonly period: string,
    readonly revision: number,
    found: string,
  ) {
    super(`archived report ${key} (${period} r${revision}) ${found}; nothing was mailed`);
    this.name = 'ReportIntegrityError';
  }
}

/** Recipients are filed under a hash: the ledger's keys carry no e-mail addresses. */
export function recipientHash(email: string): string {
  return createHash('sha256').update(email.trim().toLowerCase()).digest('hex').slice(0, 32);
}

/** One mail to each of a list of recipients, filed in the ledger under each recipient's hash. */
export interface EachRecipientRequest {
  /** The ledger slot of the recipient with this hash. */
  slot: (hash: string) => string;
  event: string;
  /** What the mail is about, besides its recipient's hash (which is added as `recipient`). */
  about: LedgerAbout;
  resolve?: DeliverOptions['resolve'];
  compose: (recipient: Recipient) => Promise<OutgoingMail>;
}

/**
 * Mail each recipient once through the ledger, in order, counting what became of each into `counts`. A send that
 * failed keeps its error in `errors` and the others are still served: the caller throws {@link UnsentMailError}.
 */
export async function sendToEach(
  deps: Deps,
  recipients: readonly Recipient[],
  request: EachRecipientRequest,
  counts: MailCounts,
  errors: unknown[],
): Promise<void> {
  for (const recipient of recipients) {
    const hash = recipientHash(recipient.email);
    const result = await sendOnce(deps, {
      slot: request.slot(hash),
      event: request.event,
      about: { ...request.about, recipient: hash },
      resolve: request.resolve,
      compose: () => request.compose(recipient),
    });
    countResult(counts, result);
    if (result.status === 'failed') errors.push(result.error);
  }
}

/**
 * What a delivery run did, per manager of the revision: `sent` now, `alreadySent` earlier, `inDoubt` (a send whose
 * outcome is unknown: an operator must check), `failed` (certainly not sent; retried by the next run), `gaveUp`
 * (failed too often, or in a way retrying cannot fix: an operator must act).
 */
export interface DeliverOutcome extends MailCounts {
  period: string;
  revision: number | null;
  /** The auditors' revision-page mails (issue 18), counted apart from the managers'. */
  auditors?: MailCounts;
}

export interface DeliverOptions {
  /** An operator's decision for recipients in doubt or given up (see `ledger.ts`); default: leave them. */
  resolve?: 'resend' | 'confirm';
}

/**
 * E-mail the latest complete revision of `period` to every manager who has not had it. Throws
 * {@link UnsentMailError} after serving everyone else when some sends certainly failed, so the run is retried.
 */
export async function deliverPeriod(deps: Deps, period: string, options: DeliverOptions = {}): Promise<DeliverOutcome> {
  const manifest = await latestManifest(deps, period);
  if (!manifest) return { period, revision: null, ...emptyCounts() };
  const { revision } = manifest;
  const { registry, models, programme } = await rebuildModels(deps, manifest, period);
  const files = revisionFiles(deps, manifest, period);

  const outcome: DeliverOutcome = { period, revision, ...emptyCounts() };
  const errors: unknown[] = [];
  const managers = registry.recipients.filter((r) => r.role === 'manager');
  await sendToEach(
    deps,
    managers,
    {
      slot: (hash) => keys.deliverySlot(period, revision, hash),
      event: 'deliver',
      about: { period, revision },
      resolve: options.resolve,
      compose: (recipient) => managerMail(deps, { period, manifest, models, programme, files }, recipient),
    },
    outcome,
    errors,
  );
  outcome.auditors = await deliverToAuditors(deps, manifest, registry.recipients, options, errors);
  const failed = outcome.failed + outcome.auditors.failed;
  if (failed > 0) throw new UnsentMailError(failed, outcome, { cause: errors[0] });
  return outcome;
}

/** The models are rebuilt from the manifest's own sources, so the e-mail matches the archived files. */
async function rebuildModels(deps: Deps, manifest: Manifest, period: string) {
  const { revision } = manifest;
  const inputs = await loadRevisionInputs(deps, manifest);
  const registry = inputs.registry;
  const index = indexRegistry(registry);
  const models = activeProjects(registry, period).map((p) =>
    buildProjectReport({
      registry,
      index,
      submissions: inputs.submissions,
      period,
      revision,
      generatedAt: manifest.generatedAt,
      projectId: p.id,
    }),
  );
  const programme = buildProgrammeReport({
    registry,
    period,
    revision,
    generatedAt: manifest.generatedAt,
    projects: models,
  });
  if (revision > 1) programme.changes = diffFigures(await previousFigures(deps, period, revision), manifest.figures);
  programme.notes = manifest.notes ?? [];
  return { registry, models, programme };
}

/** The revision's archived files as the mails attach them, each checked first. */
interface RevisionFiles {
  read(key: string): Promise<Uint8Array>;
  /** The programme PDF and XLSX of one edition, read once however many managers get it. */
  programme(edition: Lang): Promise<[Uint8Array, Uint8Array]>;
}

function revisionFiles(deps: Deps, manifest: Manifest, period: string): RevisionFiles {
  const { revision } = manifest;
  // Every attachment is checked against the manifest's SHA-256 before any mail is built with it.
  const read = async (key: string) => {
    const obj = await deps.store.get(key);
    const listed = manifest.outputs.find((o) => o.key === key);
    let problem: string | null = null;
    if (!obj) problem = 'is missing';
    else if (!listed) problem = 'is not listed in the manifest';
    else if (sha256Hex(obj.bytes) !== listed.sha256 || obj.bytes.byteLength !== listed.bytes)
      problem = `does not match the manifest (${obj.bytes.byteLength} bytes, manifest ${listed.bytes})`;
    if (problem !== null) {
      deps.log.error('deliver.integrity-failed', { period, revision, key });
      throw new ReportIntegrityError(key, period, revision, problem);
    }
    return obj!.bytes;
  };
  // Each manager gets the edition of their language (revisions from before editions have one, which all get).
  const programmeFiles = new Map<Lang, Promise<[Uint8Array, Uint8Array]>>();
  const programme = (edition: Lang) => {
    let files = programmeFiles.get(edition);
    if (!files) {
      files = Promise.all([
        read(keys.programmeReport(period, revision, 'pdf', edition)),
        read(keys.programmeReport(period, revision, 'xlsx', edition)),
      ]);
      programmeFiles.set(edition, files);
    }
    return files;
  };
  return { read, programme };
}

/** One manager's mail: the programme report of their edition and the reports of the projects they see. */
async function managerMail(
  deps: Deps,
  revision: {
    period: string;
    manifest: Manifest;
    models: ProjectReportModel[];
    programme: ProgrammeReportModel;
    files: RevisionFiles;
  },
  recipient: Recipient,
) {
  const { period, manifest, models, programme, files } = revision;
  const edition = editionFor(manifest, recipient.language).fileEdition;
  const [programmePdf, programmeXlsx] = await files.programme(edition);
  const projectFiles = await Promise.all(
    models
      .filter((m) => recipientSees(recipient, m.project.id))
      .map(async (m) => {
        const pdfKey = keys.projectReport(period, manifest.revision, m.project.id, 'pdf', edition);
        const xlsxKey = keys.projectReport(period, manifest.revision, m.project.id, 'xlsx', edition);
        return {
          projectId: m.project.id,
          title: m.project.title,
          pdf: await files.read(pdfKey),
          xlsx: await files.read(xlsxKey),
          pdfKey,
          xlsxKey,
        };
      }),
  );
  const programmeKeys = {
    pdf: keys.programmeReport(period, manifest.revision, 'pdf', edition),
    xlsx: keys.programmeReport(period, manifest.revision, 'xlsx', edition),
  };
  return composeManagerMail({
    from: deps.mailFrom,
    to: recipient.email,
    lang: recipient.language,
    programme,
    programmePdf,
    programmeXlsx,
    projectFiles,
    programmeKeys,
    ...(deps.maxMailBytes === undefined ? {} : { maxBytes: deps.maxMailBytes }),
    ...(await managerLinks(deps, period, manifest.revision, [programmeKeys, ...projectFiles.map(filePair)])),
  });
}

const filePair = (f: { pdfKey: string; xlsxKey: string }) => ({ pdf: f.pdfKey, xlsx: f.xlsxKey });

/** A manager's links: one token per report pair (PDF and XLSX), the revision page; none without link config. */
async function managerLinks(
  deps: Deps,
  period: string,
  revision: number,
  pairs: { pdf: string; xlsx: string }[],
): Promise<{ links?: ManagerMailLinks }> {
  const revisionPage = await managerRevisionLink(deps, period, revision);
  if (!revisionPage) return {};
  const files = new Map<string, string>();
  for (const pair of pairs) {
    for (const [key, url] of (await managerDownloadLinks(deps, [pair.pdf, pair.xlsx])) ?? []) files.set(key, url);
  }
  return { links: { files, revisionPage, validUntil: rigaDate(managerLinkExpiry(deps.clock.now())) } };
}

/**
 * The auditors' short mail (issue 18): one per auditor and revision, through the same ledger as the managers'
 * (exactly once), with the revision page's link. Without link configuration there is nothing to send them.
 */
async function deliverToAuditors(
  deps: Deps,
  manifest: Manifest,
  recipients: Recipient[],
  options: DeliverOptions,
  errors: unknown[],
): Promise<MailCounts> {
  const counts = emptyCounts();
  const auditors = recipients.filter((r) => r.role === 'auditor');
  const { period, revision } = manifest;
  await sendToEach(
    deps,
    deps.links ? auditors : [],
    {
      slot: (hash) => keys.auditorDeliverySlot(period, revision, hash),
      event: 'deliver.auditor',
      about: { period, revision },
      resolve: options.resolve,
      compose: async (recipient) => {
        const link = (await auditorRevisionLink(deps, manifest))!;
        return composeAuditorMail({
          from: deps.mailFrom,
          to: recipient.email,
          lang: recipient.language,
          period,
          revision,
          revisionUrl: link.url,
          validUntil: rigaDate(link.expiresAt),
        });
      },
    },
    counts,
    errors,
  );
  return counts;
}

function recipientSees(recipient: Recipient, projectId: string): boolean {
  return recipient.projects.length === 0 || recipient.projects.includes(projectId);
}

async function previousFigures(deps: Deps, period: string, revision: number): Promise<FigureSnapshot> {
  const obj = await deps.store.get(keys.manifest(period, revision - 1));
  return obj ? parseJson<Manifest>(obj.bytes, obj.key).figures : {};
}
