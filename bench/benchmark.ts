/**
 * The shape of a benchmark module. `bench/index.ts` imports every module of this folder that exports
 * `benchmark` and runs them in turn; add one by dropping a file here (e.g. `emulator.ts`, `polling.ts`).
 */
export type Figure = number | string | boolean | null | { [key: string]: Figure };

export interface Benchmark<R extends Record<string, Figure> = Record<string, Figure>> {
  /** Key of the benchmark in `npm run bench -- --json` output. */
  name: string;
  /** Runs the measurement; `log` is for progress lines (stderr when JSON is requested). */
  run(log: (line: string) => void): Promise<R>;
  /** Human-readable figures and ratios. */
  print(result: R, log: (line: string) => void): void;
}

export const round = (value: number, digits = 2): number => {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
};
