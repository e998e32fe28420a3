import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { EXIT } from '../run-command.ts';
import { runInfo } from './info.ts';
import { runPhantom } from './phantom.ts';

export interface DemoOptions {
  readonly output: string;
}

/**
 * `keyhole demo`: the demo patient as files. A CT phantom and a sagittal T2 MR phantom of the same
 * patient (same seed) with a left L4-L5 extrusion, then what Keyhole reads back from the DICOM it
 * wrote. (`npm start` now serves the same phantom as a synthetic demo case in the archive:
 * `keyhole serve`, see serve-demo.ts.)
 */
export async function runDemo(options: DemoOptions): Promise<number> {
  process.stdout.write('Keyhole supports clinical decisions; it does not replace clinical judgement.\n\n');
  const pathology = ['herniation:L4-L5:left:subarticular:extrusion:down'];
  for (const [modality, protocol] of [['ct', '3d'], ['mr-t2', 'sagittal']] as const) {
    const output = join(options.output, modality);
    if (existsSync(join(output, 'truth.json'))) {
      process.stdout.write(`${output} already holds a phantom; reading it again.\n`);
      continue;
    }
    const code = await runPhantom({ output, modality, protocol, seed: '42', position: 'supine', pathology, json: false });
    if (code !== EXIT.ok) return code;
  }
  process.stdout.write('\nWhat Keyhole reads from that DICOM:\n');
  const code = await runInfo({ paths: [join(options.output, 'ct', 'dicom'), join(options.output, 'mr-t2', 'dicom')], json: false });
  process.stdout.write(`\nNext: npx keyhole convert ${join(options.output, 'mr-t2', 'dicom')} -o t2.nii.gz   (open it beside ${join(options.output, 'mr-t2', 'truth.nii.gz')} in any NIfTI viewer)\n`);
  return code;
}
