/** Findings reports (issue 6): key images rendered from the volume and label map, HTML and PDF. */
export { sliceAxes, type SliceAxes } from './slice-plane.ts';
export { renderSlice, type RenderSliceOptions, type RenderedSlice } from './slice-render.ts';
export type { RgbaImage } from './bitmap-font.ts';
export { encodePng, base64 } from './png.ts';
export { renderKeyImages, type RenderKeyImagesOptions, type ReportKeyImage } from './key-images.ts';
export { buildFindingsReport, DISCLAIMER, type BuildFindingsReportOptions, type FindingsReport, type FindingRow, type LevelRow, type ReportHeaderInput } from './report-model.ts';
export { renderReportHtml } from './report-html.ts';
export { renderReportPdf, winAnsi } from './report-pdf.ts';
export { findingsMeasurementGroups } from './sr-groups.ts';
