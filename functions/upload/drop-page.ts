/**
 * The drop page (docs/architecture.md §2): one static page in Latvian and English. Plain HTML, CSS and a small script, served by
 * the endpoint itself from these strings, so nothing is downloaded from elsewhere and the Lambda bundle carries it.
 * The server fills in one JSON block (what the link is for, or why it cannot be used); the script does the rest:
 * pick or drop a file, see its name and size, upload with a progress bar, then poll for that upload's verdict.
 *
 * Accessibility: a real <input type="file"> with its label (keyboard and screen readers work as usual), the drop
 * zone is an addition, results are announced through a live region, colours keep a contrast of at least 4.5:1.
 */
import type { LinkView } from '../app/upload-endpoint';
import type { Bilingual } from '../core/types';
import { alertBox, both as bothHtml, esc, htmlPage } from './html';

export const DROP_PAGE_CSS = `
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, "Segoe UI", Arial, sans-serif; color: #1a1a1a; background: #f4f6f8; }
main { max-width: 46rem; margin: 0 auto; padding: 1.5rem 1rem 3rem; }
h1 { font-size: 1.5rem; margin: 0 0 1rem; color: #123a5e; }
h2 { font-size: 1.15rem; margin: 1.5rem 0 .5rem; }
.en { color: #3d4650; }
.card { background: #fff; border: 1px solid #c9d1d9; border-radius: 6px; padding: 1rem 1.25rem; margin: 0 0 1rem; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; margin: 0; }
dt { font-weight: 600; }
dd { margin: 0; }
.drop { border: 2px dashed #50606f; border-radius: 6px; padding: 1.25rem; text-align: center; background: #fafbfc; }
.drop.over { border-color: #1f4e79; background: #e6eef6; }
.drop label { font-weight: 600; display: block; margin-bottom: .5rem; }
input[type=file] { font: inherit; max-width: 100%; }
button, .button { font: inherit; font-weight: 600; color: #fff; background: #1f4e79; border: 0; border-radius: 4px;
  padding: .6rem 1.2rem; cursor: pointer; text-decoration: none; display: inline-block; }
button:disabled { background: #5b6670; cursor: not-allowed; }
button .en, .button .en { color: inherit; }
a { color: #1f4e79; }
:focus-visible { outline: 3px solid #e0a100; outline-offset: 2px; }
progress { width: 100%; height: 1.25rem; margin-top: .75rem; }
.file-info { margin: .75rem 0; min-height: 1.5rem; }
.message { border-left: 6px solid #1f4e79; padding: .75rem 1rem; background: #fff; margin: 1rem 0; }
.message.ok { border-color: #1b5e20; background: #edf7ee; }
.message.bad { border-color: #b71c1c; background: #fdecea; }
table { border-collapse: collapse; width: 100%; background: #fff; font-size: .9rem; }
th, td { border: 1px solid #c9d1d9; padding: .4rem .5rem; text-align: left; vertical-align: top; }
th { background: #eef1f5; }
td.where { font-family: Consolas, "Courier New", monospace; white-space: nowrap; }
.error { color: #b71c1c; font-weight: 600; }
.warning { color: #7a4f00; font-weight: 600; }
.sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
`;

