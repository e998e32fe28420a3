/**
 * Checks of the viewer's geometry shared by the e2e tests: the viewer's state, the archive's
 * metadata of the image on screen, and the LPS point under the cursor against Image Position /
 * Orientation (Patient) and Pixel Spacing (PS3.3 C.7.6.2.1.1) — from the archive or from a file.
 */
import { expect } from 'vitest';
import type { Page } from 'playwright-core';
import type { ViewerState } from '../src/viewer/test-state.ts';

/** Image geometry as a file states it (PS3.3 C.7.6.2): what the viewer's LPS readout is checked against. */
export interface FileGeometry {
  readonly ipp: number[];
  readonly iop: number[];
  /** Pixel Spacing: row spacing (between rows), column spacing (between columns), mm. */
  readonly spacing: number[];
  readonly rows: number;
  readonly columns: number;
}

export async function viewerState(page: Page): Promise<ViewerState> {
  return page.evaluate(() => window.__keyhole!.viewer!.state);
}

/** Viewport-element canvas coordinates → page coordinates. */
export async function pagePoint(page: Page, canvas: readonly [number, number]): Promise<{ x: number; y: number }> {
  const box = await page.getByTestId('viewport').boundingBox();
  if (box === null) throw new Error('no viewport on screen');
  return { x: box.x + canvas[0], y: box.y + canvas[1] };
}

/** Image Orientation (Patient) of the image on screen, from the archive's WADO-RS metadata. */
export async function currentOrientation(page: Page, state: ViewerState): Promise<number[]> {
  const metadata = await instanceMetadata(page, state);
  return (metadata['00200037']?.Value ?? []).map(Number);
}

export async function instanceMetadata(page: Page, state: ViewerState): Promise<Record<string, { Value?: unknown[] } | undefined>> {
  const [metadata] = await page.evaluate(async ({ study, series, sop }) => (await fetch(`/dicom-web/studies/${study}/series/${series}/instances/${sop}/metadata`, { headers: { accept: 'application/dicom+json' } })).json() as Promise<Array<Record<string, { Value?: unknown[] }>>>, { study: state.studyUid, series: state.seriesUid, sop: state.sopInstanceUid });
  if (metadata === undefined) throw new Error('no metadata for the image on screen');
  return metadata;
}

export async function archiveGeometry(page: Page): Promise<FileGeometry> {
  const metadata = await instanceMetadata(page, await viewerState(page));
  const [rowSpacing = 1, columnSpacing = 1] = (metadata['00280030']?.Value ?? []).map(Number);
  return {
    ipp: (metadata['00200032']?.Value ?? []).map(Number), iop: (metadata['00200037']?.Value ?? []).map(Number), spacing: [rowSpacing, columnSpacing],
    columns: Number(metadata['00280011']?.Value?.[0]), rows: Number(metadata['00280010']?.Value?.[0]),
  };
}

/**
 * Moves the mouse over pixel centres of the image on screen and checks the LPS readout against
 * Image Position (Patient) + column × Δc × row direction + row × Δr × column direction, computed
 * here from `geometry` (the archive's metadata by default, or the original file's): the viewer's
 * geometry against the standard's formula.
 */
export async function checkCursorLps(page: Page, given?: FileGeometry): Promise<void> {
  const { ipp, iop, spacing, rows, columns } = given ?? (await archiveGeometry(page));
  const [rowSpacing = 1, columnSpacing = 1] = spacing;
  for (const [column, row] of [[Math.floor(columns / 4), Math.floor(rows / 3)], [Math.floor((3 * columns) / 4), Math.floor((2 * rows) / 3)]] as const) {
    const canvas = await page.evaluate(([c, r]) => window.__keyhole!.viewer!.imageToCanvas(c + 0.5, r + 0.5), [column, row] as const);
    const point = await pagePoint(page, canvas);
    await page.mouse.move(point.x, point.y);
    await expect.poll(async () => (await viewerState(page)).cursorLps !== undefined).toBe(true);
    const lps = (await viewerState(page)).cursorLps!;
    const expected = [0, 1, 2].map((a) => ipp[a]! + column * columnSpacing * iop[a]! + row * rowSpacing * iop[a + 3]!);
    // The mouse lands on whole screen pixels: allow the size of one screen pixel in mm (plus rounding).
    const mmPerScreenPixel = (await viewerState(page)).camera!.parallelScale * 2 / (await page.getByTestId('viewport').boundingBox())!.height;
    lps.forEach((v, a) => expect(Math.abs(v - expected[a]!), `axis ${a} at column ${column}, row ${row}`).toBeLessThanOrEqual(mmPerScreenPixel + 0.01));
  }
}
