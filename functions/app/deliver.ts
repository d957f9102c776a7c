/**
 * Deliver a period's latest complete revision to the managers: one e-mail per recipient and revision, claimed in
 * the delivery ledger before sending so a repeated run never sends twice.
 */
import { createHash } from 'node:crypto';
import { keys } from '../core/keys';
import type { Manifest } from '../core/manifest';
import { AlreadyExistsError } from '../core/ports';
import {
  activeProjects,
  buildProgrammeReport,
  buildProjectReport,
  diffFigures,
  type FigureSnapshot,
} from '../core/report-model';
import type { Recipient } from '../core/types';
import { composeManagerMail } from '../mail/compose-mails';
import { type Deps, jsonBytes, parseJson } from './deps';
import { latestManifest, loadRevisionInputs } from './revisions';

export interface LedgerEntry {
  period: string;
  revision: number;
  recipientHash: string;
  status: 'claimed' | 'sent';
  claimedAt: string;
  sentAt?: string;
  messageId?: string;
}

/** Recipients are filed under a hash: the ledger's keys carry no e-mail addresses. */
export function recipientHash(email: string): string {
  return createHash('sha256').update(email.trim().toLowerCase()).digest('hex').slice(0, 32);
}

export interface DeliverOutcome {
  period: string;
  revision: number | null;
  sent: number;
  alreadySent: number;
  inDoubt: number;
}

export async function deliverPeriod(deps: Deps, period: string): Promise<DeliverOutcome> {
  const manifest = await latestManifest(deps, period);
  if (!manifest) return { period, revision: null, sent: 0, alreadySent: 0, inDoubt: 0 };
  const inputs = await loadRevisionInputs(deps, manifest);
  const { revision } = manifest;
  const read = async (key: string) => {
    const obj = await deps.store.get(key);
    if (!obj) throw new Error(`archived report ${key} is missing`);
    return obj.bytes;
  };
  // The models are rebuilt from the manifest's own sources, so the e-mail matches the archived files.
  const registry = inputs.registry;
  const models = activeProjects(registry, period).map((p) =>
    buildProjectReport({
      registry,
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
  const programmePdf = await read(keys.programmeReport(period, revision, 'pdf'));
  const programmeXlsx = await read(keys.programmeReport(period, revision, 'xlsx'));

  const outcome: DeliverOutcome = { period, revision, sent: 0, alreadySent: 0, inDoubt: 0 };
  const managers = registry.recipients.filter((r) => r.role === 'manager');
  for (const recipient of managers) {
    const hash = recipientHash(recipient.email);
    const ledgerKey = keys.delivery(period, revision, hash);
    const claim: LedgerEntry = {
      period,
      revision,
      recipientHash: hash,
      status: 'claimed',
      claimedAt: deps.clock.now().toISOString(),
    };
    try {
      await deps.store.put(ledgerKey, jsonBytes(claim), { ifNoneMatch: true, contentType: 'application/json' });
    } catch (err) {
      if (!(err instanceof AlreadyExistsError)) throw err;
      const existing = await deps.store.get(ledgerKey);
      const entry = existing ? parseJson<LedgerEntry>(existing.bytes) : null;
      if (entry?.status === 'sent') outcome.alreadySent++;
      else {
        // Claimed but never confirmed: the send may or may not have happened. Never guess; tell the operators.
        outcome.inDoubt++;
        deps.log.warn('deliver.in-doubt', { period, revision, recipient: hash });
      }
      continue;
    }
    const projectFiles = await Promise.all(
      models
        .filter((m) => recipientSees(recipient, m.project.id))
        .map(async (m) => {
          const pdfKey = keys.projectReport(period, revision, m.project.id, 'pdf');
          const xlsxKey = keys.projectReport(period, revision, m.project.id, 'xlsx');
          return {
            projectId: m.project.id,
            title: m.project.title,
            pdf: await read(pdfKey),
            xlsx: await read(xlsxKey),
            pdfKey,
            xlsxKey,
          };
        }),
    );
    const mail = composeManagerMail({
      from: deps.mailFrom,
      to: recipient.email,
      lang: recipient.language,
      programme,
      programmePdf,
      programmeXlsx,
      projectFiles,
    });
    mail.headers = { ...(mail.headers ?? {}), 'X-PMIF-Delivery': `${period}/r${revision}/${hash}` };
    const { messageId } = await deps.mailer.send(mail);
    const sent: LedgerEntry = { ...claim, status: 'sent', sentAt: deps.clock.now().toISOString(), messageId };
    await deps.store.put(ledgerKey, jsonBytes(sent), { contentType: 'application/json' });
    outcome.sent++;
    deps.log.info('deliver.sent', { period, revision, recipient: hash });
  }
  return outcome;
}

function recipientSees(recipient: Recipient, projectId: string): boolean {
  return recipient.projects.length === 0 || recipient.projects.includes(projectId);
}

async function previousFigures(deps: Deps, period: string, revision: number): Promise<FigureSnapshot> {
  const obj = await deps.store.get(keys.manifest(period, revision - 1));
  return obj ? parseJson<Manifest>(obj.bytes).figures : {};
}
