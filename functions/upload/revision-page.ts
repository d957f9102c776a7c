/**
 * The revision page (issue 18): one period and revision of the archive for an auditor or manager, in Latvian and
 * English side by side. Plain HTML and the drop page's stylesheet, served by the endpoint itself: no script, no
 * framework, nothing fetched from elsewhere. Every table has a caption and header cells with a scope; each language
 * is marked with `lang`, so screen readers pronounce it. Sizes and hashes are the manifest's, printed as given.
 */
import type { DownloadRefusal, ListedFile, RevisionView } from '../app/download-endpoint';
import { formatNumber } from '../core/format';
import type { Bilingual } from '../core/types';
import { alertBox, both, esc, htmlPage } from './html';

/** Extra rules for the revision page on top of the drop page's stylesheet. */
export const REVISION_PAGE_CSS = `
code, .hash { font-family: Consolas, "Courier New", monospace; font-size: .85rem; }
.hash { word-break: break-all; }
td.num { text-align: right; white-space: nowrap; }
caption { text-align: left; font-weight: 600; padding: .25rem 0; }
pre { background: #fff; border: 1px solid #c9d1d9; padding: .75rem; overflow-x: auto; white-space: pre-wrap; }
main { max-width: 72rem; }
`;

const th = (b: Bilingual, scope: 'col' | 'row' = 'col') => `<th scope="${scope}">${both(b)}</th>`;

function page(title: Bilingual, body: string): string {
  return htmlPage({ title, stylesheets: ['assets/drop.css', 'assets/revision.css'], main: body });
}

/** Why a download or revision link opens nothing: a page that says so, and whom to ask. */
export function renderLinkRefusalPage(refusal: DownloadRefusal): string {
  return page({ lv: 'PMIF pārskatu arhīvs', en: 'PMIF report archive' }, alertBox(refusal.message));
}

function sizeCell(bytes: number): string {
  return `<td class="num" data-bytes="${bytes}">${esc(formatNumber(bytes, 'en'))}</td>`;
}

function fileRows(files: ListedFile[]): string {
  return files
    .map((f) => {
      const link = f.href
        ? `<a href="${esc(f.href)}">${both({ lv: 'Lejupielādēt', en: 'Download' })}<span class="sr-only"> ${esc(f.name)}</span></a>`
        : '';
      return `<tr data-key="${esc(f.key)}"><th scope="row"><code>${esc(f.name)}</code></th>${sizeCell(f.bytes)}<td class="hash" data-sha256="${esc(f.sha256)}">${esc(f.sha256)}</td><td>${link}</td></tr>`;
    })
    .join('\n');
}

function filesTable(id: string, caption: Bilingual, files: ListedFile[]): string {
  return `<table id="${id}">
<caption>${both(caption)}</caption>
<thead><tr>${th({ lv: 'Datne', en: 'File' })}${th({ lv: 'Izmērs, baiti', en: 'Size, bytes' })}${th({ lv: 'SHA-256', en: 'SHA-256' })}${th({ lv: 'Saite', en: 'Link' })}</tr></thead>
<tbody>
${fileRows(files)}
</tbody>
</table>`;
}

function sourcesTable(view: RevisionView): string {
  const rows = [
    { ...view.registry, what: { lv: 'Reģistrs', en: 'Registry' } },
    ...view.sources.map((s) => ({ ...s, what: { lv: 'Iesniegums', en: 'Submission' } })),
  ]
    .map(
      (s) =>
        `<tr><th scope="row"><code>${esc(s.key)}</code></th><td>${both(s.what)}</td><td><code>${esc(s.version)}</code></td><td class="hash" data-sha256="${esc(s.sha256)}">${esc(s.sha256)}</td></tr>`,
    )
    .join('\n');
  return `<table id="sources">
<caption>${both({ lv: 'Avoti, no kuriem pārskati veidoti', en: 'Sources the reports were built from' })}</caption>
<thead><tr>${th({ lv: 'Atslēga', en: 'Key' })}${th({ lv: 'Veids', en: 'Kind' })}${th({ lv: 'Versija', en: 'Version' })}${th({ lv: 'SHA-256', en: 'SHA-256' })}</tr></thead>
<tbody>
${rows}
</tbody>
</table>`;
}

function changeValue(figure: string, value: number): string {
  return figure === 'finance' ? formatNumber(value, 'en', 2, 2) : formatNumber(value, 'en', 0, 2);
}

