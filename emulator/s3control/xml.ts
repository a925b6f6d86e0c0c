/**
 * A small XML reader/writer for the S3 Control REST-XML protocol (no XML library in the project).
 * The reader is tolerant (prolog, comments, CDATA, namespaces and attributes are accepted and ignored);
 * the writer emits what the AWS SDK's deserializer reads: lists as `<member>` elements and maps as
 * `<entry><key/><value/></entry>` (S3 Control's non-flattened shapes, see @aws-sdk/client-s3-control schemas).
 */

export interface XmlElement {
  name: string;
  children: XmlElement[];
  text: string;
}

export const S3CONTROL_XMLNS = 'http://awss3control.amazonaws.com/doc/2018-08-20/';

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);/g, (whole, ref: string) => {
    if (ref.startsWith('#x')) return String.fromCodePoint(Number.parseInt(ref.slice(2), 16));
    if (ref.startsWith('#')) return String.fromCodePoint(Number.parseInt(ref.slice(1), 10));
    return ENTITIES[ref] ?? whole;
  });
}

export function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/\r/g, '&#13;');
}

/** Parses a document and returns its root element; throws Error on malformed input. */
export function parseXml(source: string): XmlElement {
  let pos = 0;
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  const localName = (qualified: string) => qualified.slice(qualified.indexOf(':') + 1);
  const endOf = (marker: string, from: number) => {
    const at = source.indexOf(marker, from);
    if (at === -1) throw new Error(`expected ${marker}`);
    return at;
  };

  while (pos < source.length) {
    const lt = source.indexOf('<', pos);
    const textEnd = lt === -1 ? source.length : lt;
    if (textEnd > pos && stack.length > 0)
      stack[stack.length - 1]!.text += decodeEntities(source.slice(pos, textEnd));
    if (lt === -1) break;
    if (source.startsWith('<?', lt)) {
      pos = endOf('?>', lt) + 2;
    } else if (source.startsWith('<!--', lt)) {
      pos = endOf('-->', lt) + 3;
    } else if (source.startsWith('<![CDATA[', lt)) {
      const end = endOf(']]>', lt);
      if (stack.length > 0) stack[stack.length - 1]!.text += source.slice(lt + 9, end);
      pos = end + 3;
    } else if (source.startsWith('<!', lt)) {
      pos = endOf('>', lt) + 1;
    } else if (source.startsWith('</', lt)) {
      const end = endOf('>', lt);
      const name = localName(source.slice(lt + 2, end).trim());
      const open = stack.pop();
      if (!open || open.name !== name) throw new Error(`unexpected closing tag </${name}>`);
      pos = end + 1;
    } else {
      const end = endOf('>', lt);
      const inner = source.slice(lt + 1, end);
      const selfClosing = inner.endsWith('/');
      const nameMatch = /^\s*([^\s/>]+)/.exec(inner);
      if (!nameMatch) throw new Error('tag without a name');
      const element: XmlElement = { name: localName(nameMatch[1]!), children: [], text: '' };
      if (stack.length > 0) stack[stack.length - 1]!.children.push(element);
      else if (root) throw new Error('more than one root element');
      else root = element;
      if (!selfClosing) stack.push(element);
      pos = end + 1;
    }
  }
  if (!root || stack.length > 0) throw new Error('incomplete XML document');
  return root;
}

export type XmlValue = string | XmlValue[] | { [name: string]: XmlValue };

/**
 * List member element names: `<member>` for most S3 Control lists; MatchAnyObjectEncryption names its members
 * `<ObjectEncryption>` (ObjectEncryptionFilterList in @aws-sdk/client-s3-control's schemas).
 */
const LIST_MEMBER_NAMES: Record<string, string> = { MatchAnyObjectEncryption: 'ObjectEncryption' };
const MEMBER_ELEMENTS = new Set(['member', ...Object.values(LIST_MEMBER_NAMES)]);

/**
 * Turns an element's content into plain data: leaf → string, children that are all list members of one name
 * (`<member>`, `<ObjectEncryption>`) → array, all `<entry>` children → map, otherwise an object keyed by child
 * names (last one wins).
 */
export function xmlToValue(element: XmlElement): XmlValue {
  const { children } = element;
  if (children.length === 0) return element.text;
  const first = children[0]!.name;
  if (MEMBER_ELEMENTS.has(first) && children.every((child) => child.name === first)) {
    return children.map(xmlToValue);
  }
  if (children.every((child) => child.name === 'entry')) {
    const map: Record<string, XmlValue> = {};
    for (const entry of children) {
      const key = entry.children.find((c) => c.name === 'key')?.text ?? '';
      const value = entry.children.find((c) => c.name === 'value');
      map[key] = value ? xmlToValue(value) : '';
    }
    return map;
  }
  const object: Record<string, XmlValue> = {};
  for (const child of children) object[child.name] = xmlToValue(child);
  return object;
}

/** Names whose object value is an S3 Control map (serialized as entries), not a structure. */
const MAP_NAMES = new Set(['UserArguments', 'UserMetadata']);

function valueToXml(name: string, value: unknown): string {
  if (value === undefined || value === null) return '';
  if (value instanceof Date) return `<${name}>${value.toISOString()}</${name}>`;
  if (Array.isArray(value)) {
    const member = LIST_MEMBER_NAMES[name] ?? 'member';
    return `<${name}>${value.map((item) => valueToXml(member, item)).join('')}</${name}>`;
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    if (MAP_NAMES.has(name)) {
      const body = entries
        .map(([k, v]) => `<entry><key>${escapeXml(k)}</key><value>${escapeXml(String(v))}</value></entry>`)
        .join('');
      return `<${name}>${body}</${name}>`;
    }
    if (entries.length === 0) return `<${name}/>`;
    return `<${name}>${entries.map(([k, v]) => valueToXml(k, v)).join('')}</${name}>`;
  }
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

/** A complete response document `<Root xmlns="…">…</Root>`. */
export function renderXmlDocument(rootName: string, content: Record<string, unknown>): string {
  const body = Object.entries(content)
    .map(([k, v]) => valueToXml(k, v))
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${rootName} xmlns="${S3CONTROL_XMLNS}">${body}</${rootName}>`;
}
