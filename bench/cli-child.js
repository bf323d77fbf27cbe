// Runs the reprint CLI in this process and, at exit, prints one JSON line on standard error with
// its exit status, wall seconds from process start, CPU seconds (every thread) and peak RSS: what
// bench/index.js measures.
import { main } from '../dist/cli.js';
const code = await main(process.argv.slice(2));
const use = process.resourceUsage();
process.stderr.write(`[cli-child] ${JSON.stringify({ code, seconds: performance.now() / 1000, cpuSeconds: (use.userCPUTime + use.systemCPUTime) / 1e6, maxRssMb: use.maxRSS / 1024 })}\n`);
process.exitCode = code;
