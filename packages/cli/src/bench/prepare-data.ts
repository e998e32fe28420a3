import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface BenchSeries {
  readonly name: 'uncompressed' | 'jpeg-ls' | 'jpeg-2000';
  readonly dir: string;
  readonly transferSyntax: string;
}

export interface PrepareOptions {
  /** Cache folder; series are made once and reused. */
  readonly root: string;
  readonly log: (text: string) => void;
}

const keyholeBin = resolve(import.meta.dirname, '../../bin/keyhole.js');

async function mapFiles(source: string, target: string, convert: (input: string, output: string) => Promise<unknown>): Promise<void> {
  const names = (await readdir(source)).filter((n) => !n.startsWith('.')).sort();
  const partial = `${target}.partial`;
  await rm(partial, { recursive: true, force: true });
  await mkdir(partial, { recursive: true });
  let next = 0;
  // Two workers: the machines have two cores.
  await Promise.all([0, 1].map(async () => {
    while (next < names.length) {
      const name = names[next++]!;
      await convert(join(source, name), join(partial, name));
    }
  }));
  await rename(partial, target);
}

/**
 * The benchmark series: a 512×512×300 CT of the phantom (uncompressed explicit little endian,
 * written by Keyhole), and lossless JPEG-LS (DCMTK dcmcjpls) and JPEG 2000 (GDCM gdcmconv --j2k)
 * copies of it made by the peers' own encoders.
 */
export async function prepareBenchSeries(options: PrepareOptions): Promise<BenchSeries[]> {
  const raw = join(options.root, 'ct-512x512x300', 'uncompressed');
  if (!existsSync(raw)) {
    options.log('making the 512×512×300 CT phantom series (once)…');
    const phantom = join(options.root, 'ct-512x512x300', 'phantom');
    await rm(phantom, { recursive: true, force: true });
    await run(process.execPath, [keyholeBin, 'phantom', '-o', phantom, '--modality', 'ct', '--protocol', '3d', '--size', '512,512,300', '--spacing', '0.7,0.7,1', '--seed', '7'], { maxBuffer: 1 << 26 });
    const dicomRoot = join(phantom, 'dicom');
    const [first] = (await readdir(dicomRoot)).sort();
    if (first === undefined) throw new Error(`the phantom wrote no series under ${dicomRoot}`);
    await rename(join(dicomRoot, first), raw);
  }
  const jls = join(options.root, 'ct-512x512x300', 'jpeg-ls');
  if (!existsSync(jls)) {
    options.log('making the JPEG-LS copy with DCMTK dcmcjpls (once)…');
    await mapFiles(raw, jls, (i, o) => run('dcmcjpls', [i, o]));
  }
  const j2k = join(options.root, 'ct-512x512x300', 'jpeg-2000');
  if (!existsSync(j2k)) {
    options.log('making the JPEG 2000 copy with GDCM gdcmconv --j2k (once)…');
    await mapFiles(raw, j2k, (i, o) => run('gdcmconv', ['--j2k', i, o]));
  }
  return [
    { name: 'uncompressed', dir: raw, transferSyntax: '1.2.840.10008.1.2.1' },
    { name: 'jpeg-ls', dir: jls, transferSyntax: '1.2.840.10008.1.2.4.80' },
    { name: 'jpeg-2000', dir: j2k, transferSyntax: '1.2.840.10008.1.2.4.90' },
  ];
}
