import { buildSpineScene } from './anatomy/scene.ts';
import { rasterizeScene } from './anatomy/rasterize.ts';
import { generateStudyWith, type PhantomStudy, type PhantomStudyOptions } from './imaging/generate-study.ts';

/**
 * The phantom: Keyhole's test oracle and demo patient. One call builds the anatomy
 * (`anatomy/`), plans the acquisition, forms the CT or MR image (`imaging/`) and writes the
 * DICOM series (`dicom/write/`), with truth labels on the same grid as every image and the
 * landmarks and pathology in `truthJson`. Pure and deterministic: the same options give the
 * same bytes. The CLI (`keyhole phantom`) parses its flags with `parsePhantomSpec`.
 *
 * Example: `generatePhantomStudy({ seed: 42, modality: 'mr-t2', protocol: 'axial-angled',
 * position: 'prone', pathology: [{ kind: 'disc-herniation', level: 'L4-L5', zone: 'subarticular',
 * side: 'left', type: 'extrusion' }] })`.
 */
export function generatePhantomStudy(options: PhantomStudyOptions): PhantomStudy {
  return generateStudyWith({ buildScene: buildSpineScene, rasterize: rasterizeScene }, options);
}

export { parsePhantomSpec, type PhantomSpecInput, type ParsedPhantomSpec } from './imaging/spec.ts';
export type { PhantomStudy, PhantomStudyOptions, PhantomSeries, PhantomTruth } from './imaging/generate-study.ts';
