import type { Kysely, Selectable } from 'kysely';
import { KeyholeError } from '@keyhole/core';
import type { Database, DicomNodeTable } from '../db/schema.ts';
import { nowIso } from '../db/connect.ts';

export type DicomNode = Selectable<DicomNodeTable>;
export type DicomNodeKind = DicomNodeTable['kind'];

export interface NewDicomNode {
  readonly name: string;
  readonly kind: DicomNodeKind;
  readonly aeTitle: string;
  readonly host?: string;
  readonly port?: number;
  readonly dicomwebUrl?: string;
  readonly dicomwebAuth?: string;
}

/** An AE title allowed to open an association with our SCP, optionally only from one address. */
export interface AllowedCaller {
  readonly aeTitle: string;
  readonly host?: string;
}

/** AE titles are at most 16 characters of the default repertoire, no backslash or control characters (PS3.5 §6.2, VR AE). */
const AE_TITLE = /^[\x20-\x5b\x5d-\x7e]{1,16}$/;

export function isValidAeTitle(aeTitle: string): boolean {
  return AE_TITLE.test(aeTitle) && aeTitle.trim().length > 0;
}

export async function listDicomNodes(db: Kysely<Database>): Promise<DicomNode[]> {
  return db.selectFrom('dicom_node').selectAll().orderBy('name').execute();
}

export async function findDicomNode(db: Kysely<Database>, name: string): Promise<DicomNode | undefined> {
  return db.selectFrom('dicom_node').selectAll().where('name', '=', name).executeTakeFirst();
}

export async function addDicomNode(db: Kysely<Database>, node: NewDicomNode): Promise<DicomNode> {
  if (!isValidAeTitle(node.aeTitle)) throw new KeyholeError('VALIDATION_FAILED', { path: 'body.aeTitle', message: `"${node.aeTitle}" is not an AE title (1–16 printable characters, no backslash)` });
  if (node.kind === 'remote-pacs' && node.port === undefined && (node.dicomwebUrl ?? '') === '') {
    throw new KeyholeError('VALIDATION_FAILED', { path: 'body', message: 'a remote PACS needs a DIMSE port (with host) or a dicomwebUrl' });
  }
  if ((node.dicomwebUrl ?? '') !== '' && !/^https?:\/\//.test(node.dicomwebUrl ?? '')) {
    throw new KeyholeError('VALIDATION_FAILED', { path: 'body.dicomwebUrl', message: 'must start with http:// or https://' });
  }
  if ((await findDicomNode(db, node.name)) !== undefined) {
    throw new KeyholeError('VALIDATION_FAILED', { path: 'body.name', message: `a DICOM node named "${node.name}" already exists` });
  }
  return db
    .insertInto('dicom_node')
    .values({
      name: node.name,
      kind: node.kind,
      ae_title: node.aeTitle,
      host: node.host ?? '',
      port: node.port ?? null,
      dicomweb_url: (node.dicomwebUrl ?? '').replace(/\/+$/, ''),
      dicomweb_auth: node.dicomwebAuth ?? '',
      created_at: nowIso(),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function deleteDicomNode(db: Kysely<Database>, name: string): Promise<boolean> {
  const result = await db.deleteFrom('dicom_node').where('name', '=', name).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** Every configured node may call us: local callers by definition, remote PACSs to deliver C-MOVE results or push. */
export async function allowedCallersFromDatabase(db: Kysely<Database>): Promise<AllowedCaller[]> {
  const rows = await db.selectFrom('dicom_node').select(['ae_title', 'host', 'kind']).execute();
  return rows.map((row) => (row.kind === 'local-caller' && row.host !== '' ? { aeTitle: row.ae_title, host: row.host } : { aeTitle: row.ae_title }));
}

/** Normalises IPv4-mapped IPv6 addresses (::ffff:127.0.0.1) so that a configured 127.0.0.1 matches. */
export function normaliseAddress(address: string): string {
  return address.replace(/^::ffff:/i, '');
}

export function callerAllowed(callers: readonly AllowedCaller[], aeTitle: string, address: string): boolean {
  const from = normaliseAddress(address);
  return callers.some((caller) => caller.aeTitle === aeTitle.trim() && (caller.host === undefined || caller.host === '' || normaliseAddress(caller.host) === from));
}

/** The public view of a node: the DICOMweb credential is never sent back. */
export function nodeView(node: DicomNode): Record<string, unknown> {
  return { name: node.name, kind: node.kind, aeTitle: node.ae_title, host: node.host, port: node.port, dicomwebUrl: node.dicomweb_url, hasDicomwebAuth: node.dicomweb_auth !== '', createdAt: node.created_at };
}
