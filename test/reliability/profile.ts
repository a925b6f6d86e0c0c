/**
 * How large the reliability scenarios run. `normal` (npm test) is the minimums; `heavy`
 * (S3BO_RELIABILITY=heavy, for npm run test:reliability and bench/reliability.ts) is several times larger.
 */
export interface ReliabilityProfile {
  name: 'normal' | 'heavy';
  duplicates: { executions: number };
  lostEvents: { workflows: number };
  load: { workflows: number };
  /** Batch-job workflows running in a durable `s3bo local` child, and how many times it is killed. */
  crash: { jobs: number; crashes: number };
  /** One deadline for every execution of a scenario. */
  scenarioTimeoutMs: number;
}

export const reliabilityProfileVar = 'S3BO_RELIABILITY';

const profiles: Record<ReliabilityProfile['name'], ReliabilityProfile> = {
  normal: {
    name: 'normal',
    duplicates: { executions: 200 },
    lostEvents: { workflows: 50 },
    load: { workflows: 100 },
    crash: { jobs: 5, crashes: 3 },
    scenarioTimeoutMs: 180_000,
  },
  heavy: {
    name: 'heavy',
    duplicates: { executions: 600 },
    lostEvents: { workflows: 200 },
    load: { workflows: 400 },
    crash: { jobs: 8, crashes: 5 },
    scenarioTimeoutMs: 540_000,
  },
};

/** The profile the environment asks for; an unknown name fails loudly rather than run the wrong size. */
export function reliabilityProfile(env: Readonly<Record<string, string | undefined>> = process.env) {
  const name = env[reliabilityProfileVar] ?? 'normal';
  const profile = profiles[name as ReliabilityProfile['name']];
  if (!profile) throw new Error(`${reliabilityProfileVar} must be normal or heavy, got "${name}"`);
  return profile;
}

/** A test's own timeout: the scenario's deadline plus time to start the harness and read histories. */
export const testTimeoutMs = (profile: ReliabilityProfile): number => profile.scenarioTimeoutMs + 120_000;
