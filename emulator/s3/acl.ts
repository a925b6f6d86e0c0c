import { createHash } from 'node:crypto';
import type { AccessControlPolicy } from '../contracts.js';
import { invalidArgument, S3Error } from './errors.js';
import { child, childrenNamed, childText, el, opt, S3_XMLNS, type XmlNode } from './xml.js';

type Grant = AccessControlPolicy['Grants'][number];
type Owner = NonNullable<AccessControlPolicy['Owner']>;

const GROUPS = {
  AllUsers: 'http://acs.amazonaws.com/groups/global/AllUsers',
  AuthenticatedUsers: 'http://acs.amazonaws.com/groups/global/AuthenticatedUsers',
  LogDelivery: 'http://acs.amazonaws.com/groups/s3/LogDelivery',
};
const PERMISSIONS = ['FULL_CONTROL', 'WRITE', 'WRITE_ACP', 'READ', 'READ_ACP'];
const GRANT_HEADERS: Record<string, string> = {
  'x-amz-grant-full-control': 'FULL_CONTROL',
  'x-amz-grant-read': 'READ',
  'x-amz-grant-read-acp': 'READ_ACP',
  'x-amz-grant-write': 'WRITE',
  'x-amz-grant-write-acp': 'WRITE_ACP',
};

/** A stable 64-hex canonical user id for the emulated account, shaped like S3's. */
export function ownerFor(accountId: string): Owner {
  return {
    ID: createHash('sha256').update(`s3-emulator:${accountId}`).digest('hex'),
    DisplayName: 'emulator',
  };
}

const ownerGrant = (owner: Owner): Grant => ({
  Grantee: { Type: 'CanonicalUser', ID: owner.ID, DisplayName: owner.DisplayName },
  Permission: 'FULL_CONTROL',
});
const groupGrant = (uri: string, permission: string): Grant => ({
  Grantee: { Type: 'Group', URI: uri },
  Permission: permission,
});

/** Expands a canned ACL the way S3 stores it (the bucket owner is the requester: one account). */
export function cannedAcl(canned: string, owner: Owner): AccessControlPolicy {
  const grants: Grant[] = [ownerGrant(owner)];
  switch (canned) {
    case 'private':
    case 'bucket-owner-read':
    case 'bucket-owner-full-control':
    case 'aws-exec-read':
      break;
    case 'public-read':
      grants.push(groupGrant(GROUPS.AllUsers, 'READ'));
      break;
    case 'public-read-write':
      grants.push(groupGrant(GROUPS.AllUsers, 'READ'), groupGrant(GROUPS.AllUsers, 'WRITE'));
      break;
    case 'authenticated-read':
      grants.push(groupGrant(GROUPS.AuthenticatedUsers, 'READ'));
      break;
    case 'log-delivery-write':
      grants.push(groupGrant(GROUPS.LogDelivery, 'WRITE'), groupGrant(GROUPS.LogDelivery, 'READ_ACP'));
      break;
    default:
      throw invalidArgument(`Invalid canned ACL: ${canned}`, 'x-amz-acl', canned);
  }
  return { Owner: owner, Grants: grants };
}

/** `x-amz-grant-read: id="…", uri="…", emailAddress="…"` headers; undefined when none is present. */
export function aclFromGrantHeaders(
  headers: Record<string, string>,
  owner: Owner,
): AccessControlPolicy | undefined {
  const grants: Grant[] = [];
  for (const [header, permission] of Object.entries(GRANT_HEADERS)) {
    const value = headers[header];
    if (value === undefined) continue;
    for (const match of value.matchAll(/\s*(id|uri|emailAddress)\s*=\s*"?([^",]*)"?\s*(,|$)/gi)) {
      const kind = match[1]!.toLowerCase();
      const grantee: Grant['Grantee'] =
        kind === 'id'
          ? { Type: 'CanonicalUser', ID: match[2]! }
          : kind === 'uri'
            ? { Type: 'Group', URI: match[2]! }
            : { Type: 'AmazonCustomerByEmail', EmailAddress: match[2]! };
      grants.push({ Grantee: grantee, Permission: permission });
    }
  }
  return grants.length > 0 ? { Owner: owner, Grants: grants } : undefined;
}

/** The ACL a write request asks for: canned header, grant headers, or the default `private`. */
export function aclFromHeaders(
  headers: Record<string, string>,
  owner: Owner,
): AccessControlPolicy | undefined {
  const canned = headers['x-amz-acl'];
  const granted = aclFromGrantHeaders(headers, owner);
  if (canned !== undefined && granted) {
    throw new S3Error('InvalidRequest', 400, 'Specifying both Canned ACLs and Header Grants is not allowed');
  }
  return canned !== undefined ? cannedAcl(canned, owner) : granted;
}

export function validatePolicy(policy: AccessControlPolicy): AccessControlPolicy {
  for (const grant of policy.Grants) {
    if (!PERMISSIONS.includes(grant.Permission)) throw malformedAcl();
    if (!['CanonicalUser', 'Group', 'AmazonCustomerByEmail'].includes(grant.Grantee.Type))
      throw malformedAcl();
  }
  return policy;
}

const malformedAcl = () =>
  new S3Error(
    'MalformedACLError',
    400,
    'The XML you provided was not well-formed or did not validate against our published schema',
  );

export function parseAccessControlPolicy(root: XmlNode): AccessControlPolicy {
  const ownerNode = child(root, 'Owner');
  const grants = childrenNamed(child(root, 'AccessControlList'), 'Grant').map((grant): Grant => {
    const grantee = child(grant, 'Grantee');
    if (!grantee) throw malformedAcl();
    const id = childText(grantee, 'ID');
    const uri = childText(grantee, 'URI');
    const email = childText(grantee, 'EmailAddress');
    const type = grantee.attrs.type ?? (id ? 'CanonicalUser' : uri ? 'Group' : 'AmazonCustomerByEmail');
    const displayName = childText(grantee, 'DisplayName');
    return {
      Grantee: {
        Type: type,
        ...(id !== undefined && { ID: id }),
        ...(uri !== undefined && { URI: uri }),
        ...(email !== undefined && { EmailAddress: email }),
        ...(displayName !== undefined && { DisplayName: displayName }),
      },
      Permission: childText(grant, 'Permission') ?? '',
    };
  });
  const owner = ownerNode
    ? { ID: childText(ownerNode, 'ID'), DisplayName: childText(ownerNode, 'DisplayName') }
    : undefined;
  return validatePolicy({ ...(owner && { Owner: owner }), Grants: grants });
}

export function renderAccessControlPolicy(policy: AccessControlPolicy, owner: Owner): string {
  const effectiveOwner = policy.Owner?.ID ? policy.Owner : owner;
  const grants = policy.Grants.map((grant) =>
    el('Grant', [
      el(
        'Grantee',
        [
          opt('ID', grant.Grantee.ID),
          opt('DisplayName', grant.Grantee.DisplayName),
          opt('URI', grant.Grantee.URI),
          opt('EmailAddress', grant.Grantee.EmailAddress),
        ],
        { 'xmlns:xsi': 'http://www.w3.org/2001/XMLSchema-instance', 'xsi:type': grant.Grantee.Type },
      ),
      el('Permission', grant.Permission),
    ]),
  );
  return el(
    'AccessControlPolicy',
    [
      el('Owner', [opt('ID', effectiveOwner.ID), opt('DisplayName', effectiveOwner.DisplayName)]),
      el('AccessControlList', grants),
    ],
    { xmlns: S3_XMLNS },
  );
}
