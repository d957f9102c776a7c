/** infra/ restates the key prefixes (it may not import runtime code); they must agree with the one key module. */
import { describe, expect, it } from 'vitest';
import { ARCHIVE_PREFIXES, classifyUpload, keys } from '../../functions/core/keys';
import { METRIC, METRICS_NAMESPACE } from '../../functions/core/metric-names';
import {
  ALARMED_METRICS,
  ARCHIVE,
  DATA,
  METRICS_NAMESPACE as INFRA_NAMESPACE,
  INGEST_TRIGGERS,
} from '../../infra/storage-layout';

describe('storage layout', () => {
  it('names the same prefixes as functions/core/keys.ts', () => {
    expect(DATA.inbox.prefix).toBe(keys.inboxPrefix);
    expect(DATA.registry.prefix).toBe(keys.registryPrefix);
    expect(DATA.submissions.prefix).toBe(keys.submissionsPrefix);
    expect(DATA.rejections.prefix).toBe(keys.rejectionsPrefix);
    expect(DATA.deliveries.prefix).toBe(keys.deliveriesPrefix);
    expect(DATA.registryVersions.prefix).toBe(keys.registryVersionsPrefix);
    expect(ARCHIVE.reports.prefix).toBe(keys.reportsPrefix);
    expect(ARCHIVE.transmissions.prefix).toBe(keys.transmissionsPrefix);
    expect(ARCHIVE.blobs.prefix).toBe(keys.blobsPrefix);
    expect(Object.values(ARCHIVE).map((p) => p.prefix)).toEqual([...ARCHIVE_PREFIXES]);
  });

  it('covers every key the runtime builds with a prefix the stack grants', () => {
    const version = '3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY';
    const built = {
      submission: keys.submission('2025-Q3', 'riga-integration', version),
      rejection: keys.rejection('riga-integration', version, 'xlsx'),
      ingested: keys.ingested('inbox/riga-integration/Q3.xlsx', version),
      registryVersion: keys.registryVersion(version),
      delivery: keys.delivery('2025-Q3', 1, 'a'.repeat(32)),
      reminder: keys.reminder('2025-Q3', 'riga-integration'),
      receipt: keys.ledgerAttempt(keys.uploadMailSlot('inbox/riga-integration/Q3.xlsx', version), 1),
      plan: keys.plan('2025-Q3', 1),
      report: keys.projectReport('2025-Q3', 1, 'riga-integration', 'pdf'),
      manifest: keys.manifest('2025-Q3', 1),
      transmissionPlan: keys.transmissionPlan('2025-12-31', 1),
      transmission: keys.transmission('2025-12-31', 1, 'en'),
      transmissionManifest: keys.transmissionManifest('2025-12-31', 1),
      transmissionMail: keys.ledgerAttempt(keys.transmissionDeliverySlot('2025-12-31', 1, 'a'.repeat(32)), 1),
    };
    expect(built.submission.startsWith(DATA.submissions.prefix)).toBe(true);
    expect(built.rejection.startsWith(DATA.rejections.prefix)).toBe(true);
    expect(built.ingested.startsWith(DATA.ingested.prefix)).toBe(true);
    expect(built.registryVersion.startsWith(DATA.registryVersions.prefix)).toBe(true);
    expect(built.delivery.startsWith(DATA.deliveries.prefix)).toBe(true);
    expect(built.reminder.startsWith(DATA.deliveries.prefix)).toBe(true);
    expect(built.receipt.startsWith(DATA.deliveries.prefix)).toBe(true);
    expect(built.plan.startsWith(ARCHIVE.reports.prefix)).toBe(true);
    expect(built.report.startsWith(ARCHIVE.reports.prefix)).toBe(true);
    expect(built.manifest.startsWith(ARCHIVE.reports.prefix)).toBe(true);
    for (const key of [built.transmissionPlan, built.transmission, built.transmissionManifest]) {
      expect(key.startsWith(ARCHIVE.transmissions.prefix), key).toBe(true);
    }
    expect(built.transmissionMail.startsWith(DATA.deliveries.prefix)).toBe(true);
  });

  it('triggers ingest for every object under its prefixes, and the runtime answers each of them', () => {
    const names = ['p/a.xlsx', 'p/a.XLSX', 'p/a.Xlsx', 'a.xlsx', 'p/2025/a.xlsx', 'p/a.csv', 'p/a', 'P Q/a.xlsx'];
    for (const prefix of INGEST_TRIGGERS.prefixes) {
      for (const name of names) expect(classifyUpload(`${prefix}${name}`), `${prefix}${name}`).not.toBeNull();
    }
    expect(classifyUpload('inbox/p/a.Xlsx')).toEqual({ kind: 'submission', folder: 'p', file: 'a.Xlsx' });
  });

  it('alarms on metrics the handlers publish, under the namespace they publish to', () => {
    expect(INFRA_NAMESPACE).toBe(METRICS_NAMESPACE);
    const published = new Set<string>(Object.values(METRIC));
    for (const metric of Object.values(ALARMED_METRICS)) expect(published.has(metric.name), metric.name).toBe(true);
  });
});
