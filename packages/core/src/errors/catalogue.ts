/**
 * The error catalogue: every error Keyhole raises has a stable code, a title a
 * user can read, an HTTP status for the server, and a hint that says what to do.
 * `docs/errors.md` documents every code; a test fails when one is missing there.
 *
 * Add codes here (grouped by area); never rename or reuse a code once shipped.
 */
export interface ErrorSpec {
  /** HTTP status the server answers with. */
  readonly status: number;
  /** Short title of the problem. */
  readonly title: string;
  /** What the user can do about it. */
  readonly hint: string;
}

export const ERROR_CATALOGUE = {
  // --- validation -----------------------------------------------------------
  VALIDATION_FAILED: { status: 400, title: 'Invalid input', hint: 'Fix the field named in the message and try again.' },
  INVALID_ARGUMENT: { status: 400, title: 'Invalid argument', hint: 'Check the value named in the message against the command help.' },

  // --- geometry -------------------------------------------------------------
  GEOMETRY_INVALID: { status: 422, title: 'Invalid volume geometry', hint: 'The image position, orientation or spacing is inconsistent; the data cannot be placed in patient space safely.' },
  GEOMETRY_MISMATCH: { status: 422, title: 'Grids do not match', hint: 'The two images do not share the same voxel grid; resample one onto the other first.' },

  // --- files and containers -------------------------------------------------
  FILE_NOT_FOUND: { status: 404, title: 'File or folder not found', hint: 'Check the path.' },
  FILE_UNREADABLE: { status: 422, title: 'File cannot be read', hint: 'Check the file permissions and that it is not a folder or a device.' },
  EMPTY_INPUT: { status: 422, title: 'Nothing to read', hint: 'The folder or archive holds no files; point Keyhole at the images.' },
  ZIP_INVALID: { status: 422, title: 'Invalid zip archive', hint: 'The archive is damaged or not a zip file; create it again.' },
  ZIP_UNSAFE_PATH: { status: 422, title: 'Unsafe path in zip archive', hint: 'An entry tries to escape the archive folder (absolute path or ".."); the entry was refused. Re-create the archive from the images.' },
  ZIP_EXPANSION_LIMIT: { status: 413, title: 'Zip archive expands too far', hint: 'The archive expands beyond the configured size or ratio limit (a possible zip bomb); unpack it yourself if you trust it, or raise the limit.' },

  // --- DICOM ----------------------------------------------------------------
  DICOM_NOT_DICOM: { status: 415, title: 'Not a DICOM file', hint: 'The file has neither a DICOM preamble nor a recognisable data set; remove it from the input.' },
  DICOM_TRUNCATED: { status: 422, title: 'Truncated DICOM file', hint: 'The file ends before its last element; copy or export it again from the source.' },
  DICOM_MALFORMED: { status: 422, title: 'Malformed DICOM file', hint: 'The data set cannot be parsed; export it again from the source.' },
  DICOM_MISSING_PIXEL_DATA: { status: 422, title: 'No pixel data', hint: 'The instance holds no image (for example a report or a presentation state); it is listed but not converted.' },
  DICOM_MISSING_ATTRIBUTE: { status: 422, title: 'Required DICOM attribute missing', hint: 'The named attribute is required to place or decode the image; the instance cannot be used as is.' },
  DICOM_UNSUPPORTED_TRANSFER_SYNTAX: { status: 415, title: 'Unsupported transfer syntax', hint: 'Convert the file to an uncompressed transfer syntax (for example with DCMTK dcmdjpeg or gdcmconv --raw) and try again.' },
  DICOM_UNSUPPORTED_PIXEL_FORMAT: { status: 415, title: 'Unsupported pixel format', hint: 'The photometric interpretation or bit depth is not supported for volumes.' },
  DICOM_DECODE_FAILED: { status: 422, title: 'Pixel data could not be decoded', hint: 'The compressed frame is damaged or does not match its header; export it again from the source.' },
  DICOM_SERIES_INCONSISTENT: { status: 422, title: 'Inconsistent series', hint: 'The slices do not form one volume (different sizes, orientations, or spacing); the message says which slices differ.' },
  DICOM_SERIES_NOT_FOUND: { status: 404, title: 'Series not found', hint: 'Run `keyhole info` to list the series and pick one by number or UID.' },
  DICOM_SLICES_MISSING: { status: 422, title: 'Missing or uneven slices', hint: 'Slices are missing or unevenly spaced; re-export the complete series, or allow resampling if that is acceptable for the use.' },
  DICOM_GANTRY_TILT: { status: 422, title: 'Gantry tilt', hint: 'The series was acquired with a tilted gantry; allow tilt correction (resampling) or use an untilted reconstruction.' },

  // --- NIfTI ----------------------------------------------------------------
  NIFTI_INVALID: { status: 422, title: 'Invalid NIfTI file', hint: 'The header is damaged or not NIfTI-1/NIfTI-2; write the file again.' },
  NIFTI_UNSUPPORTED: { status: 415, title: 'Unsupported NIfTI content', hint: 'The data type or dimensionality is not supported.' },

  // --- server: access and requests --------------------------------------------
  AUTH_REQUIRED: { status: 401, title: 'Sign-in required', hint: 'Sign in, or send a bearer token (`keyhole token create NAME`).' },
  FORBIDDEN: { status: 403, title: 'Not allowed for this role', hint: 'Ask an administrator for a role that allows it; the refusal is in the audit log.' },
  NOT_FOUND: { status: 404, title: 'Not found', hint: 'Check the address or the UID; you may also not be allowed to see it.' },
  NOT_ACCEPTABLE: { status: 406, title: 'Representation not available', hint: 'Ask for one of the media types or transfer syntaxes the message lists (for example Accept: multipart/related; type="application/octet-stream" for frames, image/png or image/jpeg for rendered images).' },
  REQUEST_TOO_LARGE: { status: 413, title: 'Request too large', hint: 'Send the study in several requests, or raise the configured limit.' },
  RATE_LIMITED: { status: 429, title: 'Too many attempts', hint: 'Too many failed sign-ins for this name or address; wait for the time given in Retry-After and try again.' },
  REMOTE_NODE_FAILED: { status: 502, title: 'Remote DICOM node failed', hint: 'The remote PACS could not be reached, refused us, or answered an error (the message says which); check its address, AE titles and that it knows Keyhole (/api/dicom-nodes).' },

  // --- clinical examination and correlation ---------------------------------
  CLINICAL_EXAM_INVALID: { status: 422, title: 'Invalid clinical examination', hint: 'Fix each field named in the message (regions, movements, reflexes, tests and red flags use the words listed in packages/core/src/clinical/README.md; MRC grades are 0–5).' },
  IMAGING_FINDINGS_INVALID: { status: 422, title: 'Invalid imaging findings', hint: 'Fix each field named in the message; the findings format is described in packages/core/src/clinical/README.md.' },
  FINDINGS_NEED_ANATOMY: { status: 422, title: 'No anatomy model for findings', hint: 'Findings are measured on a spine label map: run `keyhole segment` on the study, or pass one with --labels SEG.nii.gz --legend LEGEND.json.' },
  ANATOMY_NOT_READY: { status: 409, title: 'Spine anatomy not ready for this', hint: 'Wait for the anatomy run to finish (GET its status), run it again if it failed, or confirm exactly the numbering it proposes; relabelling is done by importing a corrected label map.' },

  // --- planning -------------------------------------------------------------
  PLAN_TARGET_OUTSIDE_BODY: { status: 422, title: 'Plan target outside the body', hint: 'Pick a target inside the patient (in the disc space or the herniated fragment); the label map shows no tissue there.' },
  PLAN_LEVEL_NOT_IN_MODEL: { status: 422, title: 'Level not in the anatomy model', hint: 'Plan a disc level the label map contains (its legend lists them), or segment a study that covers the level.' },
  PLAN_LEVEL_COUNT_UNCONFIRMED: { status: 422, title: 'Level count not confirmed', hint: 'Confirm the vertebral numbering (count from C2 on whole-spine imaging, or intra-operatively) before planning; then plan again saying the count is confirmed.' },

  // --- internal -------------------------------------------------------------
  INTERNAL: { status: 500, title: 'Internal error', hint: 'This is a bug in Keyhole; please report it with the command you ran.' },
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

export function isErrorCode(code: string): code is ErrorCode {
  return Object.prototype.hasOwnProperty.call(ERROR_CATALOGUE, code);
}
