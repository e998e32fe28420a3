import { Command, CommanderError, Option } from 'commander';
import { EXIT, reportError } from './run-command.ts';

/**
 * The `keyhole` command. Each subcommand lives in its own module under commands/ and is loaded
 * only when used, so `keyhole --help` stays instant.
 */
export async function main(argv: readonly string[]): Promise<number> {
  let exitCode: number = EXIT.ok;
  const program = new Command('keyhole')
    .description('Keyhole: planning and guiding endoscopic spine surgery. Supports decisions; never replaces clinical judgement.')
    .version('0.1.0')
    .exitOverride()
    .configureOutput({ writeErr: (text) => process.stderr.write(text) });

  program
    .command('info')
    .description('list patients, studies, series and volumes in DICOM files, folders, zip archives or NIfTI files')
    .argument('<paths...>', 'files, folders or .zip archives')
    .option('--json', 'machine-readable output')
    .action(async (paths: string[], options: { json?: boolean }) => {
      const { runInfo } = await import('./commands/info.ts');
      exitCode = await runInfo({ paths, json: options.json === true });
    });

  program
    .command('convert')
    .description('convert a DICOM series to NIfTI (default: the largest series); several volumes in one series become a 4D file or suffixed files')
    .argument('<paths...>', 'files, folders or .zip archives')
    .requiredOption('-o, --output <file>', 'output .nii or .nii.gz')
    .option('--series <uid-or-number>', 'series to convert: its Series Instance UID or its number in `keyhole info`')
    .addOption(new Option('--multi <mode>', 'several volumes in one series: one 4D file, or one file per volume').choices(['4d', 'split']).default('4d'))
    .addOption(new Option('--tilt <mode>', 'gantry tilt: resample onto an untilted grid (as dcm2niix does) or refuse').choices(['correct', 'refuse']).default('correct'))
    .addOption(new Option('--uneven <mode>', 'missing or unevenly spaced slices: refuse, or resample onto a uniform grid').choices(['refuse', 'resample']).default('refuse'))
    .option('--json', 'machine-readable output')
    .action(async (paths: string[], options: { output: string; series?: string; multi: '4d' | 'split'; tilt: 'correct' | 'refuse'; uneven: 'refuse' | 'resample'; json?: boolean }) => {
      const { runConvert } = await import('./commands/convert.ts');
      exitCode = await runConvert({ paths, ...options, json: options.json === true });
    });

  program
    .command('phantom')
    .description('write a synthetic spine phantom: a real DICOM series plus truth.nii.gz, truth-legend.json and truth.json')
    .requiredOption('-o, --output <dir>', 'output folder (created; must be empty or absent)')
    .addOption(new Option('--modality <m>', 'imaging modality').choices(['ct', 'mr-t1', 'mr-t2']).default('ct'))
    .option('--seed <n>', 'random seed: same seed, same patient', '1')
    .option('--levels <range>', 'vertebral coverage, e.g. T10-S1 or L1-S1')
    .addOption(new Option('--protocol <p>', 'acquisition: 3D isotropic, sagittal 2D, or axial stacks angled along each disc').choices(['3d', 'sagittal', 'axial-angled']))
    .addOption(new Option('--position <p>', 'patient position').choices(['supine', 'prone', 'decubitus-left', 'decubitus-right']).default('supine'))
    .option('--variant <v>', 'anatomical variant, e.g. sacralized-L5:IIIa, lumbarized-S1:IIa, six-lumbar, four-lumbar, t13')
    .option('--pathology <spec...>', 'pathology, e.g. herniation:L4-L5:left:subarticular:extrusion:down, stenosis:L4-L5:central:severe, listhesis:L4:15, fracture:L1:30')
    .option('--size <i,j,k>', 'grid size override, e.g. 512,512,300 (benchmarks)')
    .option('--spacing <i,j,k>', 'voxel spacing override in mm along i, j, k, e.g. 0.7,0.7,1 (non-square pixels allowed)')
    .option('--json', 'machine-readable output')
    .action(async (options: PhantomCliOptions) => {
      const { runPhantom } = await import('./commands/phantom.ts');
      exitCode = await runPhantom({ ...options, json: options.json === true });
    });

  program
    .command('analyze')
    .description('measurements and graded findings per level (herniation, stenosis, slip, lordosis, fractures, bone density) from a spine label map on the study\'s grid')
    .argument('<input...>', 'the study: DICOM file, folder or .zip archive, or a NIfTI file (taken as HU)')
    .option('--labels <file>', 'spine label map on the study grid (keyhole segment, a phantom truth, an imported TotalSegmentator map)')
    .option('--legend <file>', 'its legend JSON ({"labels":[{"value":…,"name":…}]} or {"value":"name"})')
    .option('--series <uid-or-number>', 'DICOM series to use (default: the largest)')
    .option('--report <file>', 'write the whole result (per-level measurements, key images) as JSON')
    .option('--json', 'print the imaging findings JSON that keyhole correlate --findings reads')
    .action(async (paths: string[], options: { labels?: string; legend?: string; series?: string; report?: string; json?: boolean }) => {
      const { runAnalyze } = await import('./commands/analyze.ts');
      exitCode = await runAnalyze({
        paths, json: options.json === true,
        ...(options.labels !== undefined ? { labels: options.labels } : {}), ...(options.legend !== undefined ? { legend: options.legend } : {}),
        ...(options.series !== undefined ? { series: options.series } : {}), ...(options.report !== undefined ? { report: options.report } : {}),
      });
    });

  program
    .command('report')
    .description('findings report as PDF (and HTML): header, graded findings per level with sources, correlation with an examination, disclaimer and uncertainties on every page, key images from the volume and label map')
    .requiredOption('--volume <input...>', 'the image: DICOM file(s), folder or .zip, or a NIfTI file (taken as HU)')
    .option('--labels <file>', 'spine label map (NIfTI) on the study grid')
    .option('--legend <file>', 'its legend JSON')
    .option('--exam <file>', 'examination JSON: adds the correlation summary')
    .requiredOption('-o, --output <file>', 'PDF to write')
    .option('--html <file>', 'also write the report as HTML')
    .option('--series <uid-or-number>', 'DICOM series to use (default: the largest)')
    .option('--deidentify', 'leave out name, patient ID, birth date and accession number')
    .option('--sr <file>', 'also write the findings as a DICOM SR (TID 1500 measurement report); needs a DICOM study')
    .option('--seg <file>', 'also write the label map as a DICOM SEG; needs a DICOM study')
    .option('--json', 'machine-readable summary')
    .action(async (options: { volume: string[]; labels?: string; legend?: string; exam?: string; output: string; html?: string; series?: string; sr?: string; seg?: string; deidentify?: boolean; json?: boolean }) => {
      const { runReport } = await import('./commands/report.ts');
      exitCode = await runReport({
        volume: options.volume, output: options.output, deidentify: options.deidentify === true, json: options.json === true,
        ...(options.labels !== undefined ? { labels: options.labels } : {}), ...(options.legend !== undefined ? { legend: options.legend } : {}),
        ...(options.exam !== undefined ? { exam: options.exam } : {}), ...(options.html !== undefined ? { html: options.html } : {}),
        ...(options.series !== undefined ? { series: options.series } : {}),
        ...(options.sr !== undefined ? { sr: options.sr } : {}), ...(options.seg !== undefined ? { seg: options.seg } : {}),
      });
    });

  program
    .command('correlate')
    .description('MRI–clinical correlation: the examination → implicated roots, candidate level–zone–side, concordance of imaging findings, urgency')
    .requiredOption('--exam <file>', 'examination JSON (vocabulary: packages/core/src/clinical/README.md)')
    .option('--findings <file>', 'imaging findings JSON')
    .option('--json', 'machine-readable output')
    .action(async (options: { exam: string; findings?: string; json?: boolean }) => {
      const { runCorrelate } = await import('./commands/correlate.ts');
      exitCode = await runCorrelate({ exam: options.exam, ...(options.findings !== undefined ? { findings: options.findings } : {}), json: options.json === true });
    });

  const labels = program.command('labels').description('label maps in and out: TotalSegmentator / NIfTI + legend import, DICOM SEG export and import, in Keyhole\'s anatomy vocabulary');
  labels
    .command('import')
    .description('TotalSegmentator output (folder of masks, or multi-label file with its label json) or any NIfTI label map + legend → Keyhole names, NIfTI + legend')
    .argument('<input>', 'TotalSegmentator output folder, or a .nii/.nii.gz label map')
    .requiredOption('-o, --output <file>', 'output label map .nii or .nii.gz')
    .requiredOption('--legend <file>', 'output legend JSON ({"labels":[{"value":…,"name":…}]})')
    .option('--labels <file>', 'label json of a multi-label input (value → name; Keyhole legend or TotalSegmentator form)')
    .option('--reference <paths...>', 'image the labels belong to (NIfTI, or DICOM files/folder/zip): labels are put on its grid')
    .option('--series <uid-or-number>', 'series of a DICOM reference (default: the largest)')
    .option('--json', 'machine-readable output')
    .action(async (input: string, options: { output: string; legend: string; labels?: string; reference?: string[]; series?: string; json?: boolean }) => {
      const { runLabelsImport } = await import('./commands/labels.ts');
      exitCode = await runLabelsImport({ ...options, input, json: options.json === true });
    });
  labels
    .command('to-seg')
    .description('NIfTI label map + legend → DICOM SEG referencing its source DICOM series')
    .argument('<input>', 'label map .nii or .nii.gz')
    .requiredOption('--legend <file>', 'legend JSON of the label map')
    .requiredOption('--reference <paths...>', 'the source DICOM series (files, folder or zip)')
    .requiredOption('-o, --output <file>', 'output DICOM SEG (.dcm)')
    .option('--series <uid-or-number>', 'source series (default: the largest)')
    .option('--algorithm <name>', 'name of the segmentation algorithm (default Keyhole)')
    .option('--manual', 'the segmentation was drawn by a person')
    .option('--json', 'machine-readable output')
    .action(async (input: string, options: { legend: string; reference: string[]; output: string; series?: string; algorithm?: string; manual?: boolean; json?: boolean }) => {
      const { runLabelsToSeg } = await import('./commands/labels.ts');
      exitCode = await runLabelsToSeg({ ...options, input, json: options.json === true });
    });
  labels
    .command('from-seg')
    .description('DICOM SEG (Keyhole\'s or another tool\'s) → NIfTI label map + legend in Keyhole names')
    .argument('<input>', 'DICOM SEG file')
    .requiredOption('-o, --output <file>', 'output label map .nii or .nii.gz')
    .requiredOption('--legend <file>', 'output legend JSON')
    .option('--reference <paths...>', 'image to put the labels on (NIfTI, or DICOM files/folder/zip); default: a grid spanning the SEG frames')
    .option('--series <uid-or-number>', 'series of a DICOM reference (default: the largest)')
    .option('--json', 'machine-readable output')
    .action(async (input: string, options: { output: string; legend: string; reference?: string[]; series?: string; json?: boolean }) => {
      const { runLabelsFromSeg } = await import('./commands/labels.ts');
      exitCode = await runLabelsFromSeg({ ...options, input, json: options.json === true });
    });

  program
    .command('drr')
    .description('simulated fluoroscopy: a DRR (digitally reconstructed radiograph) of a CT for a C-arm view, as PNG marked SIMULATED')
    .argument('<input...>', 'CT as a DICOM file, folder or .zip archive, or a NIfTI file (taken as HU)')
    .requiredOption('-o, --output <file>', 'output .png')
    .option('--view <view>', 'ap, lateral (detector at the patient\'s left), lateral-right, oblique[:degrees] (+ toward the patient\'s left, default 45)', 'ap')
    .option('--cranial <degrees>', 'cranial (+) or caudal (−) tilt of the C-arm', '0')
    .addOption(new Option('--position <p>', 'patient position in theatre (the source is under the table)').choices(['prone', 'supine']).default('prone'))
    .option('--isocentre <x,y,z>', 'point the central ray passes through, LPS mm (default: the plan target, else the volume centre)')
    .option('--plan <file>', 'plan JSON whose entry and target (LPS mm) are drawn as the cannula')
    .option('--series <uid-or-number>', 'DICOM series to use (default: the largest)')
    .option('--sid <mm>', 'source–detector distance (default 1000)')
    .option('--sod <mm>', 'source–isocentre distance (default 600)')
    .option('--detector <mm>', 'detector size, "300" or "width,height" (default 300)')
    .option('--pixels <n>', 'detector pixels, "512" or "columns,rows" (default 512)')
    .addOption(new Option('--polarity <p>', 'bone white (radiograph) or dark (fluoroscopy)').choices(['radiograph', 'fluoroscopy']).default('radiograph'))
    .option('--threads <n>', 'worker threads (default: all cores)')
    .option('--json', 'machine-readable output')
    .action(async (paths: string[], options: Omit<import('./commands/drr.ts').DrrCommandOptions, 'paths' | 'json'> & { json?: boolean }) => {
      const { runDrr } = await import('./commands/drr.ts');
      exitCode = await runDrr({ ...options, paths, json: options.json === true });
    });

  program
    .command('plan')
    .description('surgical plan at one level and side: approach (transforaminal, interlaminar, microdiscectomy, fusion) with the rules that decided it, and the transforaminal cannula path with the largest clearance from roots, dura, vessels, organs and bone')
    .requiredOption('--labels <file>', 'spine label map (NIfTI) in the phantom vocabulary: keyhole segment, a phantom truth, an imported segmentation')
    .requiredOption('--legend <file>', 'its legend JSON')
    .requiredOption('--level <disc>', 'disc level, e.g. L4-L5')
    .requiredOption('--side <side>', 'left or right')
    .option('--volume <ct>', 'the CT (NIfTI in HU, or a DICOM file, folder or zip) for --drr')
    .option('--target <x,y,z>', 'target in LPS mm (default: in the disc space next to the herniated fragment)')
    .option('--findings <file>', 'imaging findings JSON (keyhole analyze --json) for the approach rules')
    .option('--spine <file>', 'spine model JSON (keyhole segment --json MODEL.json): its level count must be verified')
    .option('--count-confirmed', 'the vertebral numbering has been confirmed (whole-spine count from C2 or intra-operatively)')
    .option('--cannula <mm>', 'working cannula outer diameter in mm (default 7)')
    .option('--foraminoplasty', 'allow resection of the superior articular process')
    .option('--json <file>', 'write the plan as JSON (LPS mm)')
    .option('--drr <file>', 'write simulated fluoroscopy (AP and lateral, prone) with the plan and level labels drawn, PNG')
    .action(async (options: import('./commands/plan.ts').PlanCommandOptions) => {
      const { runPlan } = await import('./commands/plan.ts');
      exitCode = await runPlan(options);
    });

  program
    .command('segment')
    .description('vertebrae and discs of a spine CT as a label map in the phantom vocabulary, with the level count, its confidence and cues')
    .argument('<input...>', 'CT as a DICOM file, folder or .zip archive, or a NIfTI file (taken as HU)')
    .requiredOption('-o, --output <file>', 'label map .nii or .nii.gz (on the input grid)')
    .requiredOption('--legend <file>', 'legend JSON {"labels":[{"value":…,"name":…}]}')
    .option('--json <file>', 'write the spine model JSON (landmarks in LPS mm, level count with confidence and cues)')
    .option('--series <uid-or-number>', 'DICOM series to use (default: the largest)')
    .option('--split-s1', 'label the sacrum\'s S1 segment S1 (as TotalSegmentator does)')
    .action(async (paths: string[], options: { output: string; legend: string; json?: string; series?: string; splitS1?: boolean }) => {
      const { runSegment } = await import('./commands/segment.ts');
      exitCode = await runSegment({
        paths, output: options.output, legend: options.legend, splitS1: options.splitS1 === true,
        ...(options.json !== undefined ? { model: options.json } : {}), ...(options.series !== undefined ? { series: options.series } : {}),
      });
    });

  program
    .command('surroundings')
    .description('spine and surroundings of a native CT (body, fat, abdominal wall, paraspinal and psoas muscles, keep-out unions for organs and vessels) as one label map in the phantom vocabulary, for keyhole plan --labels')
    .argument('<input...>', 'CT as a DICOM file, folder or .zip archive, or a NIfTI file (taken as HU)')
    .requiredOption('-o, --output <file>', 'label map .nii or .nii.gz (on the input grid)')
    .requiredOption('--legend <file>', 'legend JSON {"labels":[{"value":…,"name":…}]}')
    .option('--series <uid-or-number>', 'DICOM series to use (default: the largest)')
    .action(async (paths: string[], options: { output: string; legend: string; series?: string }) => {
      const { runSurroundings } = await import('./commands/surroundings.ts');
      exitCode = await runSurroundings({ paths, output: options.output, legend: options.legend, ...(options.series !== undefined ? { series: options.series } : {}) });
    });

  program
    .command('demo')
    .description('write the synthetic demo patient (CT and sagittal MR phantom) as files under ./keyhole-demo and show what Keyhole reads from it (npm start serves it as a demo case instead)')
    .option('-o, --output <dir>', 'output folder', 'keyhole-demo')
    .action(async (options: { output: string }) => {
      const { runDemo } = await import('./commands/demo.ts');
      exitCode = await runDemo({ output: options.output });
    });

  const user = program.command('user').description('manage the archive\'s user accounts directly in its data folder (no server needed)');
  user
    .command('add')
    .description('add a user; --password-stdin reads the password from standard input (at least 12 characters)')
    .argument('<name>', 'user name')
    .requiredOption('--role <role>', 'admin, surgeon, radiologist, resident or viewer')
    .requiredOption('--data <dir>', 'the server\'s data folder')
    .option('--password-stdin', 'read the password from standard input (a pipe, not a terminal)')
    .option('--json', 'machine-readable output')
    .action(async (name: string, options: { role: string; data: string; passwordStdin?: boolean; json?: boolean }) => {
      const { runUserAdd } = await import('./commands/user.ts');
      exitCode = await runUserAdd({ name, role: options.role, dataDir: options.data, passwordStdin: options.passwordStdin === true, json: options.json === true });
    });
  user
    .command('list')
    .description('list user accounts')
    .requiredOption('--data <dir>', 'the server\'s data folder')
    .option('--json', 'machine-readable output')
    .action(async (options: { data: string; json?: boolean }) => {
      const { runUserList } = await import('./commands/user.ts');
      exitCode = await runUserList({ dataDir: options.data, json: options.json === true });
    });

  program
    .command('token')
    .description('bearer tokens for scripts and DICOMweb clients')
    .command('create')
    .description('create a bearer token for a user and print it (shown once)')
    .argument('<name>', 'user name')
    .requiredOption('--data <dir>', 'the server\'s data folder')
    .option('--label <label>', 'what the token is for, e.g. slicer')
    .option('--json', 'machine-readable output')
    .action(async (name: string, options: { data: string; label?: string; json?: boolean }) => {
      const { runTokenCreate } = await import('./commands/token.ts');
      exitCode = await runTokenCreate({ name, dataDir: options.data, ...(options.label !== undefined ? { label: options.label } : {}), json: options.json === true });
    });

  program
    .command('serve')
    .description('start the archive: DICOMweb and the API over HTTP, DIMSE (C-ECHO, C-STORE, C-FIND); DATABASE_URL=postgres://… selects PostgreSQL')
    .option('--data <dir>', 'data folder (embedded database and file store)', 'keyhole-data')
    .option('--port <n>', 'HTTP port', '8080')
    .option('--host <address>', 'address to listen on', '127.0.0.1')
    .option('--dicom-port <n>', 'DIMSE port (-1 disables DIMSE)', '11112')
    .option('--ae-title <aet>', 'our DICOM AE title', 'KEYHOLE')
    .option('--demo', 'add the synthetic demo case (a phantom, not a patient) even if the archive holds patient data (default: only into an archive without patients)')
    .option('--no-demo', 'never add the synthetic demo case')
    .action(async (options: { data: string; port: string; host: string; dicomPort: string; aeTitle: string; demo?: boolean }) => {
      const { runServe } = await import('./commands/serve.ts');
      const databaseUrl = process.env['DATABASE_URL'];
      const demo = options.demo === undefined ? 'if-empty' : options.demo ? 'always' : 'never';
      exitCode = await runServe({ dataDir: options.data, port: Number(options.port), host: options.host, dicomPort: Number(options.dicomPort), aeTitle: options.aeTitle, demo, ...(databaseUrl !== undefined ? { databaseUrl } : {}) });
    });

  const json = jsonOutputRequested(program, argv);
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    return reportError(error, json);
  }
  return exitCode;
}

/**
 * Whether errors go out as JSON: `--json` is the machine-readable switch of most commands, but
 * `keyhole segment … --json MODEL.json` names a file (issue 5's syntax). A command whose own `--json`
 * takes a value keeps it: the flag, and the word after it, do not switch the error output to JSON.
 */
export function jsonOutputRequested(program: Command, argv: readonly string[]): boolean {
  const name = argv.find((a) => !a.startsWith('-'));
  const command = program.commands.find((c) => c.name() === name || c.aliases().includes(name ?? ''));
  const option = command?.options.find((o) => o.long === '--json');
  if (option !== undefined && (option.required || option.optional)) return false;
  return argv.includes('--json');
}

export interface PhantomCliOptions {
  readonly output: string;
  readonly modality: string;
  readonly seed: string;
  readonly levels?: string;
  readonly protocol?: string;
  readonly position: string;
  readonly variant?: string;
  readonly pathology?: string[];
  readonly size?: string;
  readonly spacing?: string;
  readonly json?: boolean;
}
