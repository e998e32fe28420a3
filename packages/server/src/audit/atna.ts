import type { AuditRecord } from './query.ts';

/**
 * DICOM audit messages (PS3.15 Annex A.5 "Audit Trail Message Format Profile", the IHE ATNA
 * profile's schema derived from RFC 3881). One AuditMessage per entry: EventIdentification with a
 * DCM EventID (PS3.16 CID 400 "Audit Event ID"), the requesting ActiveParticipant (user and source
 * address), the AuditSourceIdentification (this archive), and ParticipantObjectIdentification for
 * the patient (RFC 3881 type 1 person / role 1 patient / ID type 2 "Patient Number") and the study
 * (type 2 system object / role 3 report / ID type DCM 110180 "Study Instance UID"), as
 * PS3.15 A.5.3 tables A.5.3.x specify for the events we emit.
 */
interface CodedValue {
  readonly code: string;
  readonly system: 'DCM' | 'RFC-3881';
  readonly meaning: string;
}

export interface AtnaEvent {
  readonly eventId: CodedValue;
  /** C create, R read, U update, D delete, E execute (RFC 3881 §5.1.2). */
  readonly actionCode: 'C' | 'R' | 'U' | 'D' | 'E';
  readonly eventType?: CodedValue;
}

const DCM = (code: string, meaning: string): CodedValue => ({ code, system: 'DCM', meaning });

/** Which DICOM audit event an audit action is (PS3.15 A.5.3.x). */
export function atnaEventFor(action: string): AtnaEvent {
  const a = action.toLowerCase();
  if (a === 'sign-in' || a.startsWith('setup')) return { eventId: DCM('110114', 'User Authentication'), actionCode: 'E', eventType: DCM('110122', 'Login') };
  if (a === 'sign-out') return { eventId: DCM('110114', 'User Authentication'), actionCode: 'E', eventType: DCM('110123', 'Logout') };
  if (a.startsWith('audit')) return { eventId: DCM('110101', 'Audit Log Used'), actionCode: 'R' };
  if (a.startsWith('user.') || a.startsWith('token.')) return { eventId: DCM('110136', 'Security Roles Changed'), actionCode: 'U' };
  if (a.includes('export') || a.includes('deidentif')) return { eventId: DCM('110106', 'Export'), actionCode: 'R' };
  if (a.startsWith('qido') || a.includes('find') || a.includes('query') || a.includes('search')) return { eventId: DCM('110112', 'Query'), actionCode: 'E' };
  if (a.startsWith('stow') || a.includes('store') || a.includes('upload') || a.includes('import') || a.includes('pull') || a.includes('c-move')) return { eventId: DCM('110107', 'Import'), actionCode: 'C' };
  if (a.startsWith('wado') || a.includes('c-get') || a.includes('retrieve')) return { eventId: DCM('110103', 'DICOM Instances Accessed'), actionCode: 'R' };
  // Cases and other patient records (PS3.15 A.5.3.10 "Patient Record"): the action code follows the HTTP method.
  const method = a.split(/[\s.]/)[0] ?? '';
  const actionCode = method === 'post' ? 'C' : method === 'patch' || method === 'put' ? 'U' : method === 'delete' ? 'D' : 'R';
  return { eventId: DCM('110110', 'Patient Record'), actionCode };
}

/** RFC 3881 §5.1.4 EventOutcomeIndicator: 0 success, 4 minor failure (refused), 8 serious failure. */
function outcomeIndicator(outcome: string): '0' | '4' | '8' {
  return outcome === 'success' ? '0' : outcome === 'denied' || outcome === 'partial' ? '4' : '8';
}

export function xmlEscape(text: string): string {
  // Characters XML 1.0 forbids (C0 controls other than tab, LF, CR) are dropped, not escaped.
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

function code(element: string, value: CodedValue): string {
  return `<${element} csd-code="${value.code}" codeSystemName="${value.system}" originalText="${xmlEscape(value.meaning)}"/>`;
}

export interface AtnaOptions {
  /** AuditSourceID: this archive (its AE title). */
  readonly auditSourceId: string;
}

/** One AuditMessage element for an audit entry. */
export function atnaMessage(entry: AuditRecord, options: AtnaOptions): string {
  const event = atnaEventFor(entry.action);
  const lines = [
    '<AuditMessage>',
    `  <EventIdentification EventActionCode="${event.actionCode}" EventDateTime="${xmlEscape(entry.at)}" EventOutcomeIndicator="${outcomeIndicator(entry.outcome)}">`,
    `    ${code('EventID', event.eventId)}`,
    ...(event.eventType !== undefined ? [`    ${code('EventTypeCode', event.eventType)}`] : []),
    `    <EventOutcomeDescription>${xmlEscape(`${entry.outcome}: ${entry.detail}`)}</EventOutcomeDescription>`,
    '  </EventIdentification>',
    `  <ActiveParticipant UserID="${xmlEscape(entry.userName)}" UserIsRequestor="true"${entry.role !== '' ? ` AlternativeUserID="${xmlEscape(entry.role)}"` : ''}${entry.sourceAddress !== '' ? ` NetworkAccessPointID="${xmlEscape(entry.sourceAddress)}" NetworkAccessPointTypeCode="2"` : ''}>`,
    `    ${code('RoleIDCode', DCM('110153', 'Source Role ID'))}`,
    '  </ActiveParticipant>',
    `  <ActiveParticipant UserID="${xmlEscape(entry.resource)}" UserIsRequestor="false">`,
    `    ${code('RoleIDCode', DCM('110152', 'Destination Role ID'))}`,
    '  </ActiveParticipant>',
    `  <AuditSourceIdentification AuditSourceID="${xmlEscape(options.auditSourceId)}">`,
    // RFC 3881 §5.4.3 AuditSourceTypeCode 4: "Application Server process tier in a multi-tier system".
    `    ${code('AuditSourceTypeCode', { code: '4', system: 'RFC-3881', meaning: 'Application Server' })}`,
    '  </AuditSourceIdentification>',
  ];
  if (entry.patientId !== '') {
    lines.push(
      `  <ParticipantObjectIdentification ParticipantObjectID="${xmlEscape(entry.patientId)}" ParticipantObjectTypeCode="1" ParticipantObjectTypeCodeRole="1">`,
      `    ${code('ParticipantObjectIDTypeCode', { code: '2', system: 'RFC-3881', meaning: 'Patient Number' })}`,
      '  </ParticipantObjectIdentification>',
    );
  }
  if (entry.studyUid !== '') {
    lines.push(
      `  <ParticipantObjectIdentification ParticipantObjectID="${xmlEscape(entry.studyUid)}" ParticipantObjectTypeCode="2" ParticipantObjectTypeCodeRole="3">`,
      `    ${code('ParticipantObjectIDTypeCode', DCM('110180', 'Study Instance UID'))}`,
      '  </ParticipantObjectIdentification>',
    );
  }
  lines.push('</AuditMessage>');
  return lines.join('\n');
}

/**
 * A document of audit messages. A syslog transport (RFC 5425) would send each AuditMessage alone;
 * a file needs one root element, so the messages sit in `<AuditMessages>` in log order.
 */
export function atnaDocument(entries: readonly AuditRecord[], options: AtnaOptions): string {
  const body = entries.map((e) => atnaMessage(e, options).replace(/^/gm, '  ')).join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<AuditMessages>\n${body}${body === '' ? '' : '\n'}</AuditMessages>\n`;
}
