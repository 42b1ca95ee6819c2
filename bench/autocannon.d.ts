// The part of autocannon's API bench/callback.ts uses (the package ships no types).
declare module "autocannon" {
  interface Histogram {
    average: number;
    total: number;
    p50: number;
    p99: number;
  }
  interface Result {
    requests: Histogram;
    latency: Histogram;
    "2xx": number;
    non2xx: number;
    errors: number;
    /** seconds */
    duration: number;
  }
  interface Options {
    url: string;
    connections?: number;
    amount?: number;
    duration?: number;
    requests?: {
      setupRequest?: (req: Record<string, unknown>, context: Record<string, unknown>) => Record<string, unknown>;
      onResponse?: (status: number, body: string, context: Record<string, unknown>) => void;
    }[];
  }
  export default function autocannon(opts: Options): Promise<Result>;
}