export const DROP_PAGE_SCRIPT = String.raw`
(function () {
  'use strict';
  var state = JSON.parse(document.getElementById('link-state').textContent || '{}');
  if (!state.ok) return;
  var token = new URLSearchParams(location.search).get('t') || '';
  var form = document.getElementById('upload-form');
  var input = document.getElementById('file');
  var zone = document.getElementById('drop-zone');
  var info = document.getElementById('file-info');
  var button = document.getElementById('upload-button');
  var bar = document.getElementById('progress');
  var result = document.getElementById('result');
  var chosen = null;

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    (children || []).forEach(function (c) { node.append(c); });
    return node;
  }
  function both(b) { return [el('span', { lang: 'lv' }, [b.lv]), ' / ', el('span', { lang: 'en', class: 'en' }, [b.en])]; }
  function size(bytes) {
    var mb = bytes / 1000000, kb = bytes / 1000;
    var lv = mb >= 1 ? mb.toFixed(1).replace('.', ',') + ' MB' : Math.max(1, Math.round(kb)) + ' kB';
    var en = mb >= 1 ? mb.toFixed(1) + ' MB' : Math.max(1, Math.round(kb)) + ' kB';
    return { lv: lv, en: en };
  }
  function show(kind, content) {
    result.replaceChildren(el('div', { class: 'message ' + kind }, content));
  }
  function refusal(body) {
    show('bad', [el('p', {}, both(body.message || { lv: 'Neizdevās.', en: 'Something went wrong.' }))]);
  }

  function choose(file) {
    chosen = null;
    button.disabled = true;
    result.replaceChildren();
    if (!file) { info.textContent = ''; return; }
    var s = size(file.size);
    info.replaceChildren(el('strong', {}, [file.name]), ' — ' + s.lv + (s.lv === s.en ? '' : ' / ' + s.en));
    if (!/\.xlsx$/i.test(file.name)) return show('bad', [el('p', {}, both(state.messages['not-xlsx']))]);
    if (file.size > state.maxBytes) return show('bad', [el('p', {}, both(state.messages['too-large']))]);
    if (file.size === 0) return show('bad', [el('p', {}, both(state.messages.empty))]);
    chosen = file;
    button.disabled = false;
  }

  input.addEventListener('change', function () { choose(input.files && input.files[0]); });
  ['dragenter', 'dragover'].forEach(function (type) {
    zone.addEventListener(type, function (e) { e.preventDefault(); zone.classList.add('over'); });
  });
  ['dragleave', 'drop'].forEach(function (type) {
    zone.addEventListener(type, function () { zone.classList.remove('over'); });
  });
  zone.addEventListener('drop', function (e) {
    e.preventDefault();
    var files = e.dataTransfer && e.dataTransfer.files;
    if (files && files[0]) choose(files[0]);
  });

  form.addEventListener('submit', function (e) {
    e.preventDefault();
    if (!chosen) return;
    var file = chosen;
    button.disabled = true;
    input.disabled = true;
    show('', [el('p', {}, both({ lv: 'Augšupielādē…', en: 'Uploading…' }))]);
    fetch('api/uploads?t=' + encodeURIComponent(token), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: file.name, size: file.size })
    }).then(function (r) { return r.json(); }).then(function (permit) {
      if (!permit.ok) { input.disabled = false; return refusal(permit); }
      send(file, permit);
    }).catch(function () { input.disabled = false; refusal({}); });
  });

  function send(file, permit) {
    var data = new FormData();
    Object.keys(permit.post.fields).forEach(function (k) { data.append(k, permit.post.fields[k]); });
    data.append('file', file);
    var xhr = new XMLHttpRequest();
    bar.hidden = false;
    bar.value = 0;
    xhr.upload.addEventListener('progress', function (e) {
      if (e.lengthComputable) bar.value = Math.round((100 * e.loaded) / e.total);
    });
    xhr.addEventListener('load', function () {
      input.disabled = false;
      if (xhr.status >= 200 && xhr.status < 300) {
        bar.value = 100;
        show('', [el('p', {}, both({ lv: 'Datne saņemta. Notiek pārbaude…', en: 'File received. Checking…' }))]);
        poll(permit.verdictToken, 0);
      } else {
        refusal({ message: { lv: 'Augšupielāde atteikta (' + xhr.status + ').', en: 'The upload was refused (' + xhr.status + ').' } });
      }
    });
    xhr.addEventListener('error', function () { input.disabled = false; refusal({}); });
    xhr.open('POST', permit.post.url);
    xhr.send(data);
  }

  function poll(verdictToken, attempt) {
    fetch('api/verdict?v=' + encodeURIComponent(verdictToken)).then(function (r) { return r.json(); }).then(function (v) {
      if (!v.ok) return refusal(v);
      if (v.status === 'waiting') {
        if (attempt > 300) return show('bad', [el('p', {}, both({ lv: 'Atbilde vēl nav gatava; tā tiks nosūtīta e-pastā.', en: 'No answer yet; it will be sent by e-mail.' }))]);
        return setTimeout(function () { poll(verdictToken, attempt + 1); }, attempt < 10 ? 500 : 2000);
      }
      render(v, verdictToken);
    }).catch(function () { setTimeout(function () { poll(verdictToken, attempt + 1); }, 2000); });
  }

  function issueTable(issues) {
    var head = el('tr', {}, [el('th', { scope: 'col' }, ['Vieta / Place']), el('th', { scope: 'col' }, ['Veids / Kind']),
      el('th', { scope: 'col', lang: 'lv' }, ['Ziņojums']), el('th', { scope: 'col', lang: 'en' }, ['Message']),
      el('th', { scope: 'col' }, ['Konstatēts / Found']), el('th', { scope: 'col' }, ['Jābūt / Expected'])]);
    var rows = issues.map(function (i) {
      var kind = i.severity === 'error' ? 'Kļūda / Error' : 'Brīdinājums / Warning';
      return el('tr', { 'data-severity': i.severity }, [el('td', { class: 'where' }, [i.location]),
        el('td', { class: i.severity }, [kind]), el('td', { lang: 'lv' }, [i.message.lv]),
        el('td', { lang: 'en' }, [i.message.en]), el('td', {}, [i.found || '']), el('td', {}, [i.expected || ''])]);
    });
    return el('table', { id: 'issues' }, [el('thead', {}, [head]), el('tbody', {}, rows)]);
  }

  function render(v, verdictToken) {
    if (v.status === 'accepted') {
      var parts = [el('p', { id: 'verdict', 'data-status': 'accepted' }, both({ lv: 'Pieņemts', en: 'Accepted' })),
        el('p', {}, both({ lv: 'Periods ' + v.period + (v.deadline ? ', termiņš ' + v.deadline : '') + '.',
          en: 'Period ' + v.period + (v.deadline ? ', deadline ' + v.deadline : '') + '.' }))];
      if (v.warnings.length > 0) parts.push(el('h2', {}, both({ lv: 'Brīdinājumi', en: 'Warnings' })), issueTable(v.warnings));
      return show('ok', parts);
    }
    var heading = v.status === 'rejected' ? { lv: 'Noraidīts', en: 'Rejected' } : { lv: 'Aizturēts', en: 'Held' };
    var content = [el('p', { id: 'verdict', 'data-status': v.status }, both(heading)),
      el('p', {}, both({ lv: 'Izlabojiet tālāk minēto un augšupielādējiet vēlreiz.', en: 'Correct the issues below and upload again.' }))];
    if (v.annotated) {
      content.push(el('p', {}, [el('a', { href: 'api/annotated?v=' + encodeURIComponent(verdictToken), id: 'annotated' },
        both({ lv: 'Jūsu darbgrāmata ar atzīmētām kļūdām', en: 'Your workbook with the issues marked' }))]));
    }
    content.push(issueTable(v.issues));
    show('bad', content);
  }
})();
`;

