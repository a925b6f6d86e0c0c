/**
 * The demo's data set: a bucket of objects worth tagging, a few of them under a prefix the demo's fault
 * configuration refuses (as a bucket policy denying s3:PutObjectTagging there would), and the CSV manifest.
 */
import type { FaultConfig, S3Backend } from '../../emulator/index.js';

export const demoBuckets = {
  data: 's3bo-demo-data',
  manifests: 's3bo-demo-manifests',
  reports: 's3bo-demo-reports',
};
export const demoManifestKey = 'manifests/tag-public-assets.csv';
/** Keys under this prefix fail with AccessDenied: the demo's partial failure. */
export const restrictedPrefix = 'restricted/';

export const demoFaults: FaultConfig = {
  taskFailures: [
    {
      keyPattern: `${restrictedPrefix}*`,
      bucket: demoBuckets.data,
      code: 'AccessDenied',
      httpStatus: 403,
      permanent: true,
    },
  ],
};

/** `count` keys: mostly assets, some with spaces (URL-encoded in the manifest), 1 in 200 restricted. */
export function demoKeys(count: number): string[] {
  return Array.from({ length: count }, (_, i) => {
    const n = String(i).padStart(5, '0');
    if (i % 200 === 199) return `${restrictedPrefix}payroll-${n}.csv`;
    if (i % 50 === 7) return `assets/press kit/photo ${n}.jpg`;
    return `assets/${['img', 'css', 'js', 'fonts'][i % 4]}/file-${n}.bin`;
  });
}

/** S3 Batch Operations manifests are CSV with URL-encoded keys (AWS-FACTS, "Keys … are URL-encoded"). */
export function manifestCsv(bucket: string, keys: string[]): string {
  return keys.map((key) => `${bucket},${encodeURIComponent(key).replace(/%2F/g, '/')}\n`).join('');
}

export function seedDemoData(s3: S3Backend, keys: string[]): void {
  for (const bucket of Object.values(demoBuckets)) s3.ensureBucket(bucket);
  for (const key of keys) {
    s3.putObject(demoBuckets.data, key, Buffer.from(`demo object ${key}\n`), {
      contentType: 'application/octet-stream',
    });
  }
  s3.putObject(demoBuckets.manifests, demoManifestKey, Buffer.from(manifestCsv(demoBuckets.data, keys)), {
    contentType: 'text/csv',
  });
}

export function demoRequest() {
  return {
    description: 'Demo: tag public assets',
    operation: { S3PutObjectTagging: { TagSet: [{ Key: 'classification', Value: 'public' }] } },
    manifest: { bucket: demoBuckets.manifests, key: demoManifestKey },
    report: { bucket: demoBuckets.reports, prefix: 'batch-reports', scope: 'AllTasks' },
    priority: 10,
    wait: { minSeconds: 5, maxSeconds: 60, timeoutSeconds: 3600 },
  };
}