function changesSection(view: RevisionView): string {
  const notes = view.notes.map((n) => `<p>${both(n)}</p>`).join('\n');
  const reason = view.reason
    ? `<p>${both({ lv: 'Atkārtotas izdošanas iemesls', en: 'Reason for re-issue' })}: ${esc(view.reason)}</p>`
    : '';
  if (view.changes === null) {
    return `<p id="changes">${both({ lv: 'Pirmā redakcija: nav iepriekšējās, ar ko salīdzināt.', en: 'First revision: there is no previous one to compare with.' })}</p>${notes}${reason}`;
  }
  const previous = `r${view.revision - 1}`;
  if (view.changes.length === 0) {
    return `${notes}${reason}<p id="changes">${both({ lv: `Neviens rādītājs nav mainījies kopš ${previous}.`, en: `No figure changed since ${previous}.` })}</p>`;
  }
  const rows = view.changes
    .map(
      (c) =>
        `<tr><th scope="row">${esc(c.projectId)}</th><td><code>${esc(c.figure)}</code></td><td class="num">${esc(changeValue(c.figure, c.old))}</td><td class="num"><strong>${esc(changeValue(c.figure, c.new))}</strong></td></tr>`,
    )
    .join('\n');
  return `${notes}${reason}<table id="changes">
<caption>${both({ lv: `Izmaiņas kopš ${previous} (kumulatīvās vērtības; finanses EUR)`, en: `Changes since ${previous} (cumulative values; finance in EUR)` })}</caption>
<thead><tr>${th({ lv: 'Projekts', en: 'Project' })}${th({ lv: 'Rādītājs', en: 'Figure' })}${th({ lv: 'Bija', en: 'Was' })}${th({ lv: 'Ir', en: 'Now' })}</tr></thead>
<tbody>
${rows}
</tbody>
</table>`;
}

/** The exact command an auditor runs, with the manifest's SHA-256 from this page as the fixed point. */
export function verifyCommand(view: Pick<RevisionView, 'period' | 'revision' | 'manifest'>): string {
  return `pmif-reports archive verify ${view.period} --revision ${view.revision} --manifest-sha256 ${view.manifest.sha256}`;
}

function verifySection(view: RevisionView): string {
  return `<ol>
<li>${both({ lv: 'Lejupielādējiet failus un salīdziniet to SHA-256 ar šeit norādītajām (piem., sha256sum).', en: 'Download the files and compare their SHA-256 with the ones listed here (e.g. sha256sum).' })}</li>
<li>${both({ lv: 'Pārbaudiet visu redakciju: komanda atkārtoti nolasa avotus pēc versijas, pārbauda to jaucējvērtības, no jauna izveido pārskatus un manifestu un salīdzina baitu pa baitam.', en: 'Verify the whole revision: the command re-reads every source by version, checks its hash, re-renders the reports and the manifest and compares them byte for byte.' })}
<pre><code id="verify-command">${esc(verifyCommand(view))} --store &lt;mape/folder&gt;
${esc(verifyCommand(view))} --bucket &lt;data&gt; --archive-bucket &lt;archive&gt;</code></pre></li>
</ol>`;
}

/** The whole revision page. */
export function renderRevisionPage(view: RevisionView): string {
  const title = {
    lv: `PMIF pārskati ${view.period}, redakcija r${view.revision}`,
    en: `PMIF reports ${view.period}, revision r${view.revision}`,
  };
  const body = `<section class="card" aria-labelledby="about">
<h2 id="about">${both({ lv: 'Redakcija', en: 'Revision' })}</h2>
<dl>
<dt>${both({ lv: 'Periods', en: 'Period' })}</dt><dd id="period">${esc(view.period)}</dd>
<dt>${both({ lv: 'Redakcija', en: 'Revision' })}</dt><dd id="revision">r${view.revision}</dd>
<dt>${both({ lv: 'Izveidots (UTC)', en: 'Generated (UTC)' })}</dt><dd><time datetime="${esc(view.generatedAt)}">${esc(view.generatedAt)}</time></dd>
<dt>${both({ lv: 'Koda versija', en: 'Code version' })}</dt><dd><code>${esc(view.codeVersion)}</code></dd>
<dt>${both({ lv: 'Saite derīga līdz', en: 'Link valid until' })}</dt><dd>${esc(view.expiresAt.slice(0, 10))}</dd>
</dl>
</section>
<section aria-labelledby="outputs-h"><h2 id="outputs-h">${both({ lv: 'Pārskati', en: 'Reports' })}</h2>
${filesTable('outputs', { lv: 'Visi šīs redakcijas pārskati (latviešu un angļu izdevums)', en: 'Every report of this revision (Latvian and English editions)' }, view.outputs)}
</section>
<section aria-labelledby="manifest-h"><h2 id="manifest-h">${both({ lv: 'Manifests', en: 'Manifest' })}</h2>
${filesTable('manifest', { lv: 'Manifests: katra avota un pārskata SHA-256', en: 'The manifest: the SHA-256 of every source and report' }, [view.manifest])}
</section>
<section aria-labelledby="sources-h"><h2 id="sources-h">${both({ lv: 'Avoti', en: 'Sources' })}</h2>
${sourcesTable(view)}
</section>
<section aria-labelledby="changes-h"><h2 id="changes-h">${both({ lv: 'Izmaiņas', en: 'Changes' })}</h2>
${changesSection(view)}
</section>
<section aria-labelledby="verify-h"><h2 id="verify-h">${both({ lv: 'Kā pārbaudīt', en: 'How to verify' })}</h2>
${verifySection(view)}
</section>`;
  return page(title, body);
}
