import { readFile } from 'node:fs/promises';
import dicomParser from 'dicom-parser';
import { createRequire } from 'node:module';

// dcmjs ships no types; only the two calls used here are described.
interface DcmjsReadApi {
  data: {
    DicomMessage: { readFile(buffer: ArrayBuffer): { dict: Record<string, unknown> } };
    DicomMetaDictionary: { naturalizeDataset(dict: Record<string, unknown>): unknown };
  };
}
// Loaded on first use: dcmjs takes ~0.1 s to load, which must not be charged to the other readers.
let dcmjs: DcmjsReadApi | undefined;

/**
 * The peers the issue names for reading: plain dicom-parser and plain dcmjs, each reading every
 * file of an UNCOMPRESSED series and copying its pixels into one volume buffer. No geometry, no
 * checks: the floor a JavaScript reader cannot go below.
 */
export interface BaselineResult {
  readonly files: number;
  readonly bytes: number;
  readonly voxels: number;
}

export async function readWithDicomParser(files: readonly string[]): Promise<BaselineResult> {
  let volume: Int16Array | undefined;
  let bytes = 0;
  for (const [k, file] of files.entries()) {
    const buffer = await readFile(file);
    bytes += buffer.byteLength;
    const dataSet = dicomParser.parseDicom(buffer);
    const element = dataSet.elements['x7fe00010'];
    if (element === undefined) throw new Error(`${file}: no pixel data`);
    const rows = dataSet.uint16('x00280010') ?? 0;
    const columns = dataSet.uint16('x00280011') ?? 0;
    volume ??= new Int16Array(rows * columns * files.length);
    volume.set(new Int16Array(buffer.buffer.slice(buffer.byteOffset + element.dataOffset, buffer.byteOffset + element.dataOffset + rows * columns * 2)), k * rows * columns);
  }
  return { files: files.length, bytes, voxels: volume?.length ?? 0 };
}

export async function readWithDcmjs(files: readonly string[]): Promise<BaselineResult> {
  const api = (dcmjs ??= createRequire(import.meta.url)('dcmjs') as DcmjsReadApi);
  let volume: Int16Array | undefined;
  let bytes = 0;
  for (const [k, file] of files.entries()) {
    const buffer = await readFile(file);
    bytes += buffer.byteLength;
    const message = api.data.DicomMessage.readFile(buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength));
    const dataset = api.data.DicomMetaDictionary.naturalizeDataset(message.dict) as { Rows: number; Columns: number; PixelData: ArrayBuffer[] };
    const frame = dataset.PixelData[0];
    if (frame === undefined) throw new Error(`${file}: no pixel data`);
    volume ??= new Int16Array(dataset.Rows * dataset.Columns * files.length);
    volume.set(new Int16Array(frame, 0, dataset.Rows * dataset.Columns), k * dataset.Rows * dataset.Columns);
  }
  return { files: files.length, bytes, voxels: volume?.length ?? 0 };
}
