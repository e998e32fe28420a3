import { KeyholeError } from '../../errors/keyhole-error.ts';
import { resolveOptions } from '../anatomy/options.ts';
import { spineSequence } from '../anatomy/sequence.ts';
import type { CastellviType, HerniationType, HerniationZone, PathologyOption, SpineVariant } from '../anatomy/types.ts';
import { isVertebraName, type Side } from '../vocabulary.ts';
import type { ImagingModality } from './contrast.ts';
import { PATIENT_POSITIONS, type PatientPositionName } from './patient-position.ts';
import { PROTOCOLS, type ProtocolName } from './protocols.ts';

/**
 * The phantom's command-line grammar (`keyhole phantom --modality … --seed … --levels …
 * --variant … --pathology … --position … --protocol …`), turned into typed options.
 * Tokens are separated by `:`; words are case-insensitive except vertebra names (`L4`, `T13`).
 *
 * modality   ct | mr-t1 | mr-t2                                   (default ct)
 * seed       a whole number 0 … 2^32−1                            (default 1)
 * levels     <from>-<to>, e.g. T10-S1, L1-S1, T12-L5              (default T10-S1; S1 = top of the sacrum)
 * variant    none | six-lumbar | four-lumbar | t13
 *            | sacralized-L5:<castellvi>[:left|right]  e.g. sacralized-L5:IIIb
 *            | lumbarized-S1:<castellvi>[:left|right]  e.g. lumbarized-S1:IIa
 *            castellvi = Ia | Ib | IIa | IIb | IIIa | IIIb | IV
 * pathology  (repeatable)
 *            herniation:<disc>:<side>:<zone>:<type>[:<up|down>[:low|high]][:<size>mm]
 *                e.g. herniation:L4-L5:left:subarticular:extrusion:down
 *                     herniation:L5-S1:central:protrusion        (central: no side)
 *                side = left | right; zone = central | subarticular | foraminal | extraforaminal;
 *                type = protrusion | extrusion | sequestration; migration grade default low
 *            stenosis:<disc>:central:<mild|moderate|severe>        e.g. stenosis:L4-L5:central:severe
 *            stenosis:<disc>:foraminal:<left|right>:<1|2|3>      e.g. stenosis:L5-S1:foraminal:right:2
 *            listhesis:<vertebra|disc>:<slip %>                  e.g. listhesis:L4:15 (L4 slips on the vertebra below)
 *            fracture:<vertebra>:<height loss %>[:wedge|crush][:acute]   e.g. fracture:L1:30
 * position   supine | prone | decubitus-left | decubitus-right (or HFS | HFP | HFDL | HFDR)  (default supine)
 * protocol   sagittal | axial-angled | 3d                          (default: 3d for CT, sagittal for MR)
 *
 * Errors are VALIDATION_FAILED naming the field, e.g. `at pathology[0].level: …`. Whether a level
 * exists in the scene (a disc outside the levels, an L6 without six lumbar vertebrae) is checked
 * here too, by the anatomy's own validation, so the CLI fails before any work starts.
 */
export interface PhantomSpecInput {
  readonly modality?: string;
  readonly seed?: string | number;
  readonly levels?: string;
  readonly variant?: string;
  readonly pathology?: readonly string[];
  readonly position?: string;
  readonly protocol?: string;
}

/** What the grammar yields; `generatePhantomStudy` takes these (plus optional imaging settings). */
export interface ParsedPhantomSpec {
  readonly seed: number;
  readonly levels: { readonly from: string; readonly to: string };
  readonly variant: SpineVariant;
  readonly pathology: readonly PathologyOption[];
  readonly modality: ImagingModality;
  readonly protocol: ProtocolName;
  readonly position: PatientPositionName;
}

const MODALITIES: readonly ImagingModality[] = ['ct', 'mr-t1', 'mr-t2'];
const CASTELLVI: readonly CastellviType[] = ['Ia', 'Ib', 'IIa', 'IIb', 'IIIa', 'IIIb', 'IV'];
const ZONES: readonly HerniationZone[] = ['central', 'subarticular', 'foraminal', 'extraforaminal'];
const HERNIATION_TYPES: readonly HerniationType[] = ['protrusion', 'extrusion', 'sequestration'];
const POSITION_ALIASES: Readonly<Record<string, PatientPositionName>> = { hfs: 'supine', hfp: 'prone', hfdl: 'decubitus-left', hfdr: 'decubitus-right' };

function invalid(path: string, message: string, value?: unknown): never {
  throw new KeyholeError('VALIDATION_FAILED', { path, message, ...(value !== undefined ? { details: { value } } : {}) });
}