const both = (lv: string, en: string) => bothHtml({ lv, en });

/** What the server knows when it sends the page: the link's view, or why it cannot be used. */
export type DropPageState =
  | (LinkView & { templateHref: string; messages: Record<string, Bilingual> })
  | { ok: false; message: Bilingual };

/** JSON inside a <script> element: `<` escaped so no value can close the element. */
function stateJson(state: DropPageState): string {
  return JSON.stringify(state).replace(/</g, '\\u003c');
}

function linkBody(s: Extract<DropPageState, { ok: true }>): string {
  const until = s.expiresAt.slice(0, 10);
  return `
<section class="card" aria-labelledby="what">
  <h2 id="what">${both('Kam šī saite', 'What this link is for')}</h2>
  <dl>
    <dt>${both('Projekts', 'Project')}</dt><dd id="project">${esc(s.project)} — ${esc(s.projectTitle)}</dd>
    <dt>${both('Periods', 'Period')}</dt><dd id="period">${esc(s.period)}</dd>
    <dt>${both('Iesniegšanas termiņš', 'Submission deadline')}</dt><dd>${esc(s.deadline)}</dd>
    <dt>${both('Saite derīga līdz', 'Link valid until')}</dt><dd>${esc(until)}</dd>
  </dl>
  <p><a id="template" href="${esc(s.templateHref)}">${both('Lejupielādēt tukšu veidni (projekts un periods jau ierakstīti)', 'Download the blank template (project and period filled in)')}</a></p>
</section>
<form id="upload-form" class="card" novalidate>
  <h2>${both('Augšupielādēt darbgrāmatu', 'Upload the workbook')}</h2>
  <div id="drop-zone" class="drop">
    <label for="file">${both('Izvēlieties .xlsx failu vai ievelciet to šeit', 'Choose an .xlsx file or drop it here')}</label>
    <input type="file" id="file" name="file" accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" aria-describedby="limits">
    <p id="limits">${both('Tikai .xlsx, līdz 10 MB.', 'Only .xlsx, up to 10 MB.')}</p>
  </div>
  <p id="file-info" class="file-info" aria-live="polite"></p>
  <button type="submit" id="upload-button" disabled>${both('Augšupielādēt', 'Upload')}</button>
  <progress id="progress" max="100" value="0" hidden aria-label="Augšupielādes gaita / Upload progress"></progress>
</form>`;
}

/** The whole page: the link's details and the form, or a plain explanation why the link cannot be used. */
export function renderDropPage(state: DropPageState): string {
  return htmlPage({
    title: { lv: 'PMIF — augšupielāde', en: 'upload' },
    heading: both('PMIF pārskata darbgrāmatas augšupielāde', 'PMIF report workbook upload'),
    stylesheets: ['assets/drop.css'],
    main: `${state.ok ? linkBody(state) : alertBox(state.message)}
<section id="result" role="status" aria-live="polite"></section>`,
    scripts: [
      `<script id="link-state" type="application/json">${stateJson(state)}</script>`,
      '<script src="assets/drop.js"></script>',
    ],
  });
}
