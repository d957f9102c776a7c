/**
 * The report renderers, in one module that `generate.ts` loads on first use. They pull in pdfkit (with fontkit's
 * Unicode and Brotli tables) and exceljs, most of the generate bundle's start-up, which the plan step and every
 * quiet daily corrections run never need; the render and finish steps pay it on their first report instead.
 */
export { renderProgrammePdf } from '../pdf/render-programme-pdf';
export { renderProjectPdf } from '../pdf/render-project-pdf';
export { renderProgrammeXlsx, renderProjectXlsx } from '../workbooks/write-report-xlsx';