function oneOf<T extends string>(path: string, value: string, allowed: readonly T[], what: string): T {
  const match = allowed.find((a) => a.toLowerCase() === value.toLowerCase());
  if (match === undefined) invalid(path, `unknown ${what} '${value}'; expected one of ${allowed.join(', ')}`, value);
  return match;
}

function number(path: string, text: string | undefined, min: number, max: number, what: string): number {
  const value = text === undefined ? Number.NaN : Number(text.replace(/(mm|%)$/i, ''));
  if (text === undefined || text.trim() === '' || !Number.isFinite(value) || value < min || value > max) {
    invalid(path, `${what} must be a number from ${min} to ${max}, got '${text ?? ''}'`, text);
  }
  return value;
}

/** Vertebra names as written on the command line: `l4` → `L4`, `sacrum` stays. */
function vertebra(path: string, text: string | undefined): string {
  const name = (text ?? '').trim();
  const canonical = /^[ctls]\d+$/i.test(name) ? name.toUpperCase() : name.toLowerCase();
  if (!isVertebraName(canonical)) invalid(path, `unknown vertebra '${name}'; expected a name such as T12, L4, S1 or sacrum`, name);
  return canonical;
}

function disc(path: string, text: string | undefined): string {
  const parts = (text ?? '').split('-');
  if (parts.length !== 2) invalid(path, `expected a disc such as L4-L5, got '${text ?? ''}'`, text);
  return `${vertebra(path, parts[0])}-${vertebra(path, parts[1])}`;
}

export function parseVariant(text: string | undefined): SpineVariant {
  if (text === undefined || text.trim() === '' || text.toLowerCase() === 'none') return { kind: 'none' };
  const [kind = '', castellvi, side, ...rest] = text.split(':');
  if (rest.length > 0) invalid('variant', `too many parts in '${text}'`, text);
  switch (kind.toLowerCase()) {
    case 'six-lumbar': return { kind: 'six-lumbar' };
    case 'four-lumbar': return { kind: 'four-lumbar' };
    case 't13': return { kind: 'T13' };
    case 'sacralized-l5':
    case 'lumbarized-s1': {
      if (castellvi === undefined) invalid('variant.castellvi', `${kind} needs a Castellvi type, e.g. ${kind}:IIIb`, text);
      const type = oneOf('variant.castellvi', castellvi, CASTELLVI, 'Castellvi type');
      const resolvedKind = kind.toLowerCase() === 'sacralized-l5' ? 'sacralized-L5' : 'lumbarized-S1';
      return side === undefined ? { kind: resolvedKind, castellvi: type } : { kind: resolvedKind, castellvi: type, side: oneOf<Side>('variant.side', side, ['left', 'right'], 'side') };
    }
    default:
      return invalid('variant.kind', `unknown variant '${kind}'; expected none, sacralized-L5:<type>, lumbarized-S1:<type>, six-lumbar, four-lumbar or t13`, text);
  }
}

export function parseLevels(text: string | undefined): { from: string; to: string } {
  if (text === undefined || text.trim() === '') return { from: 'T10', to: 'S1' };
  const parts = text.split('-');
  if (parts.length !== 2) invalid('levels', `expected <from>-<to>, e.g. T10-S1, got '${text}'`, text);
  return { from: vertebra('levels.from', parts[0]), to: vertebra('levels.to', parts[1]) };
}

/** The disc below a vertebra in this variant's spine (`L4` → `L4-L5`, `L5` → `L5-S1`, six lumbar `L5` → `L5-L6`). */
function discBelow(path: string, name: string, variant: SpineVariant): string {
  const found = spineSequence(variant).discs.find((d) => d.upper === name);
  if (found === undefined) invalid(path, `vertebra '${name}' has no disc below it in this spine`, name);
  return found.name;
}

