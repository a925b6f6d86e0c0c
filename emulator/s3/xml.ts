/**
 * Just enough XML for S3: a string builder for responses and a tolerant parser for the few request bodies
 * S3 accepts (Tagging, AccessControlPolicy, RestoreRequest, Delete, LegalHold, Retention, ...).
 */
import { S3Error } from './errors.js';

export const S3_XMLNS = 'http://s3.amazonaws.com/doc/2006-03-01/';

export function escapeXml(text: string): string {
  // Control characters (legal in S3 keys) become character references; CR too, or parsers would normalise it.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point here.
  return text.replace(/[&<>"'\u0000-\u0008\u000b-\u001f]/g, (ch) => {
    switch (ch) {
      case '&':
        return '&amp;';
      case '<':
        return '&lt;';
      case '>':
        return '&gt;';
      case '"':
        return '&quot;';
      case "'":
        return '&apos;';
      default:
        return `&#x${ch.charCodeAt(0).toString(16).toUpperCase()};`;
    }
  });
}

/** `el('Key', 'a&b')` escapes text; `el('Contents', [el(...), ...])` joins already-built children. */
export function el(
  name: string,
  content?: string | number | boolean | string[],
  attrs?: Record<string, string>,
): string {
  const attrText = attrs
    ? Object.entries(attrs)
        .map(([key, value]) => ` ${key}="${escapeXml(value)}"`)
        .join('')
    : '';
  if (content === undefined) return `<${name}${attrText}/>`;
  const inner = Array.isArray(content) ? content.join('') : escapeXml(String(content));
  return `<${name}${attrText}>${inner}</${name}>`;
}

/** Like `el`, but omits the element entirely when the value is undefined. */
export function opt(name: string, content: string | number | boolean | undefined): string {
  return content === undefined ? '' : el(name, content);
}

export function xmlDocument(body: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${body}`;
}

export interface XmlNode {
  /** Local name: namespace prefixes are dropped. */
  name: string;
  attrs: Record<string, string>;
  children: XmlNode[];
  text: string;
}

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|amp|lt|gt|quot|apos);/g, (_, entity: string) => {
    if (entity[0] === '#') {
      const code =
        entity[1] === 'x' ? Number.parseInt(entity.slice(2), 16) : Number.parseInt(entity.slice(1), 10);
      return String.fromCodePoint(code);
    }
    return { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }[entity] as string;
  });
}

const localName = (name: string): string => name.slice(name.indexOf(':') + 1);

function malformed(): S3Error {
  return new S3Error(
    'MalformedXML',
    400,
    'The XML you provided was not well-formed or did not validate against our published schema',
  );
}

/** Parses one XML document into its root element; throws S3's MalformedXML on anything it cannot read. */
export function parseXml(input: string): XmlNode {
  const document: XmlNode = { name: '#document', attrs: {}, children: [], text: '' };
  const stack: XmlNode[] = [document];
  let i = 0;
  const skipTo = (marker: string, from: number): number => {
    const end = input.indexOf(marker, from);
    if (end === -1) throw malformed();
    return end + marker.length;
  };
  while (i < input.length) {
    const top = stack[stack.length - 1]!;
    const lt = input.indexOf('<', i);
    if (lt === -1) {
      top.text += decodeEntities(input.slice(i));
      break;
    }
    if (lt > i) top.text += decodeEntities(input.slice(i, lt));
    if (input.startsWith('<?', lt)) i = skipTo('?>', lt);
    else if (input.startsWith('<!--', lt)) i = skipTo('-->', lt);
    else if (input.startsWith('<![CDATA[', lt)) {
      const end = skipTo(']]>', lt);
      top.text += input.slice(lt + 9, end - 3);
      i = end;
    } else if (input.startsWith('<!', lt)) i = skipTo('>', lt);
    else if (input[lt + 1] === '/') {
      const end = skipTo('>', lt);
      const name = localName(input.slice(lt + 2, end - 1).trim());
      if (stack.length < 2 || top.name !== name) throw malformed();
      stack.pop();
      i = end;
    } else {
      let end = lt + 1;
      let quote = '';
      for (; end < input.length; end++) {
        const ch = input[end];
        if (quote) {
          if (ch === quote) quote = '';
        } else if (ch === '"' || ch === "'") quote = ch;
        else if (ch === '>') break;
      }
      if (end >= input.length) throw malformed();
      let tag = input.slice(lt + 1, end);
      const selfClosing = tag.endsWith('/');
      if (selfClosing) tag = tag.slice(0, -1);
      const nameMatch = /^\s*([^\s/>]+)/.exec(tag);
      if (!nameMatch) throw malformed();
      const node: XmlNode = { name: localName(nameMatch[1]!), attrs: {}, children: [], text: '' };
      for (const attr of tag
        .slice(nameMatch[0].length)
        .matchAll(/([^\s=]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
        node.attrs[localName(attr[1]!)] = decodeEntities(attr[2] ?? attr[3] ?? '');
      }
      top.children.push(node);
      if (!selfClosing) stack.push(node);
      i = end + 1;
    }
  }
  if (stack.length !== 1 || document.children.length !== 1 || document.text.trim() !== '') throw malformed();
  return document.children[0]!;
}

export function parseXmlBody(body: Buffer, expectedRoot: string): XmlNode {
  if (body.length === 0) throw malformed();
  const root = parseXml(body.toString('utf8'));
  if (root.name !== expectedRoot) throw malformed();
  return root;
}

export function child(node: XmlNode | undefined, name: string): XmlNode | undefined {
  return node?.children.find((candidate) => candidate.name === name);
}

export function childrenNamed(node: XmlNode | undefined, name: string): XmlNode[] {
  return node ? node.children.filter((candidate) => candidate.name === name) : [];
}

/** Text of a direct child, trimmed unless the content is significant (keys, values). */
export function childText(
  node: XmlNode | undefined,
  name: string,
  keepWhitespace = false,
): string | undefined {
  const found = child(node, name);
  if (!found) return undefined;
  return keepWhitespace ? found.text : found.text.trim();
}