export function parsePathology(text: string, index: number, variant: SpineVariant): PathologyOption {
  const at = `pathology[${index}]`;
  const tokens = text.split(':').map((t) => t.trim());
  const kind = (tokens[0] ?? '').toLowerCase();
  switch (kind) {
    case 'herniation': {
      const level = disc(`${at}.level`, tokens[1]);
      let n = 2;
      let side: Side | undefined;
      const sideToken = (tokens[n] ?? '').toLowerCase();
      if (sideToken === 'left' || sideToken === 'right') {
        side = sideToken;
        n++;
      } else if (sideToken === 'midline') n++;
      const zone = oneOf(`${at}.zone`, tokens[n++] ?? '', ZONES, 'herniation zone');
      const type = oneOf(`${at}.type`, tokens[n++] ?? '', HERNIATION_TYPES, 'herniation type');
      let migration: { direction: 'up' | 'down'; grade: 'low' | 'high' } | undefined;
      let sizeMm: number | undefined;
      for (; n < tokens.length; n++) {
        const token = tokens[n]!.toLowerCase();
        if (token === 'up' || token === 'down') migration = { direction: token, grade: 'low' };
        else if ((token === 'low' || token === 'high') && migration !== undefined) migration = { ...migration, grade: token };
        else if (/^\d+(\.\d+)?(mm)?$/.test(token)) sizeMm = number(`${at}.sizeMm`, token, 3, 20, 'herniation size (mm)');
        else invalid(`${at}`, `unexpected '${tokens[n]!}' in '${text}'; expected up|down, low|high or a size in mm`, text);
      }
      return {
        kind: 'disc-herniation', level, zone, type,
        ...(side !== undefined ? { side } : {}),
        ...(migration !== undefined ? { migration } : {}),
        ...(sizeMm !== undefined ? { sizeMm } : {}),
      };
    }
    case 'stenosis': {
      const level = disc(`${at}.level`, tokens[1]);
      const where = oneOf(`${at}.kind`, tokens[2] ?? '', ['central', 'foraminal'] as const, 'stenosis kind');
      if (where === 'central') {
        return { kind: 'central-stenosis', level, grade: oneOf(`${at}.grade`, tokens[3] ?? '', ['mild', 'moderate', 'severe'] as const, 'stenosis grade') };
      }
      const side = oneOf<Side>(`${at}.side`, tokens[3] ?? '', ['left', 'right'], 'side');
      const grade = number(`${at}.grade`, tokens[4], 1, 3, 'foraminal stenosis grade');
      if (!Number.isInteger(grade)) invalid(`${at}.grade`, `foraminal stenosis grade must be 1, 2 or 3, got '${tokens[4] ?? ''}'`);
      return { kind: 'foraminal-stenosis', level, side, grade: grade as 1 | 2 | 3 };
    }
    case 'listhesis': {
      const target = tokens[1] ?? '';
      const level = target.includes('-') ? disc(`${at}.level`, target) : discBelow(`${at}.level`, vertebra(`${at}.level`, target), variant);
      return { kind: 'spondylolisthesis', level, slipPercent: number(`${at}.slipPercent`, tokens[2], 0, 100, 'slip (%)') };
    }
    case 'fracture': {
      const level = vertebra(`${at}.level`, tokens[1]);
      const heightLossPercent = number(`${at}.heightLossPercent`, tokens[2], 1, 80, 'height loss (%)');
      let shape: 'wedge' | 'crush' | undefined;
      let acute: boolean | undefined;
      for (const token of tokens.slice(3).map((t) => t.toLowerCase())) {
        if (token === 'wedge' || token === 'crush') shape = token;
        else if (token === 'acute') acute = true;
        else if (token === 'chronic') acute = false;
        else invalid(`${at}`, `unexpected '${token}' in '${text}'; expected wedge, crush, acute or chronic`, text);
      }
      return { kind: 'compression-fracture', level, heightLossPercent, ...(shape !== undefined ? { shape } : {}), ...(acute !== undefined ? { acute } : {}) };
    }
    default:
      return invalid(`${at}.kind`, `unknown pathology '${tokens[0] ?? ''}'; expected herniation, stenosis, listhesis or fracture`, text);
  }
}

/** Validates CLI-style strings into typed phantom options; see the grammar above. */
export function parsePhantomSpec(input: PhantomSpecInput): ParsedPhantomSpec {
  const modality = input.modality === undefined ? 'ct' : oneOf('modality', input.modality, MODALITIES, 'modality');
  let seed = 1;
  if (input.seed !== undefined) {
    const text = String(input.seed).trim();
    if (!/^\d+$/.test(text) || Number(text) > 0xffffffff) invalid('seed', `must be a whole number from 0 to 4294967295, got '${text}'`, input.seed);
    seed = Number(text);
  }
  const levels = parseLevels(input.levels);
  const variant = parseVariant(input.variant);
  const pathology = (input.pathology ?? []).map((text, index) => parsePathology(text, index, variant));
  const positionText = input.position?.toLowerCase();
  const position = positionText === undefined ? 'supine' : POSITION_ALIASES[positionText] ?? oneOf('position', positionText, PATIENT_POSITIONS, 'patient position');
  const protocol = input.protocol === undefined ? (modality === 'ct' ? '3d' : 'sagittal') : oneOf('protocol', input.protocol, PROTOCOLS, 'protocol');
  // The anatomy's own validation: levels exist in this variant, pathology levels are in the scene.
  resolveOptions({ seed, levels, variant, pathology });
  return { seed, levels, variant, pathology, modality, protocol, position };
}
